"""A pair's timeline and the principal's home: what they show, and a query count that
does not grow with the number of activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import ActivityPhoto, Plan, PlanItem
from tests import factories as f
from tests.helpers import page_text
from tests.workspace_principal.conftest import DAY


def _timeline(cast):
    return f"/workspace/pairs/{cast.taymo_md.code}/timeline/"


def _add_activities(cast, n, start=0):
    for i in range(start, start + n):
        activity = f.activity(
            cast.taymo_md,
            title=f"Giao lưu số {i}",
            happened_on=DAY - datetime.timedelta(days=i),
            status="confirmed",
            reported_by_org=cast.taymo,
        )
        for order in range(2):
            ActivityPhoto.objects.create(
                activity=activity, image=f"photos/{i}-{order}.jpg", order=order, width=3, height=2
            )
        f.donation(cast.program, cast.school_md, donor_org=cast.taymo, pair=cast.taymo_md, given_on=DAY)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_it_shows_activities_and_donations_in_date_order_with_thumbnails(client_for, cast):
    f.activity(
        cast.taymo_md, title="Chuyên đề tháng 9", happened_on=datetime.date(2026, 9, 20), reported_by_org=cast.taymo
    )
    lesson = f.activity(
        cast.taymo_md, title="Chuyên đề tháng 10", happened_on=datetime.date(2026, 10, 20), reported_by_org=cast.taymo
    )
    photo = ActivityPhoto.objects.create(activity=lesson, image="photos/a.jpg", width=3, height=2)
    f.donation(
        cast.program, cast.school_md, donor_org=cast.taymo, pair=cast.taymo_md, given_on=datetime.date(2026, 10, 1)
    )
    f.activity(
        cast.taymo_md, title="Giao lưu năm trước", happened_on=datetime.date(2026, 3, 1), reported_by_org=cast.taymo
    )
    response = client_for(cast.users.principal_md).get(_timeline(cast))
    page = page_text(response)
    page = page[page.index("Dòng thời gian Năm học") :]
    order = [
        page.index(text) for text in ("Chuyên đề tháng 10", "10.000.000 ₫", "Chuyên đề tháng 9", "Giao lưu năm trước")
    ]
    assert order == sorted(order)
    assert page.index("Năm học 2026–2027") < page.index("Chuyên đề tháng 10") < page.index("Năm học 2025–2026")
    thumb = f'src="/photos/{photo.code}/thumb/" alt="" width="96" height="64" loading="lazy"'
    assert thumb in response.text


def test_it_shows_a_confirmed_and_a_waiting_count_apart(client_for, cast, reported):
    f.activity(cast.taymo_md, title="Đã xác nhận", happened_on=DAY, reported_by_org=cast.taymo)
    page = page_text(client_for(cast.users.principal_taymo).get(_timeline(cast)))
    assert "1 đã xác nhận 1 chờ xác nhận" in page


def test_it_hides_the_other_sides_drafts_from_the_timeline(client_for, cast):
    f.activity(cast.taymo_md, title="Nháp của Tây Mỗ", happened_on=DAY, status="draft", reported_by_org=cast.taymo)
    assert "Nháp của Tây Mỗ" in page_text(client_for(cast.users.principal_taymo).get(_timeline(cast)))
    assert "Nháp của Tây Mỗ" not in page_text(client_for(cast.users.principal_md).get(_timeline(cast)))


def test_it_draws_the_timeline_in_a_fixed_number_of_queries(client_for, cast):
    client = client_for(cast.users.principal_taymo)
    _add_activities(cast, 2)
    few, _ = _queries(client, _timeline(cast))
    _add_activities(cast, 15, start=2)
    many, response = _queries(client, _timeline(cast))
    # session, user, scope, pair, activities, donations, photos, may act, this year's
    # plan, the header's unread notifications
    assert many == few == 10
    assert "Giao lưu số 0" in page_text(response) and "Trang 1/2" in page_text(response)


def test_it_hides_another_pairs_timeline(client_for, cast):
    assert client_for(cast.users.principal_lb).get(_timeline(cast)).status_code == 404
    assert client_for(cast.users.officer_lb).get(_timeline(cast)).status_code == 404
    assert client_for(cast.users.outsider).get(_timeline(cast)).status_code == 403


def test_it_sends_anonymous_visitors_from_the_timeline_to_the_login_page(client, cast):
    assert client.get(_timeline(cast))["Location"].startswith("/accounts/login/")


# --- the principal's home ----------------------------------------------------------------


@pytest.fixture
def plan(cast):
    plan = Plan.objects.create(pair=cast.taymo_md, school_year="2026-2027", status="accepted")
    done = PlanItem.objects.create(plan=plan, kind="demonstration", title="Chuyên đề Ngữ văn 7", planned_month=DAY)
    PlanItem.objects.create(plan=plan, kind="study_visit", title="Thăm quan học tập", planned_month="2027-03-01")
    f.activity(cast.taymo_md, title="Tiết Ngữ văn 7", happened_on=DAY, plan_item=done, reported_by_org=cast.taymo)
    return plan


def test_it_shows_the_principal_their_pairs_plan_and_what_waits_for_them(client_for, cast, plan, reported):
    cast.taymo.head_name = "Đoàn Thị Thanh Hương"
    cast.taymo.phone = "024 3765 1234"
    cast.taymo.save()
    page = page_text(client_for(cast.users.principal_md).get("/workspace/"))
    assert "Đơn vị giúp đỡ trường Trường THCS Tây Mỗ" in page
    assert "Đoàn Thị Thanh Hương" in page and "024 3765 1234" in page
    assert "Kế hoạch 2026–2027 · Đã duyệt · Đã thực hiện 1/2" in page
    assert "✓ 10/2026 · Chuyên đề Ngữ văn 7 (đã thực hiện)" in page
    assert "○ 03/2027 · Thăm quan học tập" in page
    assert "1 hoạt động chờ trường xác nhận" in page and "do THCS Tây Mỗ ghi" in page
    assert "Năm học 2026–2027: 1 hoạt động đã xác nhận, 1 chờ xác nhận." in page


def test_it_shows_the_logging_side_what_it_still_has_to_finish(client_for, cast, reported):
    reported.status = "returned"
    reported.return_comment = "Thiếu ảnh."
    reported.save()
    page = page_text(client_for(cast.users.principal_taymo).get("/workspace/"))
    assert "Cần hoàn thiện" in page and "Thiếu ảnh." in page
    assert "chờ trường xác nhận" not in page


def test_it_shows_a_teacher_the_home_without_actions(client_for, cast, plan):
    page = page_text(client_for(cast.users.teacher_taymo).get("/workspace/"))
    assert "Kế hoạch 2026–2027" in page and "Ghi hoạt động" not in page


def test_it_draws_the_home_in_a_fixed_number_of_queries(client_for, cast, plan):
    client = client_for(cast.users.principal_md)
    _add_activities(cast, 2)
    f.activity(cast.taymo_md, happened_on=DAY, status="reported", reported_by_org=cast.taymo)
    few, _ = _queries(client, "/workspace/")
    _add_activities(cast, 12, start=2)
    for _ in range(5):
        f.activity(cast.taymo_md, happened_on=DAY, status="reported", reported_by_org=cast.taymo)
    many, response = _queries(client, "/workspace/")
    # session, user, scope, schools, pairs, plans, then activities: plan items, counts,
    # waiting, to finish, recent (five), photos, the header's unread notifications
    assert many == few == 13
    assert "6 hoạt động chờ trường xác nhận" in page_text(response)
