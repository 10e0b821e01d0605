"""/workspace/units/: the units an officer manages, and the search behind the pickers."""

from schools.models import Organization
from tests import factories as f
from tests.helpers import page_text


def test_it_finds_units_with_or_without_diacritics_of_the_right_kind(client_for, cast):
    client = client_for(cast.users.officer_lb)
    for text in ("mê linh", "me linh", "ME LINH", "Mê Linh A"):
        response = client.get("/workspace/units/search/", {"kind": "school", "q": text})
        assert response.status_code == 200
        assert "Trường Tiểu học Mê Linh A" in page_text(response), text
        assert "Phòng GD&ĐT Mê Linh" not in page_text(response)  # an office is not a school
    response = client.get("/workspace/units/search/", {"kind": "school", "q": "dang thai"})
    # The only match is chosen at once.
    assert f'value="{cast.school_vinh.pk}" selected>Trường THCS Đặng Thai Mai' in response.text
    response = client.get("/workspace/units/search/", {"kind": "office", "q": "me linh"})
    assert "Phòng GD&ĐT Mê Linh" in page_text(response) and "Trường Tiểu học" not in page_text(response)
    assert "— không tìm thấy —" in client.get("/workspace/units/search/", {"kind": "school", "q": "xyz"}).text


def test_it_lists_own_units_first_and_cuts_long_lists(client_for, cast, django_assert_max_num_queries):
    for n in range(40):
        f.org(f"Trường Tiểu học Thử {n:02d}", parent=cast.office["ml"], level=Organization.Level.PRIMARY)
    client = client_for(cast.users.officer_lb)
    # session, user, scope, units (+1 for the selected one)
    with django_assert_max_num_queries(5):
        response = client.get("/workspace/units/search/", {"kind": "school", "q": "truong tieu hoc"})
    units = response.text.count("<option value=") - response.text.count('value="" ')
    assert units - 1 == 30  # 30 units besides the empty choice; the rest on a narrower search
    assert response.text.index("Long Biên A") < response.text.index("Thử 00")
    assert "Còn nhiều đơn vị khớp" in response.text


def test_it_lists_the_units_an_officer_manages(client_for, cast):
    page = page_text(client_for(cast.users.officer_ntl).get("/workspace/units/"))
    assert "Phòng GD&ĐT Nam Từ Liêm" in page and "Trường THCS Tây Mỗ" in page and "HN-TM" in page
    assert "Mỹ Đức A" not in page
    page = page_text(client_for(cast.users.officer_ntl).get("/workspace/units/", {"q": "tay mo"}))
    assert "1 đơn vị" in page
