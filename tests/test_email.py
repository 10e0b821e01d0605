"""E-mail as a real part (issue 13 §6): configured from EMAIL_URL, and sent to a real
SMTP server that the test starts (aiosmtpd) and reads back."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from twinning.lib.env import parse_email_url


def test_a_password_reset_arrives_at_a_real_smtp_server_in_vietnamese(smtp_server, cast, client):
    user = cast.users.principal_taymo
    user.email = "hieutruong.taymo@example.vn"
    user.save()
    response = client.post("/accounts/password_reset/", {"email": user.email})
    assert response.status_code == 302
    ((recipients, message),) = smtp_server.messages
    assert recipients == [user.email]
    assert message["Subject"] == "Kết nghĩa: đặt mật khẩu mới"
    assert "no-reply@ketnghia.local" in message["From"]
    body = message.get_body(("plain",)).get_content()
    assert user.username in body
    assert re.search(r"https?://[^/]+/accounts/reset/\S+", body)


@pytest.mark.parametrize(
    "url,expected",
    [
        (
            "smtp://thu%40so.edu.vn:m%E1%BA%ADt-kh%E1%BA%A9u@mail.so.edu.vn:587",
            {
                "EMAIL_HOST": "mail.so.edu.vn",
                "EMAIL_PORT": 587,
                "EMAIL_HOST_USER": "thu@so.edu.vn",
                "EMAIL_HOST_PASSWORD": "mật-khẩu",
                "EMAIL_USE_TLS": True,
                "EMAIL_USE_SSL": False,
            },
        ),
        ("smtps://u:p@mail.example", {"EMAIL_PORT": 465, "EMAIL_USE_SSL": True, "EMAIL_USE_TLS": False}),
        ("smtp://relay.local:25?tls=false", {"EMAIL_PORT": 25, "EMAIL_USE_TLS": False, "EMAIL_HOST_USER": ""}),
        (
            "file:///var/mail/ketnghia",
            {
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": "/var/mail/ketnghia",
            },
        ),
        ("console://", {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}),
    ],
)
def test_email_url_gives_djangos_settings(url, expected):
    settings = parse_email_url(url)
    assert {key: settings[key] for key in expected} == expected


@pytest.mark.parametrize("url", ["smtp://", "http://mail.example", "file://"])
def test_a_wrong_email_url_is_refused_with_what_to_write(url):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        parse_email_url(url)
