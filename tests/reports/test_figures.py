"""The year's figures (programs.reports.figures) against counts made here from the stored rows."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from programs.models import Activity, Donation, Pair, PlanItem, Program, Review
from programs.reports import charts, figures
from programs.reports.params import report_params
from schools.models import Organization
from tests import factories as f
from tests.reports.conftest import YEAR
from twinning.lib.schoolyear import school_year_bounds

FIRST, LAST = school_year_bounds(YEAR)


def counted(activity):
    return activity.status in ("reported", "confirmed") and FIRST <= activity.happened_on <= LAST


def test_it_counts_the_year_like_the_stored_rows(cast, year_data):
    report = figures.build_report(cast.users.staff_hn, cast.program, YEAR)
    activities = [a for a in Activity.objects.filter(pair__program=cast.program) if counted(a)]
    pairs = list(Pair.objects.filter(program=cast.program))
    total = report.total
    assert total.confirmed == sum(a.status == "confirmed" for a in activities) == 2
    assert total.reported == sum(a.status == "reported" for a in activities) == 1
    assert total.participants == sum(a.participants_count for a in activities) == 34
    assert total.active == sum(p.status == "active" for p in pairs) == 3
    submitted = {r.pair_id for r in Review.objects.filter(school_year=YEAR) if r.status != "draft"}
    assert total.reviews_submitted == len(submitted) == 1
    assert {p.code for p in report.missing_reviews} == {cast.ntl_md.code, cast.lb_ml.code}
    items = [i for i in PlanItem.objects.filter(plan__school_year=YEAR) if i.plan.status in ("submitted", "accepted")]
    done = [i for i in items if any(a.status in ("reported", "confirmed") for a in i.activities.all())]
    assert (total.done, total.planned) == (len(done), len(items)) == (1, 2)
    # Quiet as of the year's last day (31/08/2023): Long Biên–Mê Linh did nothing that
    # year; its activity of ten days ago does not count for 2022–2023.
    assert {p.code for p in report.quiet_pairs} == {cast.ntl_md.code, cast.taymo_md.code, cast.lb_ml.code}


def test_it_counts_activities_by_kind_and_month(cast, year_data):
    report = figures.build_report(cast.users.staff_hn, cast.program, YEAR)
    by_kind = {k["kind"]: (k["confirmed"], k["reported"]) for k in report.kinds}
    assert by_kind == {"demonstration": (1, 0), "exchange": (1, 1)}
    by_month = {m["month"]: (m["confirmed"], m["reported"]) for m in report.months if m["confirmed"] or m["reported"]}
    assert by_month == {
        datetime.date(2022, 10, 1): (0, 1),
        datetime.date(2022, 11, 1): (1, 0),
        datetime.date(2023, 3, 1): (1, 0),
    }
    assert [m["month"].month for m in report.months] == [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8]
    assert report.people == {"teachers": 7, "students": 25, "managers": 2}


def test_it_keeps_support_within_a_unit_apart_from_support_to_other_units(cast, year_data):
    report = figures.build_report(cast.users.staff_hn, cast.program, YEAR)
    assert report.support_totals == {
        figures.OTHER_UNIT: 240_000_000 + 20_000_000 + 5_000_000,
        figures.OWN_UNIT: 129_000_000,
        figures.OUTSIDE: 7_000_000,
    }
    by_kind = {k["kind"]: k["total"] for k in report.support_by_kind}
    assert by_kind == {"sponsorship": 240_000_000, "gift": 27_000_000, "books": 5_000_000}
    rows = {row.unit.pk: row.tally for row in report.units}
    ntl = rows[cast.office["ntl"].pk]
    assert (ntl.given_sponsorship, ntl.given_other, ntl.own, ntl.received) == (240_000_000, 20_000_000, 129_000_000, 0)
    md = rows[cast.office["md"].pk]
    assert md.received == 260_000_000 + 7_000_000 and md.given == 0
    assert rows[cast.office["lb"].pk].given_other == 5_000_000
    assert rows[cast.office["ml"].pk].received == 5_000_000


def test_it_gives_each_office_the_pairs_it_takes_part_in(cast, year_data):
    report = figures.build_report(cast.users.staff_hn, cast.program, YEAR)
    rows = {row.unit.pk: row.tally for row in report.units}
    assert set(rows) == {o.pk for o in cast.office.values()}
    ntl = rows[cast.office["ntl"].pk]
    assert (ntl.active, ntl.school_pairs, ntl.confirmed, ntl.reported) == (2, 1, 2, 1)
    assert (ntl.done, ntl.planned, ntl.reviews_submitted, ntl.quiet) == (1, 2, 1, 2)
    lb = rows[cast.office["lb"].pk]
    assert (lb.active, lb.activities, lb.planned, lb.reviews_submitted, lb.quiet) == (1, 0, 0, 0, 1)


def test_it_shows_an_officer_only_their_office(cast, year_data):
    report = figures.build_report(cast.users.officer_ntl, cast.program, YEAR)
    assert [row.unit for row in report.units] == [cast.office["ntl"]]
    assert {p.code for p in report.pairs} == {cast.ntl_md.code, cast.taymo_md.code}
    assert report.support_totals == {figures.OTHER_UNIT: 260_000_000, figures.OWN_UNIT: 129_000_000, figures.OUTSIDE: 0}
    assert figures.build_report(cast.users.officer_lb, cast.program, YEAR).total.activities == 0


def test_it_rolls_schools_under_the_department_into_the_department_row(cast):
    school_a = f.org("Trường THPT A", level="upper_secondary", parent=cast.dept_na, area=cast.nghean)
    school_b = f.org("Trường THPT B", level="upper_secondary", parent=cast.dept_na, area=cast.nghean)
    pair = f.pair(cast.program_na, school_a, school_b)
    f.activity(pair, happened_on=datetime.date(2020, 3, 1))
    report = figures.build_report(cast.users.union_na, cast.program_na, "2019-2020")
    assert [(row.unit, row.tally.active, row.tally.confirmed) for row in report.units] == [(cast.dept_na, 1, 1)]
    assert report.units[0].label == "Sở GD&ĐT Nghệ An – các trường trực thuộc"


def test_it_defaults_to_the_latest_school_year_with_reported_work(cast, year_data):
    params = report_params(cast.users.officer_ntl, QueryDict(""))
    assert (params.program, params.year) == (cast.program, "2022-2023")
    # Hà Nội's latest work is the recent activity of lb_ml, in the current school year.
    assert report_params(cast.users.staff_hn, QueryDict("")).year == school_year_of_today()
    params = report_params(cast.users.staff_hn, QueryDict("year=2023"))
    assert params.year_error and params.year == school_year_of_today()


def test_it_defaults_to_the_phase_when_nothing_is_reported(cast):
    program = f.program("Chương trình mới", 2019, 2022, organizers=[cast.dept])
    f.pair(program, cast.office["ntl"], cast.office["md"])
    assert report_params(cast.users.staff_hn, QueryDict(f"program={program.slug}")).year == "2021-2022"
    assert "2019-2020" in report_params(cast.users.staff_hn, QueryDict(f"program={program.slug}")).years


def school_year_of_today():
    from twinning.lib.schoolyear import current_school_year

    return current_school_year()


def _grow(cast, pairs, activities):
    """Adds school pairs (with activities, support, plans and reviews) to the cast."""
    for i in range(pairs):
        mentor = f.org(f"Trường Tiểu học Nam Từ Liêm {i}", parent=cast.office["ntl"], level="primary")
        mentee = f.org(f"Trường Tiểu học Mỹ Đức {i}", parent=cast.office["md"], level="primary")
        pair = f.pair(cast.program, mentor, mentee, parent=cast.ntl_md)
        for j in range(activities):
            f.activity(pair, title=f"Hoạt động {i}-{j}", happened_on=datetime.date(2022, 10 + j % 3, 1 + i))
        f.donation(cast.program, mentee, donor_org=mentor, pair=pair, given_on=datetime.date(2023, 1, 1 + i))
        Review.objects.create(pair=pair, school_year=YEAR, status="submitted", achievements="…")


@pytest.mark.django_db
def test_it_uses_a_fixed_number_of_queries_whatever_the_size(cast, year_data):
    user = cast.users.staff_hn
    user = type(user).objects.get(pk=user.pk)  # a fresh user: the scope query is counted once
    with CaptureQueriesContext(connection) as small:
        figures.build_report(user, cast.program, YEAR)
    _grow(cast, pairs=6, activities=4)
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as large:
        report = figures.build_report(user, cast.program, YEAR)
    assert report.total.active == 9 and report.total.confirmed == 2 + 24
    # scope, pairs, last activities, the pairs' kept figures for the year (activities, people,
    # kinds, months, plan items), the year's reporting calendar, reviews, quiet pairs,
    # donations per organization, the units of those organizations, organizers, units
    # (fixed up to figures.IDS_PER_QUERY units)
    assert len(small) == len(large) == 11


def test_it_works_on_the_synthetic_movement(db):
    call_command("generate_synthetic_data", pairs=30, activities=200, verbosity=0)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="synthetic.sogd")
    program = Program.objects.get(slug="synthetic-du-lieu-gia-lap")
    year = report_params(user, QueryDict("")).year
    report = figures.build_report(user, program, year)
    first, last = school_year_bounds(year)
    running = Pair.objects.filter(program=program).in_school_year(year)
    waiting = Pair.objects.filter(program=program, status="proposed")  # the current year: waiting pairs too
    expected = Activity.objects.filter(
        Q(pair__in=running) | Q(pair__in=waiting),
        status__in=("reported", "confirmed"),
        happened_on__range=(first, last),
    ).count()
    assert report.total.activities == expected > 0
    assert sum(row.tally.pairs for row in report.units) == 2 * (running.count() + waiting.count())
    amounts = Donation.objects.filter(program=program, given_on__range=(first, last))
    assert sum(report.support_totals.values()) == sum(d.amount for d in amounts)
    assert all(row.unit.kind == Organization.Kind.OFFICE for row in report.units)


def test_it_scales_the_charts_to_the_largest_value():
    assert [charts.nice_ceiling(n) for n in (1, 2, 3, 4, 7, 12, 150, 1000)] == [1, 2, 4, 4, 10, 20, 200, 1000]
    months = [{"month": datetime.date(2022, 9 + i, 1), "confirmed": i, "reported": 1} for i in range(4)]
    chart = charts.month_chart(months)
    tallest = min(chart["bars"], key=lambda b: b["reported_y"])
    assert tallest["total"] == 4 and tallest["reported_y"] == chart["ticks"][-1]["y"]
    assert charts.month_chart([{"month": datetime.date(2022, 9, 1), "confirmed": 0, "reported": 0}]) is None
    bars = charts.bar_chart([{"label": "A", "n": 2}, {"label": "B", "n": 1}], ("n",))
    assert bars["items"][0]["segments"][0]["w"] == 2 * bars["items"][1]["segments"][0]["w"]


@pytest.mark.django_db
def test_the_workbook_finds_the_donations_units_as_the_query_annotates_them(cast, year_data):
    f.donation(cast.program, cast.office["md"], donor_name="Công ty ABC", given_on=datetime.date(2023, 2, 1))
    day = figures.structure_day(YEAR)
    annotated = {
        d.pk: (d.donor_unit, d.recipient_unit, d.category)
        for d in figures.donations_with_units(Donation.objects.all(), day)
    }
    # One donation a chunk: every organization's unit is read once and kept across chunks.
    found = {
        d.pk: (d.donor_unit, d.recipient_unit, d.category)
        for d in figures.with_donation_units(Donation.objects.order_by("pk"), day, chunk_size=1)
    }
    assert found == annotated
    assert {category for _donor, _recipient, category in found.values()} == {
        figures.OUTSIDE,
        figures.OWN_UNIT,
        figures.OTHER_UNIT,
    }
