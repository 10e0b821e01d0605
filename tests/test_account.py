"""Issue 13, landing and "My account": staff land on their workspace after logging in,
visitors on the home page; a user sees their roles and changes their name and e-mail."""

from django.contrib.auth import get_user_model

from schools.models import Membership
from tests import factories as f
from tests.helpers import page_text


def login(client, user, password, next_url=None):
    data = {"username": user.username, "password": password}
    url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def test_staff_land_on_their_workspace_and_a_visitor_on_the_home_page(client, cast):
    response = login(client, cast.users.officer_lb, cast.password)
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert "Việc của tôi" in page_text(client.get("/workspace/"))
    client.logout()
    assert login(client, cast.users.outsider, cast.password)["Location"] == "/"


def test_a_safe_next_still_wins_and_an_outside_one_does_not(client, cast):
    assert login(client, cast.users.staff_hn, cast.password, "/reports/")["Location"] == "/reports/"
    client.logout()
    assert login(client, cast.users.staff_hn, cast.password, "https://evil.example/")["Location"] == "/workspace/"


def test_my_account_lists_active_and_ended_roles(client_for, cast):
    user = cast.users.officer_lb
    ended = Membership.objects.create(
        user=user, organization=cast.office["ml"], role=Membership.Role.OFFICE_OFFICER, is_active=False
    )
    text = page_text(client_for(user).get("/accounts/profile/"))
    assert "Tài khoản của tôi" in text and "Vai trò của tôi" in text
    assert "Phòng GD&ĐT Long Biên Đang đảm nhiệm" in text
    assert f"{ended.organization.name} Đã thôi" in text
    assert "Đổi mật khẩu" in text


def test_a_user_changes_their_name_and_email(client_for, cast):
    user = cast.users.principal_lb
    client = client_for(user)
    response = client.post("/accounts/profile/", {"full_name": "  Nguyễn Thị   Hoa ", "email": "hoa@truong.edu.vn"})
    assert response.status_code == 302 and response["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert (user.get_full_name(), user.email) == ("Nguyễn Thị Hoa", "hoa@truong.edu.vn")
    text = page_text(client.get("/accounts/profile/"))
    assert "Đã lưu họ tên và thư điện tử." in text and "Nguyễn Thị Hoa" in text


def test_an_email_of_another_account_is_refused_and_nothing_is_saved(client_for, cast):
    f.user("khac", email="Trung@So.edu.vn")
    user = cast.users.principal_lb
    response = client_for(user).post("/accounts/profile/", {"full_name": "Tên Mới", "email": "trung@so.edu.vn"})
    assert response.status_code == 200
    assert "Một tài khoản khác đã dùng địa chỉ thư điện tử này" in page_text(response)
    user.refresh_from_db()
    assert user.get_full_name() != "Tên Mới"


def test_my_account_needs_a_login(client, db):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert get_user_model().objects.count() == 0
