"""The public directory (/pairs/): search without diacritics, filters, the two
lists, pagination and bad input. Runs on SQLite and on PostgreSQL (CI runs both)."""

import pytest

from programs.models import Pair
from schools.models import Organization
from tests import factories as f
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

TAYMO_PAIR = "THCS Tây Mỗ → Trường THCS Mỹ Đức A"
DTM_PAIR = "THCS Đặng Thai Mai → THCS Lý Nhật Quang"


def listed_pairs(client, **params):
    response = client.get("/pairs/", params)
    assert response.status_code == 200
    return [str(pair) for pair in response.context["page"].object_list]


def listed_units(client, **params):
    response = client.get("/pairs/", {"show": "units", **params})
    assert response.status_code == 200
    return [unit.name for unit in response.context["page"].object_list]


@pytest.fixture
def dtm_short_name(world):
    world.cast.school_vinh.short_name = "THCS Đặng Thai Mai"
    world.cast.school_vinh.save()
    return world


@pytest.mark.parametrize("query", ["tay mo", "Tay Mo", "TAY MO", "Tây Mỗ", "  tây   mỗ ", "Ta\u0302y Mo\u0302\u0303"])
def test_it_finds_tay_mo_with_or_without_accents_and_case(client, world, query):
    assert listed_pairs(client, q=query) == [TAYMO_PAIR]
    assert listed_units(client, q=query) == ["Trường THCS Tây Mỗ"]
    assert TAYMO_PAIR in page_text(client.get("/pairs/", {"q": query}))


@pytest.mark.parametrize("query", ["dang thai mai", "Đặng Thai Mai", "ĐẶNG THAI MAI", "dang"])
def test_it_matches_d_with_đ(client, dtm_short_name, query):
    assert listed_pairs(client, q=query) == [DTM_PAIR]
    assert listed_units(client, q=query) == ["Trường THCS Đặng Thai Mai"]


def test_it_finds_a_pair_by_words_from_both_sides(client, world):
    # "tay mo" is in the helping school's name, "my duc" in the helped one's.
    assert listed_pairs(client, q="tay mo my duc") == [TAYMO_PAIR]
    assert listed_pairs(client, q="tay mo ly nhat quang") == []


def test_it_finds_a_unit_by_its_official_code(client, world):
    assert listed_units(client, q="hn-tm") == ["Trường THCS Tây Mỗ"]
    assert listed_pairs(client, q="HN-MDA") == [TAYMO_PAIR]


def test_it_treats_like_wildcards_as_plain_text(client, world):
    assert listed_pairs(client, q="%") == []
    assert listed_pairs(client, q="_") == []


def test_it_lists_every_public_pair_without_a_search(client, world):
    assert set(listed_pairs(client)) == {
        "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức",
        "Phòng GD&ĐT Long Biên → Phòng GD&ĐT Mê Linh",
        TAYMO_PAIR,
        "Trường THCS Đặng Thai Mai → THCS Lý Nhật Quang",
    }
    page = page_text(client.get("/pairs/"))
    assert "Cặp kết nghĩa 4" in page and "Trường và đơn vị 8" in page


def test_it_filters_by_province_and_district(client, world):
    assert set(listed_pairs(client, province=world.cast.nghean.slug)) == {
        "Trường THCS Đặng Thai Mai → THCS Lý Nhật Quang"
    }
    md = world.cast.districts["Mỹ Đức"].slug
    assert set(listed_pairs(client, district=md)) == {"Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức", TAYMO_PAIR}
    assert set(listed_units(client, district=md)) == {"Phòng GD&ĐT Mỹ Đức", "Trường THCS Mỹ Đức A"}


def test_it_offers_only_the_districts_of_the_chosen_province(client, world):
    def district_choices(response):
        return [label for value, label in response.context["form"].fields["district"].choices if value]

    choices = client.get("/pairs/").context["form"].fields["district"].choices
    assert {"Hà Nội", "Nghệ An"} <= {value for value, _districts in choices}  # grouped by province
    response = client.get("/pairs/", {"province": world.cast.nghean.slug})
    assert district_choices(response) == ["Đô Lương", "Vinh"]
    # Districts were abolished on 1 July 2025: the label says which time it is about.
    assert "Quận/huyện (đến 30/6/2025)" in page_text(response)
    assert "Mỹ Đức" not in response.content.decode().split('id="id_district"')[1].split("</select>")[0]
    # The script narrows the list from every province's districts, carried as JSON.
    assert 'id="directory-districts"' in response.text and "my-duc" in response.text
    # A district of another province is refused with a message, the province still filters.
    response = client.get(
        "/pairs/", {"province": world.cast.nghean.slug, "district": world.cast.districts["Mỹ Đức"].slug}
    )
    assert "Không có quận/huyện" in page_text(response)
    assert [str(p) for p in response.context["page"].object_list] == [DTM_PAIR.replace("THCS Đặng", "Trường THCS Đặng")]


def test_it_filters_by_a_district_through_its_communes(client, world):
    commune = f.area("Phù Lưu Tế", kind="commune", parent=world.cast.districts["Mỹ Đức"], designation="xã")
    world.cast.school_md.area = commune
    world.cast.school_md.save()
    assert listed_pairs(client, district=world.cast.districts["Mỹ Đức"].slug, level="lower_secondary") == [TAYMO_PAIR]


def test_it_filters_by_level_program_and_status(client, world):
    ended = f.pair(world.cast.program, world.cast.school_lb, world.cast.school_ml, status=Pair.Status.ENDED)
    assert listed_pairs(client, level="primary") == [str(ended)]
    assert listed_units(client, level="primary") == ["Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A"]
    assert listed_pairs(client, status="ended") == [str(ended)]
    assert str(ended) not in listed_pairs(client, status="active")
    assert listed_pairs(client, program=world.cast.program_na.slug) == [
        "Trường THCS Đặng Thai Mai → THCS Lý Nhật Quang"
    ]
    page = page_text(client.get("/pairs/", {"status": "ended"}))
    assert "Đã kết thúc" in page


def test_it_combines_search_and_filters(client, world):
    assert listed_pairs(client, q="tay mo", province=world.cast.nghean.slug) == []
    assert listed_pairs(client, q="tay mo", province=world.cast.hanoi.slug) == [TAYMO_PAIR]


def test_it_offers_only_places_and_programs_with_something_public(client, world):
    hidden = f.program("Chương trình chưa công bố", is_public=False)
    empty = f.area("Ba Vì", parent=world.cast.hanoi, designation="huyện")
    f.org("Trường THCS Ba Vì", area=empty, parent=world.cast.office["md"])
    form = client.get("/pairs/").context["form"]
    programs = [value for value, _label in form.fields["program"].choices]
    assert world.cast.program.slug in programs and hidden.slug not in programs
    districts = [slug for _province, group in form.fields["district"].choices[1:] for slug, _name in group]
    assert world.cast.districts["Mỹ Đức"].slug in districts and empty.slug not in districts
    provinces = [value for value, _label in form.fields["province"].choices]
    assert provinces == ["", world.cast.hanoi.slug, world.cast.nghean.slug]


def test_it_explains_a_bad_filter_in_vietnamese_and_keeps_the_rest(client, world):
    response = client.get("/pairs/", {"q": "tay mo", "level": "university", "program": "khong-co"})
    page = page_text(response)
    assert "“university” không phải là cấp học; hãy chọn trong danh sách." in page
    assert "Không có chương trình công khai nào là “khong-co”; hãy chọn trong danh sách." in page
    assert [str(p) for p in response.context["page"].object_list] == [TAYMO_PAIR]
    assert 'value="tay mo"' in response.content.decode()


def test_it_says_when_nothing_matches_and_how_to_widen_the_search(client, world):
    page = page_text(client.get("/pairs/", {"q": "truong khong ton tai", "level": "primary"}))
    assert "Không tìm thấy kết quả nào cho “truong khong ton tai”." in page
    assert "Tìm lại, bỏ bộ lọc" in page


def test_it_points_to_the_pairs_when_the_words_match_two_sides(client, world):
    # No single unit is called "nam tu liem my duc", the partnership of the two is.
    response = client.get("/pairs/", {"q": "nam tu liem my duc", "show": "units"})
    assert list(response.context["page"].object_list) == []
    assert "Xem 1 cặp kết nghĩa khớp với từ khoá" in page_text(response)
    assert 'href="?q=nam+tu+liem+my+duc"' in response.content.decode()


def test_it_paginates_and_keeps_the_search_in_the_page_links(client, world):
    for i in range(25):
        school = f.org(
            f"Trường THCS Tây Mỗ số {i:02d}",
            area=world.cast.districts["Mỹ Đức"],
            parent=world.cast.office["md"],
            level=Organization.Level.LOWER_SECONDARY,
        )
        f.pair(world.cast.program, world.cast.taymo, school)
    first = client.get("/pairs/", {"q": "tay mo"})
    assert len(first.context["page"].object_list) == 20
    assert first.context["page"].paginator.count == 26
    html = first.content.decode()
    assert 'href="?q=tay+mo&amp;page=2"' in html and "Trang 1/2" in page_text(first)
    second = client.get("/pairs/", {"q": "tay mo", "page": 2})
    assert len(second.context["page"].object_list) == 6
    assert client.get("/pairs/", {"q": "tay mo", "page": "abc"}).status_code == 200


def test_it_shows_each_pair_with_its_places_program_and_activity_count(client, world):
    page = page_text(client.get("/pairs/", {"q": "tay mo"}))
    assert "Cặp trường · THCS · Quận Nam Từ Liêm → Huyện Mỹ Đức" in page
    assert "Nhà trường cùng chung tay phát triển" in page and "1 hoạt động công khai" in page


def test_it_shows_each_unit_with_its_place_and_partners(client, world):
    page = page_text(client.get("/pairs/", {"q": "tay mo", "show": "units"}))
    assert "Trường THCS Tây Mỗ" in page and "THCS · Quận Nam Từ Liêm, Hà Nội" in page
    assert "Đơn vị được giúp đỡ: Trường THCS Mỹ Đức A" in page
