"""Site-wide pages a person meets anywhere: the 405 page, the log-out message, the workspace menu."""

import pytest

from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def test_a_get_on_an_action_explains_itself_and_keeps_the_405(client_for, cast):
    response = client_for(cast.users.officer_ntl).get(f"/workspace/pairs/{cast.taymo_md.code}/accept/")
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    text = page_text(response)
    assert "Địa chỉ này là một nút bấm, không phải một trang" in text
    assert "Chưa có gì bị thay đổi." in text
    assert 'href="/workspace/"' in response.content.decode()


def test_a_post_only_405_for_an_api_client_is_left_alone(client_for, cast):
    # A POST to a GET-only page is not someone following a link: no page is rendered.
    response = client_for(cast.users.officer_ntl).post("/reports/")
    assert response.status_code == 405
    assert response.content == b""


def test_logging_out_says_so(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    response = client.post("/accounts/logout/", follow=True)
    assert "Đã đăng xuất. Hẹn gặp lại!" in page_text(response)
    assert client.get("/workspace/").status_code == 302


def test_the_workspace_menu_folds_on_a_phone_and_lists_the_sections(client_for, cast):
    page = client_for(cast.users.officer_ntl).get("/workspace/").content.decode()
    menu = page.split('<details class="workspace-menu', 1)[1].split("</details>", 1)[0]
    assert "Các mục công việc" in menu
    for label in ("Việc của tôi", "Cặp kết nghĩa", "Hoạt động", "Nhập từ Excel"):
        assert label in menu


@pytest.mark.parametrize("who", ["staff_hn", "union_na", "officer_ntl"])
def test_staff_homes_lead_to_the_reports(client_for, cast, who):
    page = client_for(getattr(cast.users, who)).get("/workspace/").content.decode()
    assert 'href="/reports/"' in page and "Báo cáo và tổng hợp năm học" in page
