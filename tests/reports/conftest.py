"""Fixtures of the reports tests: a school year of work on the cast's pairs."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from programs.models import Donation, Plan, PlanItem, Review
from tests import factories as f

YEAR = "2022-2023"


@pytest.fixture
def year_data(cast):
    """The cast's pairs with a year of activities, support, plans and reviews
    (2022–2023), plus one recent activity so that lb_ml is not a quiet pair."""
    d = datetime.date
    a = SimpleNamespace()
    a.lesson = f.activity(
        cast.ntl_md,
        title="Chuyên đề Ngữ văn 6",
        happened_on=d(2023, 3, 30),
        host=cast.taymo,
        teachers_count=3,
        students_count=25,
        managers_count=2,
    )
    a.reported = f.activity(
        cast.taymo_md, title="Giao lưu chờ xác nhận", happened_on=d(2022, 10, 15), status="reported", kind="exchange"
    )
    a.exchange = f.activity(
        cast.taymo_md, title="Giao lưu tháng 11", happened_on=d(2022, 11, 20), kind="exchange", teachers_count=4
    )
    a.draft = f.activity(cast.taymo_md, title="Bản nháp", happened_on=d(2022, 12, 1), status="draft")
    a.returned = f.activity(cast.taymo_md, title="Bị trả lại", happened_on=d(2022, 12, 2), status="returned")
    a.next_year = f.activity(cast.lb_ml, title="Hội nghị năm sau", happened_on=d(2024, 3, 11), kind="other")
    a.recent = f.activity(
        cast.lb_ml, title="Hoạt động gần đây", happened_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    ntl, md, lb, ml = (cast.office[k] for k in ("ntl", "md", "lb", "ml"))
    a.sponsorship = f.donation(
        cast.program,
        md,
        amount=240_000_000,
        kind=Donation.Kind.SPONSORSHIP,
        donor_org=ntl,
        donor_name="Nhà giáo quận Nam Từ Liêm",
        pair=cast.ntl_md,
        given_on=d(2023, 3, 30),
        private_note="Em Nguyễn Văn An, lớp 6A, mồ côi cha",
    )
    a.gifts = f.donation(
        cast.program, md, amount=20_000_000, packages=2, donor_org=ntl, pair=cast.ntl_md, given_on=d(2023, 3, 30)
    )
    a.own = f.donation(
        cast.program,
        ntl,
        amount=129_000_000,
        kind=Donation.Kind.SPONSORSHIP,
        donor_org=ntl,
        donor_name="Nhà giáo quận Nam Từ Liêm",
        given_on=d(2023, 3, 30),
    )
    a.books = f.donation(
        cast.program, ml, amount=5_000_000, kind=Donation.Kind.BOOKS, donor_org=lb, given_on=d(2023, 1, 5)
    )
    a.outside = f.donation(
        cast.program, cast.school_md, amount=7_000_000, donor_name="Công ty ABC", given_on=d(2023, 2, 1)
    )
    plan = Plan.objects.create(pair=cast.taymo_md, school_year=YEAR, status=Plan.Status.ACCEPTED)
    a.item_done = PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu", planned_month=d(2022, 11, 1))
    a.item_open = PlanItem.objects.create(plan=plan, kind="study_visit", title="Thăm quan", planned_month=d(2023, 4, 1))
    a.exchange.plan_item = a.item_done
    a.exchange.save()
    draft_plan = Plan.objects.create(pair=cast.lb_ml, school_year=YEAR, status=Plan.Status.DRAFT)
    PlanItem.objects.create(plan=draft_plan, kind="training", title="Chưa gửi", planned_month=d(2022, 12, 1))
    a.review = Review.objects.create(
        pair=cast.taymo_md, school_year=YEAR, status=Review.Status.SUBMITTED, achievements="Đã tổ chức giao lưu."
    )
    Review.objects.create(pair=cast.lb_ml, school_year=YEAR, status=Review.Status.DRAFT)
    return a


@pytest.fixture
def demo(db, settings):
    """The demo data (fixtures/demo.json) and its accounts by username."""
    call_command("seed_demo", verbosity=0)
    users = {u.username: u for u in get_user_model().objects.all()}
    return SimpleNamespace(users=users, password=settings.DEMO_PASSWORD)
