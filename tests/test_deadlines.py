"""Issue 13 §3: a Department sets the reporting calendar of a program and school year;
pairs that have not handed in are reminded before and after the deadline; after it a
first hand-in is accepted and marked late, or refused with the reason and whom to ask;
the reporting rate shows on time / late / missing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from programs.models import Plan, PlanItem, ReportingCalendar, Review
from programs.services import deadlines
from programs.services import plans as plan_service
from programs.services import reviews as review_service
from tests.helpers import page_text

YEAR = "2022-2023"
TODAY = timezone.localdate


def _calendar(cast, **values):
    values = {"review_due": datetime.date(2023, 6, 15), **values}
    return ReportingCalendar.objects.create(program=cast.program, school_year=values.pop("year", YEAR), **values)


def _draft_review(cast, pair=None, year=YEAR):
    return review_service.review_save(
        pair=pair or cast.taymo_md,
        school_year=year,
        user=cast.users.principal_taymo,
        achievements="Dự giờ, chuyên đề Toán 7.",
        difficulties="",
        proposals="",
    )


def test_department_staff_set_the_calendar_and_others_only_read_it(cast, client_for):
    url = reverse("workspace:program-calendar-edit", args=[cast.program.slug, YEAR])
    staff = client_for(cast.users.staff_hn)
    response = staff.post(
        url,
        {
            "plan_due": "2022-10-15",
            "review_due": "2023-06-15",
            "remind_before_days": "7",
            "remind_after_days": "3",
            "late_policy": "refuse",
            "contact": "Phòng Giáo dục Trung học, 024 3825 1234",
        },
    )
    assert response.status_code == 302
    calendar = ReportingCalendar.objects.get(program=cast.program, school_year=YEAR)
    assert (calendar.review_due, calendar.late_policy, calendar.updated_by) == (
        datetime.date(2023, 6, 15),
        "refuse",
        cast.users.staff_hn,
    )
    page = page_text(
        client_for(cast.users.officer_ntl).get(reverse("workspace:program-calendar", args=[cast.program.slug]))
    )
    assert "Lịch báo cáo" in page and "15/10/2022" in page and "15/06/2023" in page and "Không nhận" in page
    assert "Đặt hạn" not in page
    # An officer cannot set it; a Department of another province does not see the program's.
    assert client_for(cast.users.officer_ntl).get(url).status_code == 403
    assert client_for(cast.users.staff_na).post(url, {"review_due": "2023-06-01"}).status_code in (403, 404)


def test_a_deadline_outside_the_school_year_is_refused_with_the_field_named(cast, client_for):
    url = reverse("workspace:program-calendar-edit", args=[cast.program.slug, YEAR])
    base = {"remind_before_days": "7", "remind_after_days": "3", "late_policy": "accept"}
    page = page_text(client_for(cast.users.staff_hn).post(url, {**base, "review_due": "2021-06-15"}))
    assert "Với năm học 2022–2023, ngày này phải trong khoảng từ 01/09/2022 đến 31/01/2024" in page
    page = page_text(client_for(cast.users.staff_hn).post(url, base))
    assert "Cần đặt ít nhất một hạn" in page
    assert not ReportingCalendar.objects.exists()


def test_a_late_review_is_accepted_and_marked_late_where_it_is_counted(cast, client_for):
    _calendar(cast, late_policy="accept")
    review = review_service.review_submit(review=_draft_review(cast), user=cast.users.principal_taymo)
    assert review.status == "submitted" and review.first_submitted_at is not None
    client = client_for(cast.users.staff_hn)
    detail = page_text(client.get(reverse("workspace:review-detail", args=[cast.taymo_md.code, YEAR])))
    assert "Hạn nộp: 15/06/2023" in detail and "nộp muộn Nộp lần đầu sau hạn 15/06/2023." in detail
    listing = client.get(reverse("workspace:review-list"), {"program": cast.program.slug, "year": YEAR}).text
    assert listing.count('<span class="badge text-bg-warning">nộp muộn</span>') == 1
    dashboard = page_text(client.get(reverse("reports:dashboard"), {"program": cast.program.slug, "year": YEAR}))
    assert "Hạn nộp: 15/06/2023. đúng hạn 0 · muộn 1 · thiếu 2" in dashboard
    late = page_text(
        client.get(reverse("reports:pairs"), {"program": cast.program.slug, "year": YEAR, "review": "late"})
    )
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in late


def test_the_department_may_refuse_a_late_first_hand_in_and_say_whom_to_ask(cast, client_for):
    _calendar(cast, late_policy="refuse", contact="Phòng GDTrH, 024 3825 1234")
    _draft_review(cast)
    client = client_for(cast.users.principal_taymo)
    response = client.post(reverse("workspace:review-submit", args=[cast.taymo_md.code, YEAR]), follow=True)
    page = page_text(response)
    assert "Hạn nộp bản tổng kết năm học 2022–2023 là ngày 15/06/2023; Sở không nhận" in page
    assert "xin liên hệ Phòng GDTrH, 024 3825 1234." in page
    assert Review.objects.get(pair=cast.taymo_md, school_year=YEAR).status == "draft"


def test_a_review_handed_in_on_time_and_reopened_may_be_sent_again_after_the_deadline(cast):
    _calendar(cast, late_policy="refuse")
    review = _draft_review(cast)
    Review.objects.filter(pk=review.pk).update(
        first_submitted_at=timezone.make_aware(datetime.datetime(2023, 6, 10, 9, 0))
    )
    review.refresh_from_db()
    review = review_service.review_submit(review=review, user=cast.users.principal_taymo)
    assert review.status == "submitted"
    assert not ReportingCalendar.is_late(review.first_submitted_at, datetime.date(2023, 6, 15))


def test_a_refused_plan_says_why(cast):
    _calendar(cast, plan_due=datetime.date(2022, 10, 15), late_policy="refuse")
    plan = plan_service.plan_create(pair=cast.taymo_md, school_year=YEAR, user=cast.users.principal_taymo)
    PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu", planned_month=datetime.date(2022, 11, 1))
    with pytest.raises(ValidationError) as caught:
        plan_service.plan_submit(plan=plan, user=cast.users.principal_taymo)
    assert "Hạn nộp kế hoạch năm học 2022–2023 là ngày 15/10/2022" in " ".join(caught.value.messages)
    assert Plan.objects.get(pk=plan.pk).status == "draft"


def _current(cast, due, **values):
    from twinning.lib.schoolyear import school_year_of

    return _calendar(cast, year=school_year_of(due), review_due=due, **values)


def test_units_that_have_not_handed_in_are_reminded_before_the_deadline_once(cast):
    due = TODAY() + datetime.timedelta(days=3)
    calendar = _current(cast, due, remind_before_days=7, remind_after_days=3)
    # Tây Mỗ → Mỹ Đức has handed its review in; the other two pairs have not.
    Review.objects.create(
        pair=cast.taymo_md, school_year=calendar.school_year, status="submitted", first_submitted_at=timezone.now()
    )
    made = deadlines.send_reminders()
    told = Notification.objects.filter(kind="deadline_soon")
    assert made == told.count() > 0
    users = set(told.values_list("user__username", flat=True))
    assert {"phong.ntl", "phong.md", "phong.lb"} <= users
    assert "ht.tm" not in users and "ht.md" not in users  # their pair handed in
    one = told.get(user=cast.users.officer_lb)
    assert one.link == reverse("workspace:review-detail", args=[cast.lb_ml.code, calendar.school_year])
    assert f"hạn {due:%d/%m/%Y}" in one.subject and one.text.startswith("Sắp đến hạn: bản tổng kết năm học")
    # Run again the same day (or the next): nobody is told twice.
    assert deadlines.send_reminders() == 0
    assert deadlines.send_reminders(today=TODAY() + datetime.timedelta(days=1)) == 0


def test_after_the_deadline_the_late_ones_are_reminded_and_a_plan_links_to_starting_one(cast):
    due = TODAY() - datetime.timedelta(days=4)
    from twinning.lib.schoolyear import school_year_of

    calendar = _calendar(
        cast, year=school_year_of(due), plan_due=due, review_due=None, remind_before_days=7, remind_after_days=3
    )
    assert deadlines.send_reminders() > 0
    notice = Notification.objects.get(kind="deadline_passed", user=cast.users.principal_taymo)
    assert notice.link == reverse("workspace:plan-new") + f"?pair={cast.taymo_md.code}"
    assert notice.text.startswith("Đã quá hạn: kế hoạch năm học")
    assert not Notification.objects.filter(kind="deadline_soon").exists()
    # Nothing is sent before the first reminder day.
    Notification.objects.all().delete()
    calendar.plan_due = TODAY() + datetime.timedelta(days=20)
    calendar.save()
    assert deadlines.send_reminders() == 0


def test_the_reminder_command_runs(cast, capsys):
    from django.core.management import call_command

    _current(cast, TODAY() + datetime.timedelta(days=1))
    call_command("send_deadline_reminders")
    assert "notification(s) made" in capsys.readouterr().out
    assert Notification.objects.filter(kind="deadline_soon").exists()
