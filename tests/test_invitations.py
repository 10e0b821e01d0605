"""Issue 13 §1: staff invite people to a role in a unit they manage; the e-mail's link
(single use, a few days) sets up the account; pending invitations can be resent or
withdrawn; nobody grants a role outside their scope."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from accounts.models import Invitation
from schools.models import Membership
from tests import factories as f
from tests.helpers import page_text


def _invite(client, cast, django_capture_on_commit_callbacks, **extra):
    data = {
        "full_name": "Nguyễn Thị Hoa",
        "email": "hoa@truong.edu.vn",
        "organization": cast.school_lb.pk,
        "role": "principal",
        "title": "Hiệu trưởng",
        **extra,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/accounts/invitations/new/", data)


def _link(message):
    return re.search(r"https?://[^/\s]+(/accounts/invitation/\S+/)", message.body).group(1)


def test_an_officer_invites_a_principal_who_sets_up_the_account(
    client_for, client, cast, django_capture_on_commit_callbacks
):
    client = Client()  # the invited person, not logged in
    officer = client_for(cast.users.officer_lb)
    response = _invite(officer, cast, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/accounts/invitations/"
    listing = page_text(officer.get(response["Location"]))
    assert "Đã gửi lời mời tới hoa@truong.edu.vn" in listing and "Nguyễn Thị Hoa" in listing
    (message,) = mail.outbox
    assert message.to == ["hoa@truong.edu.vn"]
    assert "Hiệu trưởng" in message.body and cast.school_lb.name in message.body
    link = _link(message)
    page = page_text(client.get(link))
    assert "Nguyễn Thị Hoa được mời với vai trò Hiệu trưởng" in page
    weak = client.post(link, {"username": "ht.hoa", "password1": "123", "password2": "123"})
    assert weak.status_code == 200 and not get_user_model().objects.filter(username="ht.hoa").exists()
    response = client.post(
        link, {"username": "ht.hoa", "password1": "Truong-Hoa-2026!", "password2": "Truong-Hoa-2026!"}
    )
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    user = get_user_model().objects.get(username="ht.hoa")
    assert user.email == "hoa@truong.edu.vn" and user.get_full_name() == "Nguyễn Thị Hoa"
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role, membership.title) == (cast.school_lb, "principal", "Hiệu trưởng")
    assert "Tài khoản đã sẵn sàng" in page_text(client.get("/workspace/"))
    # The link works once.
    client.logout()
    assert client.get(link).status_code == 404


def test_nobody_grants_a_role_outside_their_scope(client_for, cast, django_capture_on_commit_callbacks):
    officer = client_for(cast.users.officer_lb)
    outside = _invite(officer, cast, django_capture_on_commit_callbacks, organization=cast.school_ml.pk)
    assert outside.status_code == 200 and "Hãy chọn một trong các đơn vị thuộc phạm vi quản lý." in page_text(outside)
    wrong_role = _invite(officer, cast, django_capture_on_commit_callbacks, role="department_staff")
    assert wrong_role.status_code == 200 and "Đơn vị loại này có các vai trò: Hiệu trưởng, Giáo viên." in page_text(
        wrong_role
    )
    assert not Invitation.objects.exists() and not mail.outbox
    for user in (cast.users.principal_lb, cast.users.teacher_taymo, cast.users.outsider):
        assert client_for(user).get("/accounts/invitations/").status_code == 403


def test_resend_makes_a_new_link_and_withdraw_ends_it(client_for, cast, django_capture_on_commit_callbacks):
    client = Client()  # the invited person, not logged in
    officer = client_for(cast.users.officer_lb)
    _invite(officer, cast, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get()
    first = _link(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/accounts/invitations/{invitation.pk}/resend/")
    second = _link(mail.outbox[1])
    assert first != second and client.get(first).status_code == 404 and client.get(second).status_code == 200
    officer.post(f"/accounts/invitations/{invitation.pk}/withdraw/")
    assert client.get(second).status_code == 404
    assert "đã thu hồi" in page_text(officer.get("/accounts/invitations/"))
    # Another office cannot touch it.
    assert client_for(cast.users.officer_ml).post(f"/accounts/invitations/{invitation.pk}/resend/").status_code == 404


def test_an_existing_account_adds_the_role_after_logging_in(
    client_for, client, cast, django_capture_on_commit_callbacks
):
    client = Client()  # the invited person, not logged in
    teacher = f.user("gv.lan", email="lan@truong.edu.vn")
    officer = client_for(cast.users.officer_lb)
    _invite(officer, cast, django_capture_on_commit_callbacks, email="lan@truong.edu.vn", role="teacher", title="")
    link = _link(mail.outbox[0])
    assert "Đã có tài khoản dùng địa chỉ thư điện tử này" in page_text(client.get(link))
    someone_else = client_for(cast.users.principal_lb)
    assert someone_else.get(link).status_code == 403
    own = client_for(teacher)
    response = own.post(link)
    assert response.status_code == 302
    assert Membership.objects.filter(user=teacher, organization=cast.school_lb, role="teacher", is_active=True).exists()


def test_a_department_finds_the_unit_by_searching_among_many(client_for, cast, monkeypatch):
    from accounts import forms

    monkeypatch.setattr(forms, "UNIT_CHOICES", 2)
    staff = client_for(cast.users.staff_hn)
    page = staff.get("/accounts/invitations/new/")
    units = re.search(r'<select name="organization".*?</select>', page.text, re.S).group(0)
    assert units.count("<option") == 3  # the empty choice and two units
    assert "Còn đơn vị khác phù hợp" in page_text(page)
    found = staff.post("/accounts/invitations/new/", {"organization_q": "long bien a", "find": "1"})
    assert found.status_code == 200 and "Trường Tiểu học Long Biên A" in found.text
    assert (
        "Trường THCS Tây Mỗ" not in found.text
        and "errorlist" not in found.text
        and "invalid-feedback" not in found.text
    )
