"""Each pair's kept yearly figures (programs.summaries.PairYear) equal a recount from its
activities and plans after every kind of write, and the reports read them."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from programs.models import Activity, Pair, Plan, PlanItem
from programs.reports import figures
from programs.summaries import PairLatestActivity, PairYear, count_pairs, latest_of, stored_pairs
from tests import factories as f
from tests.reports.conftest import YEAR

d = datetime.date


def assert_equal_to_recount():
    ids = list(Pair.objects.values_list("pk", flat=True))
    counted = count_pairs(ids)
    assert stored_pairs(ids) == counted
    # Each pair's latest activity over all years, kept beside the yearly rows.
    assert dict(PairLatestActivity.objects.values_list("pair_id", "on")) == latest_of(counted)


def figures_of(pair, year=YEAR):
    row = PairYear.objects.filter(pair=pair, school_year=year).first()
    return (row.reported, row.confirmed, row.planned, row.done) if row else None


@pytest.mark.django_db
def test_the_kept_figures_follow_every_write_of_an_activity(cast, year_data):
    pair = cast.taymo_md
    assert_equal_to_recount()
    # 2022–2023: one reported, one confirmed (the exchange, fulfilling one of two plan items).
    assert figures_of(pair) == (1, 1, 2, 1)

    new = f.activity(pair, happened_on=d(2023, 5, 2), status="reported", teachers_count=7)
    assert figures_of(pair) == (2, 1, 2, 1)
    new.status = Activity.Status.CONFIRMED
    new.save()
    assert figures_of(pair) == (1, 2, 2, 1)
    assert PairYear.objects.get(pair=pair, school_year=YEAR).by_kind["demonstration"] == [0, 1, 7, 0, 0]

    # Moved to another school year: counted there, no longer here.
    new.happened_on = d(2023, 10, 1)
    new.save()
    assert figures_of(pair) == (1, 1, 2, 1)
    assert figures_of(pair, "2023-2024") == (0, 1, 0, 0)

    # Returned to draft: no longer counted; the plan item it fulfils is open again.
    year_data.exchange.status = Activity.Status.RETURNED
    year_data.exchange.save()
    assert figures_of(pair) == (1, 0, 2, 0)

    new.delete()
    assert figures_of(pair, "2023-2024") is None
    Activity.objects.filter(pk=year_data.reported.pk).delete()
    assert_equal_to_recount()


@pytest.mark.django_db
def test_the_kept_figures_follow_every_write_of_a_plan(cast, year_data):
    pair = cast.taymo_md
    plan = Plan.objects.get(pair=pair, school_year=YEAR)
    PlanItem.objects.create(plan=plan, kind="training", title="Tập huấn", planned_month=d(2023, 5, 1))
    assert figures_of(pair) == (1, 1, 3, 1)
    plan.status = Plan.Status.RETURNED
    plan.save()
    assert figures_of(pair) == (1, 1, 0, 0)
    plan.status = Plan.Status.SUBMITTED
    plan.save()
    year_data.item_open.delete()
    assert figures_of(pair) == (1, 1, 2, 1)
    plan.delete()
    assert figures_of(pair) == (1, 1, 0, 0)
    assert_equal_to_recount()


@pytest.mark.django_db
def test_a_deleted_pair_takes_its_figures_with_it(cast):
    pair = f.pair(cast.program, cast.school_lb, cast.school_ml, status="active")
    f.activity(pair, happened_on=d(2023, 1, 5))
    assert PairYear.objects.filter(pair=pair).count() == 1
    Activity.objects.filter(pair=pair).delete()
    pair.delete()
    assert not PairYear.objects.filter(pair_id=pair.pk).exists()


@pytest.mark.django_db
def test_rebuild_summaries_recounts_what_a_bulk_load_left_out(cast, year_data, capsys):
    Activity.objects.bulk_create(
        [Activity(pair=cast.ntl_md, title="Nạp hàng loạt", happened_on=d(2023, 2, 2), status="confirmed", kind="other")]
    )
    with pytest.raises(CommandError, match="differ from a recount"):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    call_command("rebuild_summaries", "--check")
    assert "equals a recount" in capsys.readouterr().out
    assert_equal_to_recount()


@pytest.mark.django_db
def test_rebuild_summaries_checks_the_latest_activity_too(cast, year_data):
    PairLatestActivity.objects.filter(pair=cast.taymo_md).update(on=d(2020, 1, 1))
    with pytest.raises(CommandError, match=rf"1 pair\(s\) differ from a recount \(ids {cast.taymo_md.pk}\)"):
        call_command("rebuild_summaries", "--check")
    call_command("rebuild_summaries")
    assert_equal_to_recount()


@pytest.mark.django_db
def test_the_report_reads_the_same_figures_as_the_activities_give(cast, year_data):
    report = figures.build_report(cast.users.staff_hn, cast.program, YEAR)
    rows = {row.pk: row for row in report.pairs}
    taymo = rows[cast.taymo_md.pk]
    assert (taymo.reported, taymo.confirmed, taymo.planned, taymo.done) == (1, 1, 2, 1)
    assert rows[cast.ntl_md.pk].participants == 3 + 25 + 2
    exchange = next(k for k in report.kinds if k["kind"] == "exchange")
    assert (exchange["reported"], exchange["confirmed"], exchange["participants"]) == (1, 1, 4)
    november = next(m for m in report.months if m["month"] == d(2022, 11, 1))
    assert november["confirmed"] == 1


@pytest.mark.django_db
def test_writes_inside_recount_once_are_counted_once_at_its_end(cast, year_data):
    from programs.summaries import recount_once

    pair = cast.taymo_md
    plan = Plan.objects.get(pair=pair, school_year=YEAR)
    with recount_once():
        for month in (5, 6, 7):
            PlanItem.objects.create(
                plan=plan, kind="training", title=f"Tập huấn {month}", planned_month=d(2023, month, 1)
            )
        assert figures_of(pair) == (1, 1, 2, 1)  # not yet
    assert figures_of(pair) == (1, 1, 5, 1)
    assert_equal_to_recount()
