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


def unit_data(unit, **extra):
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "level": unit.level,
        "area_type": unit.area_type,
        "area": unit.area_id or "",
        "address": unit.address,
        "head_name": unit.head_name,
        "head_title": unit.head_title,
        "phone": unit.phone,
        "email": unit.email,
        "website": unit.website,
        "student_count": "",
        "teacher_count": "",
        "note": unit.note,
    }
    data.update(extra)
    return data


def test_it_lets_an_officer_correct_a_school_of_their_office(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    url = f"/workspace/units/{cast.taymo.slug}/edit/"
    unit_page = f"/workspace/units/{cast.taymo.slug}/"
    assert f'href="{unit_page}"' in client.get("/workspace/units/").text  # linked from the list
    assert f'href="{url}?next=' in client.get(unit_page).text  # and the edit page from the unit's page
    page = client.get(url)
    assert page.status_code == 200 and "Trường THCS Tây Mỗ" in page_text(page)
    response = client.post(
        url,
        unit_data(
            cast.taymo,
            name="Trường THCS Tây Mỗ (cơ sở 2)",
            level="multi",
            code="hn-tm-2",
            address="Phố Tây Mỗ, Nam Từ Liêm",
            phone="024 3765 4321",
            email="c2taymo@hanoiedu.vn",
            student_count="1200",
        ),
    )
    assert response.status_code == 302 and response["Location"] == unit_page
    unit = Organization.objects.get(pk=cast.taymo.pk)
    assert (unit.name, unit.level, unit.code, unit.address, unit.phone, unit.email, unit.student_count) == (
        "Trường THCS Tây Mỗ (cơ sở 2)",
        "multi",
        "HN-TM-2",
        "Phố Tây Mỗ, Nam Từ Liêm",
        "024 3765 4321",
        "c2taymo@hanoiedu.vn",
        1200,
    )
    assert unit.kind == "school" and unit.parent == cast.office["ntl"]  # not editable here
    assert "Đã lưu đơn vị “Trường THCS Tây Mỗ (cơ sở 2)”." in page_text(client.get(response["Location"]))


def test_it_explains_a_taken_code_and_a_missing_level_and_keeps_what_was_typed(client_for, cast):
    client = client_for(cast.users.officer_ntl)
    url = f"/workspace/units/{cast.taymo.slug}/edit/"
    response = client.post(url, unit_data(cast.taymo, code="hn-mda", level="", address="Số 1 Tây Mỗ"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "code": ["Mã HN-MDA đã là mã của “Trường THCS Mỹ Đức A”."],
        "level": ["Hãy chọn cấp học."],
    }
    assert 'value="Số 1 Tây Mỗ"' in response.text
    assert Organization.objects.get(pk=cast.taymo.pk).code == "HN-TM"


def test_it_lets_the_department_edit_its_province_and_links_the_pair_sides(client_for, cast):
    client = client_for(cast.users.staff_hn)
    office = cast.office["md"]
    response = client.post(
        f"/workspace/units/{office.slug}/edit/?next=/workspace/pairs/{cast.ntl_md.code}/",
        {**unit_data(office, head_name="Nguyễn Văn Minh"), "next": f"/workspace/pairs/{cast.ntl_md.code}/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/workspace/pairs/{cast.ntl_md.code}/"
    assert Organization.objects.get(pk=office.pk).head_name == "Nguyễn Văn Minh"
    assert "level" not in client.get(f"/workspace/units/{office.slug}/edit/").context["form"].fields
    # On a pair's page, each side the user manages links to its edit page.
    officer_md = client_for(cast.users.officer_md).get(f"/workspace/pairs/{cast.taymo_md.code}/").text
    assert f"/workspace/units/{cast.school_md.slug}/edit/" in officer_md
    assert f"/workspace/units/{cast.taymo.slug}/edit/" not in officer_md  # the other office's school
    # An outside address is not followed back.
    response = client.post(
        f"/workspace/units/{office.slug}/edit/", {**unit_data(office), "next": "https://example.com/"}
    )
    assert response["Location"] == f"/workspace/units/{office.slug}/"


def test_it_hides_units_outside_the_scope_and_refuses_principals(client, client_for, cast):
    url = f"/workspace/units/{cast.taymo.slug}/edit/"
    for user in (cast.users.officer_md, cast.users.staff_na, cast.users.principal_md, cast.users.union_na):
        assert client_for(user).get(url).status_code == 404, user
    for user in (cast.users.principal_taymo, cast.users.teacher_taymo):
        assert client_for(user).get(url).status_code == 403, user
        assert client_for(user).post(url, unit_data(cast.taymo, name="X")).status_code == 403, user
    assert client_for(cast.users.outsider).get(url).status_code == 403  # no role in the portal
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")
    assert Organization.objects.get(pk=cast.taymo.pk).name == "Trường THCS Tây Mỗ"
