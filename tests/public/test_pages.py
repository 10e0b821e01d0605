"""What each public page shows a visitor: home, program, pair, unit, activity, 404."""

import datetime
import html as htmllib
import re

import pytest
from django.core.management import call_command

from programs.models import Pair
from tests import factories as f
from tests.helpers import page_text
from tests.public.conftest import add_photo

pytestmark = pytest.mark.django_db


def meta(html: str, prop: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return htmllib.unescape(match.group(1)) if match else ""


def title(html: str) -> str:
    return htmllib.unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())


def test_it_shows_movements_totals_and_latest_activities_on_the_home_page(client, world):
    page = page_text(client.get("/"))
    assert "Nhà trường cùng chung tay phát triển" in page and "Giai đoạn 2022–2025" in page
    assert "Đơn vị tổ chức: Sở GD&ĐT Hà Nội" in page
    assert "Cặp kết nghĩa 4" in page  # ntl_md, lb_ml, taymo_md, dtm_lnq
    assert "Trường tham gia 4" in page  # Tây Mỗ, Mỹ Đức A, Đặng Thai Mai, Lý Nhật Quang
    assert "Tổng hỗ trợ 240.000.000 ₫" in page
    assert "Chuyên đề Ngữ văn 6 công khai" in page
    html = client.get("/").content.decode()
    assert f'src="/photos/{world.photo.code}/thumb/"' in html and 'loading="lazy"' in html
    assert title(html) == "Kết nghĩa – trường giúp trường"


def test_it_counts_this_school_years_activities(client, world, settings):
    from twinning.lib.schoolyear import current_school_year, school_year_bounds

    first, _last = school_year_bounds(current_school_year())
    f.activity(world.cast.taymo_md, title="Hoạt động năm nay", happened_on=first)
    page = page_text(client.get("/"))
    assert re.search(r"Hoạt động năm học \d{4}–\d{4} 1 \(tổng cộng 2\)", page)


def test_it_shows_a_program_with_partnerships_school_pairs_by_level_and_support(client, world):
    f.pair(world.cast.program, world.cast.school_lb, world.cast.school_ml, parent=world.cast.lb_ml)
    response = client.get(world.cast.program.get_absolute_url())
    page = page_text(response)
    assert "Nhà trường cùng chung tay phát triển" in page
    assert "Đơn vị tổ chức: Sở GD&ĐT Hà Nội" in page
    assert "Phòng GD&ĐT Long Biên → Phòng GD&ĐT Mê Linh" in page
    assert "Tiểu học (1) Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh A" in page
    assert "THCS (1) THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page
    assert "Đỡ đầu học sinh 240.000.000 ₫" in page and "Tổng cộng 240.000.000 ₫" in page
    assert "Chuyên đề Ngữ văn 6 công khai" in page
    assert title(response.content.decode()) == "Nhà trường cùng chung tay phát triển · Kết nghĩa"


def test_a_nations_program_gives_numbers_by_level_and_sends_to_the_directory(client, world, monkeypatch):
    from programs.views import public

    f.pair(world.cast.program, world.cast.school_lb, world.cast.school_ml, parent=world.cast.lb_ml)
    monkeypatch.setattr(public, "LISTED_SCHOOL_PAIRS", 1)
    response = client.get(world.cast.program.get_absolute_url())
    page = page_text(response)
    # Numbers, not names: a movement of 25 000 school pairs is searched in the directory.
    assert "Trường Tiểu học Long Biên A → Trường Tiểu học Mê Linh A" not in page
    assert "Tiểu học: 1 · Xem các cặp trường" in page and "THCS: 1 · Xem các cặp trường" in page
    assert "Cặp trường 2" in page
    html = response.content.decode()
    assert f'href="{world.cast.lb_ml.get_absolute_url()}"' in html
    assert f"/pairs/?program={world.cast.program.slug}" in html


def test_it_shows_a_pair_with_its_sides_memorandum_timeline_and_support(client, world):
    response = client.get(world.cast.ntl_md.get_absolute_url())
    page = page_text(response)
    assert "Bên giúp đỡ Phòng GD&ĐT Nam Từ Liêm" in page and "Quận Nam Từ Liêm, Hà Nội" in page
    assert "Bên được giúp đỡ Phòng GD&ĐT Mỹ Đức" in page
    assert "Biên bản ghi nhớ Nam Từ Liêm – Mỹ Đức" in page
    assert "Số hiệu 01/BBGN Ngày ký 15/11/2022 Nơi ký Phòng GD&ĐT huyện Mỹ Đức" in page
    # The partnership gathers its school pairs' activities and support.
    assert "1 cặp trường" in page and "Chuyên đề Ngữ văn 6 công khai" in page
    assert "Tổng cộng 240.000.000 ₫" in page
    html = response.content.decode()
    assert f'src="/photos/{world.photo.code}/thumb/"' in html
    assert title(html) == "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức · Kết nghĩa"


def test_it_shows_a_school_pair_with_the_memorandum_of_its_offices(client, world):
    world.cast.taymo_md.started_on = datetime.date(2022, 11, 15)
    world.cast.taymo_md.save()
    response = client.get(world.cast.taymo_md.get_absolute_url())
    page = page_text(response)
    assert "Cặp trường · THCS · từ ngày 15/11/2022" in page
    assert "Thuộc kết nghĩa giữa hai đơn vị Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" in page
    assert "Biên bản ký cho kết nghĩa giữa hai đơn vị mà cặp trường này thuộc về." in page
    assert "Biên bản ghi nhớ Nam Từ Liêm – Mỹ Đức" in page
    html = response.content.decode()
    assert title(html) == "THCS Tây Mỗ → Trường THCS Mỹ Đức A · Kết nghĩa"
    assert meta(html, "og:title") == "THCS Tây Mỗ → Trường THCS Mỹ Đức A"
    assert meta(html, "og:description").startswith("THCS Tây Mỗ (Quận Nam Từ Liêm) giúp đỡ Trường THCS Mỹ Đức A")
    assert meta(html, "og:image") == f"http://testserver/photos/{world.photo.code}/full/"


def test_it_shows_an_ended_pair_as_ended(client, world):
    ended = f.pair(
        world.cast.program,
        world.cast.school_lb,
        world.cast.school_ml,
        status=Pair.Status.ENDED,
        started_on=datetime.date(2022, 9, 5),
        ended_on=datetime.date(2024, 5, 31),
    )
    page = page_text(client.get(ended.get_absolute_url()))
    assert "từ ngày 05/09/2022 · Đã kết thúc 31/05/2024" in page


def test_it_shows_a_school_with_its_pairs_in_every_program_and_its_activities(client, world):
    f.pair(world.cast.program_na, world.cast.taymo, world.cast.school_vinh)
    response = client.get(world.cast.taymo.get_absolute_url())
    page = page_text(response)
    assert "Trường THCS Tây Mỗ" in page and "Trường học · THCS" in page
    assert "Quận Nam Từ Liêm, Hà Nội" in page
    assert "Nhà trường cùng chung tay phát triển (2022–2025) Đơn vị được giúp đỡ: Trường THCS Mỹ Đức A" in page
    assert "Phòng giúp phòng, trường giúp trường (2019–2022) Đơn vị được giúp đỡ: Trường THCS Đặng Thai Mai" in page
    assert "1 hoạt động công khai" in page and "Chuyên đề Ngữ văn 6 công khai" in page
    html = response.content.decode()
    assert title(html) == "THCS Tây Mỗ · Kết nghĩa"
    assert meta(html, "og:url") == f"http://testserver{world.cast.taymo.get_absolute_url()}"


def test_it_shows_an_office_with_its_schools_taking_part(client, world):
    page = page_text(client.get(world.cast.office["ntl"].get_absolute_url()))
    assert "Đơn vị được giúp đỡ: Phòng GD&ĐT Mỹ Đức" in page
    assert "1 trường trực thuộc tham gia THCS Tây Mỗ" in page


def test_it_shows_an_organizer_with_the_movements_it_organizes(client, world):
    page = page_text(client.get(world.cast.union_na.get_absolute_url()))
    assert "Phong trào do đơn vị tổ chức Phòng giúp phòng, trường giúp trường (2019–2022)" in page


def test_it_shows_an_activity_with_place_leader_lessons_and_photos(client, world):
    second = add_photo(world.lesson, caption="Học sinh thảo luận")
    response = client.get(world.lesson.get_absolute_url())
    page = page_text(response)
    assert "Chuyên đề · 30/03/2023" in page
    assert "Địa điểm Trường THCS Tây Mỗ Phòng học tầng 2" in page
    assert "Người thực hiện Đào Thị Yến" in page
    assert "Môn học và khối lớp Ngữ văn, lớp 6" in page
    assert "Tham gia 20 giáo viên, 0 học sinh, 0 cán bộ quản lý" in page
    assert "Nội dung hoạt động Tiết dạy mẫu về kỹ năng nói và nghe." in page
    assert "Rút kinh nghiệm Dùng vật liệu sẵn có trong lớp." in page
    html = response.content.decode()
    for photo in (world.photo, second):
        assert (
            f'<a href="/photos/{photo.code}/full/"><img src="/photos/{photo.code}/thumb/" alt="{photo.caption}"' in html
        )
    assert html.count('loading="lazy"') == 2


def test_it_gives_an_activity_a_proper_link_preview(client, world):
    html = client.get(world.lesson.get_absolute_url()).content.decode()
    assert title(html) == "Chuyên đề Ngữ văn 6 công khai · Kết nghĩa"
    assert meta(html, "description") == "Tiết dạy mẫu về kỹ năng nói và nghe."
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:title") == "Chuyên đề Ngữ văn 6 công khai"
    assert meta(html, "og:description") == "Tiết dạy mẫu về kỹ năng nói và nghe."
    assert meta(html, "og:url") == f"http://testserver/activities/{world.lesson.code}/"
    assert meta(html, "og:image") == f"http://testserver/photos/{world.photo.code}/full/"
    assert meta(html, "og:locale") == "vi_VN" and meta(html, "og:locale:alternate") == "en_US"
    assert meta(html, "twitter:card") == "summary_large_image"
    english = client.get(f"/en/activities/{world.lesson.code}/").content.decode()
    assert meta(english, "og:locale") == "en_US"
    assert meta(english, "og:url") == f"http://testserver/en/activities/{world.lesson.code}/"


def test_it_previews_an_activity_without_photos_without_an_image(client, world):
    plain = f.activity(world.cast.taymo_md, title="Giao lưu không ảnh")
    html = client.get(plain.get_absolute_url()).content.decode()
    assert meta(html, "og:image") == "" and meta(html, "twitter:card") == "summary"
    assert meta(html, "og:description") == "Giao lưu không ảnh"


def test_it_answers_an_unknown_page_with_a_helpful_404_in_vietnamese(client, world):
    response = client.get("/pairs/khong-co-cap-nay/")
    assert response.status_code == 404
    page = page_text(response)
    assert "Không tìm thấy trang" in page
    assert "Tìm trường, đơn vị hoặc cặp kết nghĩa" in page
    assert "trang chủ, với tất cả các phong trào" in page
    html = response.content.decode()
    assert '<form method="get" action="/pairs/" role="search"' in html
    assert '<html lang="vi">' in html and title(html) == "Không tìm thấy trang · Kết nghĩa"
    assert client.get("/en/nothing-here/").status_code == 404
    assert "Page not found" in page_text(client.get("/en/nothing-here/"))


@pytest.mark.parametrize(
    "url", ["/", "/pairs/", "/pairs/hn-taymo-md/", "/units/thcs-tay-mo/", "/activities/hd-taymo-nv6/"]
)
def test_it_answers_only_get_and_head(client, url):
    call_command("seed_demo", verbosity=0)
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_it_shows_the_demo_data_of_the_articles(client):
    call_command("seed_demo", verbosity=0)
    page = page_text(client.get("/pairs/hn-ntl-md/"))
    assert "Đỡ đầu học sinh 240.000.000 ₫ Suất quà 20.000.000 ₫ Tổng cộng 260.000.000 ₫" in page
    assert "Đại diện Phòng GD&ĐT quận Nam Từ Liêm" in page
    activity = page_text(client.get("/activities/hd-taymo-nv6/"))
    assert "Người thực hiện Đào Thị Yến" in activity
    assert "Cô Đoàn Thị Thanh Hương – Hiệu trưởng Trường THCS Tây Mỗ" in activity


def test_it_apologises_for_a_server_error_without_touching_the_database(rf, django_assert_num_queries):
    from django.utils import translation

    from twinning.views import server_error

    with django_assert_num_queries(0), translation.override("vi"):
        response = server_error(rf.get("/"))
    page = page_text(response)
    assert response.status_code == 500
    assert "Đã có lỗi xảy ra" in page and "Về trang chủ" in page
    assert '<html lang="vi">' in response.content.decode()


def test_the_home_figures_are_counted_once_a_minute_not_on_every_visit(client, world, settings):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.PUBLIC_FIGURES_SECONDS = 60
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        assert "Cặp kết nghĩa 4" in page_text(client.get("/"))
    f.pair(world.cast.program, world.cast.school_lb, world.cast.school_ml, parent=world.cast.lb_ml)
    with CaptureQueriesContext(connection) as second:
        assert "Cặp kết nghĩa 4" in page_text(client.get("/"))  # a minute late at most
    assert len(second) < len(first)
    cache.clear()
    assert "Cặp kết nghĩa 5" in page_text(client.get("/"))
