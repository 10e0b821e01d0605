"""Logins throttled by account and address, password reset and change, sessions that
end after a working day, and the security headers of every response."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core import mail

from tests.helpers import PASSWORD, page_text

LOGIN = "/accounts/login/"


def login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_pause_that_account_from_that_address_only(cast, client, django_user_model):
    user = cast.users.principal_taymo
    for _ in range(5):
        response = login(client, user.username, "sai-mat-khau")
    # Even the right password is refused now, with a page saying what to do.
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 429
    text = page_text(response)
    assert "Tạm dừng đăng nhập" in text or "tạm dừng" in text
    assert "15 phút" in text and "Đặt mật khẩu mới" in text
    assert "_auth_user_id" not in client.session
    # A colleague behind the same school connection logs in as usual …
    colleague = django_user_model.objects.get(username=cast.users.officer_ntl.username)
    assert login(client, colleague.username, PASSWORD).status_code == 302
    client.logout()
    # … and so does the owner from another connection (a phone on 4G).
    assert login(client, user.username, PASSWORD, address="10.9.9.9").status_code == 302


def test_the_login_page_says_nothing_about_whether_an_account_exists(cast, client):
    unknown = page_text(login(client, "khong-co-ai", "sai-mat-khau"))
    wrong = page_text(login(client, cast.users.principal_taymo.username, "sai-mat-khau"))
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong
    assert unknown == wrong


def reset_link(client, email):
    mail.outbox.clear()
    response = client.post("/accounts/password_reset/", {"email": email})
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    return mail.outbox


def test_a_password_reset_by_e_mail_sets_a_new_password_and_lifts_the_pause(cast, client):
    user = cast.users.principal_taymo
    user.email = "hieutruong.taymo@example.vn"
    user.save()
    for _ in range(6):
        login(client, user.username, "sai-mat-khau")
    assert login(client, user.username, PASSWORD).status_code == 429
    # An unknown address gets the same answer and no message.
    assert reset_link(client, "nguoi-la@example.vn") == []
    outbox = reset_link(client, user.email)
    assert len(outbox) == 1 and outbox[0].to == [user.email]
    message = outbox[0]
    assert message.subject == "Kết nghĩa: đặt mật khẩu mới"
    assert user.username in message.body and "ba ngày" in message.body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Đặt mật khẩu mới" in page_text(form)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Truong-Tay-Mo-2026", "new_password2": "Truong-Tay-Mo-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/reset/done/"
    assert login(client, user.username, "Truong-Tay-Mo-2026").status_code == 302
    # The link works once.
    client.logout()
    assert "không dùng được" in page_text(client.get(link, follow=True))


def test_a_user_changes_their_password(cast, client):
    user = cast.users.officer_ntl
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Phong-NTL-2026!", "new_password2": "Phong-NTL-2026!"},
    )
    assert response.status_code == 302
    assert "Đã lưu mật khẩu mới" in page_text(client.get(response["Location"]))
    user.refresh_from_db()
    assert user.check_password("Phong-NTL-2026!")


def test_a_session_ends_after_a_working_day_without_activity(cast, client):
    assert login(client, cast.users.officer_ntl.username, PASSWORD).status_code == 302
    client.get("/workspace/")
    assert 9 * 3600 <= client.session.get_expiry_age() <= 10 * 3600
    assert client.cookies["sessionid"]["httponly"]


def test_every_response_carries_a_strict_content_security_policy(db, client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" not in response.get("Cache-Control", "")


def test_staff_pages_and_exports_are_never_stored(cast, client):
    client.force_login(cast.users.staff_hn)
    for url in ("/workspace/", "/reports/", f"/reports/annual-summary/activities.csv?program={cast.program.slug}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


@pytest.mark.parametrize("path", ["templates/base.html", "templates/500.html"])
def test_no_template_carries_inline_script(path):
    text = (django_settings.BASE_DIR / path).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    assert " style=" not in text and " onclick=" not in text


def test_check_deploy_is_silent_with_the_production_settings_of_the_readme():
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS", "DJANGO_ALLOW_ASYNC"))},
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-production-secret-" + "x" * 30,
        "ALLOWED_HOSTS": "ketnghia.example.vn",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/twinning",
        "MEDIA_ROOT": "/srv/ketnghia/media",
        "BEHIND_HTTPS_PROXY": "true",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
