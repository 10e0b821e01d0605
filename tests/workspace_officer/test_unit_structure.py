"""Department staff record the structure of units over time in the workspace: a new
managing body or place from a date, a cessation or a merger, a new unit; everyone
who sees a unit reads its timeline."""

import datetime

from schools.models import Organization, Placement
from tests.helpers import page_text


def change_data(**extra):
    data = {"save": "1", "valid_from": "2025-07-01", "parent": "", "area_q": "", "area": "", "cluster": ""}
    data.update(legal_reference="Nghị định 142/2025/NĐ-CP", note="")
    data.update(extra)
    return data


def test_it_lets_department_staff_record_a_school_passing_to_a_commune(client_for, cast, today):
    client = client_for(cast.users.staff_hn)
    url = f"/workspace/units/{cast.taymo.slug}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "Ghi nhận thay đổi đơn vị quản lý hoặc địa bàn" in page_text(page)
    # Without JavaScript, "Search" narrows the place list and records nothing.
    response = client.post(url, {**change_data(parent=today.committee_hn.pk), "find": "area", "area_q": "dai mo"})
    assert response.status_code == 200 and "Phường Đại Mỗ, Hà Nội" in page_text(response)
    assert Placement.objects.filter(organization=cast.taymo).count() == 1
    response = client.post(url, change_data(parent=today.committee_hn.pk, area=today.ward_hn.pk))
    assert response.status_code == 302 and response["Location"] == f"/workspace/units/{cast.taymo.slug}/"
    page = page_text(client.get(response["Location"]))
    assert "Đã ghi nhận thay đổi của Trường THCS Tây Mỗ từ ngày 01/07/2025" in page
    assert "Từ 01/07/2025 đến nay" in page and "Nghị định 142/2025/NĐ-CP" in page
    taymo = Organization.objects.get(pk=cast.taymo.pk)
    assert (taymo.parent, taymo.area) == (today.committee_hn, today.ward_hn)


def test_it_explains_a_change_dated_too_late_or_before_the_current_placement(client_for, cast, today):
    client = client_for(cast.users.staff_hn)
    url = f"/workspace/units/{cast.taymo.slug}/change/"
    response = client.post(url, change_data(valid_from="2099-01-01", parent=today.committee_hn.pk))
    assert "Chỉ ghi nhận thay đổi khi đã có hiệu lực" in page_text(response)
    client.post(url, change_data(parent=today.committee_hn.pk))
    response = client.post(url, change_data(valid_from="2024-01-01", area=today.ward_hn.pk))
    assert "Giai đoạn hiện tại bắt đầu từ ngày 01/07/2025" in page_text(response)
    response = client.post(url, change_data(legal_reference=""))
    assert "Hãy nêu văn bản quyết định thay đổi này." in page_text(response)


def test_it_keeps_structure_changes_to_the_department(client, client_for, cast, today):
    url = f"/workspace/units/{cast.taymo.slug}/change/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client_for(cast.users.staff_na).get(url).status_code == 404  # another province
    for user in (cast.users.officer_ntl, cast.users.principal_taymo):
        assert client_for(user).get(url).status_code == 403, user  # sees the unit, records nothing
    assert client_for(cast.users.officer_ntl).get(f"/workspace/units/{cast.taymo.slug}/cease/").status_code == 403
    assert client_for(cast.users.officer_ntl).get("/workspace/units/new/").status_code == 403
    # Everyone who sees the unit reads its timeline.
    page = client_for(cast.users.principal_taymo).get(f"/workspace/units/{cast.taymo.slug}/")
    assert page.status_code == 200 and "Dòng thời gian" in page_text(page)
    assert "Ghi nhận thay đổi" not in page_text(page)


def test_it_records_that_an_office_ceased_and_ends_its_pairs(client_for, cast):
    client = client_for(cast.users.staff_hn)
    office = cast.office["ntl"]
    response = client.post(
        f"/workspace/units/{office.slug}/cease/",
        {
            "save": "1",
            "valid_until": "2025-06-30",
            "end_reference": "Nghị định 142/2025/NĐ-CP",
            "successor_q": "",
            "successor": "",
            "end_pairs": "on",
            "note": "",
        },
    )
    assert response.status_code == 302
    page = page_text(client.get(response["Location"]))
    assert "Đã ghi nhận Phòng GD&ĐT Nam Từ Liêm chấm dứt hoạt động sau ngày 30/06/2025; 1 cặp kết nghĩa" in page
    assert "Đã chấm dứt hoạt động sau ngày 30/06/2025" in page
    cast.ntl_md.refresh_from_db()
    assert (cast.ntl_md.status, cast.ntl_md.ended_on) == ("ended", datetime.date(2025, 6, 30))


def test_it_adds_a_commune_committee_of_the_province(client_for, cast, today):
    client = client_for(cast.users.staff_hn)
    data = {
        "save": "1",
        "kind": "commune_committee",
        "name": "UBND phường Tây Mỗ",
        "short_name": "",
        "code": "",
        "level": "",
        "area_q": "",
        "area": today.ward_hn.pk,
        "parent": "",
        "cluster": "",
        "valid_from": "2025-07-01",
        "legal_reference": "Nghị quyết 1656/NQ-UBTVQH15",
        "address": "",
        "head_name": "",
        "head_title": "",
        "phone": "",
        "email": "",
    }
    response = client.post("/workspace/units/new/", data)
    assert response.status_code == 302, page_text(response)
    unit = Organization.objects.get(name="UBND phường Tây Mỗ")
    assert (unit.kind, unit.province, unit.valid_from) == ("commune_committee", cast.hanoi, datetime.date(2025, 7, 1))
    assert Placement.objects.get(organization=unit).legal_reference == "Nghị quyết 1656/NQ-UBTVQH15"
    # Not in another province.
    response = client.post("/workspace/units/new/", {**data, "name": "UBND xã khác", "area": today.commune_na.pk})
    assert "Hãy chọn địa bàn thuộc tỉnh, thành phố của đơn vị." in page_text(response)


def test_it_finds_areas_for_the_picker(client_for, cast, today):
    response = client_for(cast.users.staff_hn).get("/workspace/areas/search/", {"q": "nhon mai"})
    assert "Xã Nhôn Mai, Nghệ An" in page_text(response)
    assert response["Cache-Control"] == "private, no-store"
