"""/reports/: the dashboard and the lists of rows behind its numbers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.reports import figures
from tests.helpers import page_text
from tests.reports.conftest import YEAR
from tests.reports.test_figures import _grow

DASHBOARD = "/reports/"


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    for url in (DASHBOARD, "/reports/pairs/", "/reports/annual/x/2022-2023/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_refuses_principals_teachers_and_outsiders(cast, client_for):
    for user in (cast.users.principal_taymo, cast.users.teacher_taymo, cast.users.outsider):
        client = client_for(user)
        for url in (DASHBOARD, "/reports/pairs/", "/reports/support/", f"/reports/annual/{cast.program.slug}/{YEAR}/"):
            assert client.get(url).status_code == 403, (user, url)


def test_it_hides_a_program_outside_the_scope(cast, client_for):
    client = client_for(cast.users.officer_ntl)
    assert client.get(DASHBOARD, {"program": cast.program_na.slug}).status_code == 404
    assert client.get("/reports/pairs/", {"program": cast.program_na.slug}).status_code == 404
    assert client.get(f"/reports/annual/{cast.program_na.slug}/{YEAR}/").status_code == 404
    assert client_for(cast.users.staff_na).get(DASHBOARD, {"program": cast.program.slug}).status_code == 404


def test_it_refuses_to_change_anything(cast, client_for):
    client = client_for(cast.users.staff_hn)
    assert client.post(DASHBOARD).status_code == 405
    # The workbook is started by a POST (a job); a GET of its address changes nothing.
    assert client.get(reverse("reports:annual-summary-xlsx")).status_code == 405


def test_it_shows_the_department_the_year_of_the_province(cast, year_data, client_for):
    response = client_for(cast.users.staff_hn).get(DASHBOARD, {"program": cast.program.slug, "year": YEAR})
    assert response.status_code == 200
    page = page_text(response)
    assert "Báo cáo năm học 2022–2023" in page
    for office in ("Phòng GD&ĐT Nam Từ Liêm", "Phòng GD&ĐT Mỹ Đức", "Phòng GD&ĐT Long Biên", "Phòng GD&ĐT Mê Linh"):
        assert office in page
    assert "240.000.000 ₫" in page and "265.000.000 ₫" in page
    assert "Không cộng vào số trên: 129.000.000 ₫ hỗ trợ trong nội bộ đơn vị" in page
    assert "Tỉ lệ nộp tổng kết: 1 / 3 cặp đang kết nghĩa đã gửi bản tổng kết (33 %)" in page
    assert "Đã thực hiện 1 / 2 nội dung kế hoạch (50 %)" in page
    assert "<svg" in response.text and "report-chart-svg" in response.text
    assert response.text.count('class="confirmed"') >= 2  # bars of two months


def test_it_shows_an_officer_only_their_office(cast, year_data, client_for):
    page = page_text(client_for(cast.users.officer_ntl).get(DASHBOARD, {"year": YEAR}))
    assert "Phòng GD&ĐT Nam Từ Liêm" in page
    assert "Long Biên" not in page and "Mê Linh" not in page and "Công ty ABC" not in page


def test_it_links_the_reports_from_the_menu_for_those_who_may_open_them(cast, client_for):
    assert 'href="/reports/"' in client_for(cast.users.staff_hn).get("/").text
    assert 'href="/reports/"' in client_for(cast.users.union_na).get("/").text
    assert 'href="/reports/"' not in client_for(cast.users.principal_taymo).get("/").text


def _count(response):
    assert response.status_code == 200, response.status_code
    match = re.search(r"(\d+) dòng", page_text(response))
    return int(match.group(1))


def _links(html, path):
    return [link.replace("&amp;", "&") for link in re.findall(rf'href="({re.escape(path)}\?[^"]+)"', html)]


@pytest.mark.parametrize("user", ["staff_hn", "officer_ntl"])
def test_it_opens_the_rows_behind_each_number_of_the_office_table(cast, year_data, client_for, user):
    user = getattr(cast.users, user)
    client = client_for(user)
    response = client.get(DASHBOARD, {"program": cast.program.slug, "year": YEAR})
    report = figures.build_report(user, cast.program, YEAR)
    expected = {}
    for row in report.units:
        t = row.tally
        slug = row.unit.slug
        expected.update(
            {
                ("pairs", slug, "status=active", ""): t.active,
                ("pairs", slug, "status=active", "kind=school"): t.school_pairs,
                ("activities", slug, "status=confirmed", ""): t.confirmed,
                ("pairs", slug, "quiet=1", ""): t.quiet,
                ("pairs", slug, "status=active", "review=submitted"): t.reviews_submitted,
            }
        )
        if t.reported:  # linked only when there are some
            expected[("activities", slug, "status=reported", "")] = t.reported
    checked = 0
    for (kind, slug, first, second), number in expected.items():
        query = f"program={cast.program.slug}&year={YEAR}&unit={slug}&{first}" + (f"&{second}" if second else "")
        assert f"/reports/{kind}/?{query}" in response.text.replace("&amp;", "&"), query
        assert _count(client.get(f"/reports/{kind}/?{query}")) == number, query
        checked += 1
    assert checked >= 6


def test_it_lists_the_support_behind_each_amount(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    ntl = cast.office["ntl"].slug
    base = {"program": cast.program.slug, "year": YEAR}

    def support(**params):
        response = client.get("/reports/support/", {**base, **params})
        return _count(response), page_text(response)

    n, page = support(unit=ntl, role="given", kind="sponsorship")
    assert n == 1 and "240.000.000 ₫" in page
    n, page = support(unit=ntl, role="own")
    assert n == 1 and "129.000.000 ₫" in page
    n, page = support(unit=cast.office["md"].slug, role="received")
    assert n == 3 and "Tổng cộng (mọi trang) 267.000.000 ₫" in page
    assert support(category="not_own", kind="gift")[0] == 2
    assert client.get("/reports/support/", {**base, "role": "given"}).status_code == 404  # a role needs a unit
    assert client.get("/reports/support/", {**base, "kind": "gold"}).status_code == 404


def test_it_lists_activities_per_month_and_plan_items(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    base = {"program": cast.program.slug, "year": YEAR}
    response = client.get("/reports/activities/", {**base, "month": "2022-11", "status": "confirmed"})
    assert _count(response) == 1 and "Giao lưu tháng 11" in page_text(response)
    assert client.get("/reports/activities/", {**base, "month": "2024-11"}).status_code == 404
    response = client.get("/reports/plan-items/", {**base, "done": "0"})
    assert _count(response) == 1 and "Thăm quan" in page_text(response)
    assert client.get("/reports/pairs/", {**base, "unit": "khong-co"}).status_code == 404


def test_it_shows_an_activity_to_those_who_may_see_it(cast, year_data, client_for):
    url = reverse("reports:activity-detail", args=[year_data.exchange.code])
    page = page_text(client_for(cast.users.principal_taymo).get(url))
    assert "Giao lưu tháng 11" in page and "4 giáo viên" in page
    assert client_for(cast.users.officer_lb).get(url).status_code == 404
    draft = reverse("reports:activity-detail", args=[year_data.draft.code])
    assert client_for(cast.users.staff_hn).get(draft).status_code == 404  # a draft stays with its writer


def test_it_renders_the_dashboard_with_a_fixed_number_of_queries(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    params = {"program": cast.program.slug, "year": YEAR}

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        return len(captured), response

    small = {url: queries(url)[0] for url in (DASHBOARD, "/reports/pairs/", "/reports/activities/")}
    _grow(cast, pairs=5, activities=3)
    large = {url: queries(url)[0] for url in small}
    assert "Trường Tiểu học Nam Từ Liêm 4" in queries("/reports/pairs/")[1].text  # the new pairs are listed…
    # …with the same queries. Dashboard (18): session, user, scope, programs in sight,
    # the program's year span, the figures' version (programs.reports.cache: each visit
    # here follows a write, so the figures are worked out); the figures: pairs with their units (a placement
    # subquery), latest activities and yearly figures (PairYear), the reporting
    # calendar, reviews, quiet pairs, donations per organization and those
    # organizations' units, the organizers and the units; the outcomes' gaps; unread
    # notifications. Pairs list (12): session, user, scope, programs, year span, the
    # calendar, count, the page with its units, its yearly figures, reviews and latest
    # activities, unread notifications. Activities list (8): session, user, scope,
    # programs, year span, count, unread notifications, the page.
    assert small == large == {DASHBOARD: 18, "/reports/pairs/": 12, "/reports/activities/": 8}


def test_it_shows_an_empty_page_to_a_union_officer_without_programs(cast, client_for):
    cast.program_na.organizers.remove(cast.union_na)
    response = client_for(cast.users.union_na).get(DASHBOARD)
    assert response.status_code == 200 and "Chưa có chương trình nào có cặp kết nghĩa" in page_text(response)


def test_it_warns_about_a_bad_year_and_shows_the_default(cast, year_data, client_for):
    page = page_text(client_for(cast.users.officer_ntl).get(DASHBOARD, {"year": "năm ngoái"}))
    assert "“năm ngoái” không phải là năm học; đang hiển thị năm học 2022–2023." in page


def test_it_pages_a_long_table_per_office_and_keeps_the_filters(cast, year_data, client_for, monkeypatch):
    monkeypatch.setattr(figures, "UNIT_ROWS_PER_PAGE", 2)
    client = client_for(cast.users.staff_hn)
    params = {"program": cast.program.slug, "year": YEAR}

    def unit_rows(response):
        table = re.search(r'<table class="[^"]*report-units.*?</table>', response.text, re.S).group(0)
        return re.findall(r'<th scope="row">([^<]*)</th>', table)

    first = client.get(DASHBOARD, params)
    assert "Đơn vị 1–2 / 4" in page_text(first)
    assert unit_rows(first) == [
        "Phòng GD&amp;ĐT Long Biên",
        "Phòng GD&amp;ĐT Mê Linh",
        "Toàn bộ (mỗi cặp tính một lần)",
    ]
    second = client.get(DASHBOARD, {**params, "units_page": 2})
    assert "Đơn vị 3–4 / 4" in page_text(second)
    assert unit_rows(second) == [
        "Phòng GD&amp;ĐT Mỹ Đức",
        "Phòng GD&amp;ĐT Nam Từ Liêm",
        "Toàn bộ (mỗi cặp tính một lần)",
    ]
    assert f"year={YEAR}" in re.search(r'href="([^"]*units_page=1[^"]*)"', second.text).group(1)
    # The whole scope is still summed in the last row and the figures above, whatever the page.
    assert "Tỉ lệ nộp tổng kết: 1 / 3 cặp" in page_text(second)
