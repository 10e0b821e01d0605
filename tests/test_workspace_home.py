"""/workspace/ is each user's home, with a section per role."""

import pytest

from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_refuses_users_without_a_role(client_for, cast):
    response = client_for(cast.users.outsider).get("/workspace/")
    assert response.status_code == 403
    assert "Vai trò hiện tại không được thực hiện thao tác này" in response.text


def test_it_shows_an_officer_their_office_and_pairs(client_for, cast):
    page = page_text(client_for(cast.users.officer_ntl).get("/workspace/"))
    assert "Phòng GD&ĐT Nam Từ Liêm" in page
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page
    assert "Long Biên" not in page


def test_it_shows_a_principal_their_school_pairs(client_for, cast):
    page = page_text(client_for(cast.users.principal_taymo).get("/workspace/"))
    assert "Trường THCS Tây Mỗ" in page and "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page
