"""The figures of one program's school year, as far as the user's scope allows.

Scope: department staff see their province, office officers their office and its
schools, union officers the programs they co-organize (``visible_to``). Every figure
is computed in the database with a fixed number of grouped queries, whatever the
number of pairs and activities (see ``build_report``), then rolled up per unit
(``programs.reports.units``) into the rows of ``programs.reports.rows``.
"""

import datetime
from collections import Counter, defaultdict

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from programs.models import Activity, ActivityKind, Donation, Pair, PlanItem, ReportingCalendar, Review
from programs.querysets import (
    COUNTED_ACTIVITY_STATUSES,
    LIVED_PAIR_STATUSES,
    pair_period_end,
    pair_period_start,
)
from programs.reports.rows import (  # noqa: F401 (the figures' vocabulary, used by views and sheets)
    LIST_LIMIT,
    SHORT_LIST_LIMIT,
    PairRow,
    Report,
    Tally,
    UnitRow,
    percent,
)
from programs.reports.units import (  # noqa: F401
    IDS_PER_QUERY,
    OTHER_UNIT,
    OUTSIDE,
    OWN_UNIT,
    donation_category,
    donations_with_units,
    pairs_with_units,
    structure_day,
    unit_donation_q,
    unit_expression,
    unit_label,
    unit_pair_q,
    units_for,
    units_of,
    with_donation_units,
    with_units,
)
from programs.summaries import COUNTED_PLAN_STATUSES, FIGURES, PairYear, pair_last_activity
from programs.support import GROUP_BY as SUPPORT_GROUP_BY
from programs.support import SupportTotal
from programs.support import sums as support_sums
from schools.models import Organization
from twinning.lib.schoolyear import school_year_bounds
from twinning.lib.text import fold

# Rows of the per-unit table on one page of the dashboard (a province has up to about
# 130 communes and wards); the printable report shows every unit.
UNIT_ROWS_PER_PAGE = 25


def scoped_pairs(user, program, year=None, today=None):
    """The user's pairs of ``program``; with ``year``, only those that count in that
    school year: running at some time during it (accepted, started on or before its
    last day, not ended before its first), and, in the current year, the pairs
    waiting for an answer. A pair registered today is not in 2022–2023."""
    pairs = Pair.objects.visible_to(user).filter(program=program)
    if year is None:
        return pairs
    first, last = school_year_bounds(year)
    today = today or timezone.localdate()
    running = Q(status__in=LIVED_PAIR_STATUSES, period_start__lte=last, period_end__gte=first)
    if first <= today <= last:
        running |= Q(status=Pair.Status.PROPOSED)
    return pairs.alias(period_start=pair_period_start(), period_end=pair_period_end()).filter(running)


def _status_in_year(status: str, year_is_past: bool) -> str:
    """A pair's status as a school year's figures count it: in a past year, every pair
    that ran during it (``scoped_pairs``) was active then, even if it has ended since
    (the 2022–2025 pairs ended with their phase but were "đang kết nghĩa" in
    2022–2023); in the current year, today's status."""
    if year_is_past and status in LIVED_PAIR_STATUSES:
        return "active"
    return status


def _pair_rows(user, program, year=None, today=None):
    rows = (
        pairs_with_units(scoped_pairs(user, program, year, today), structure_day(year, today) if year else None)
        .order_by("mentor__name", "mentee__name", "pk")
        .values(
            "pk",
            "code",
            "status",
            "mentor_kind",
            "parent_id",
            "mentor__level",
            "mentor__short_name",
            "mentor__name",
            "mentee__short_name",
            "mentee__name",
            "mentor_unit",
            "mentee_unit",
        )
    )
    year_is_past = year is not None and school_year_bounds(year)[1] < (today or timezone.localdate())
    result = {}
    for r in rows:
        name = f"{r['mentor__short_name'] or r['mentor__name']} → {r['mentee__short_name'] or r['mentee__name']}"
        units = tuple(dict.fromkeys((r["mentor_unit"], r["mentee_unit"])))
        result[r["pk"]] = PairRow(
            pk=r["pk"],
            code=r["code"],
            name=name,
            status=_status_in_year(r["status"], year_is_past),
            kind=r["mentor_kind"],
            level=r["mentor__level"] if r["mentor_kind"] == Organization.Kind.SCHOOL else "",
            parent_id=r["parent_id"],
            units=units,
        )
    return result


def year_activities(user, program, year):
    """Reported and confirmed activities of the scope's pairs in the school year."""
    from twinning.lib.schoolyear import school_year_bounds

    first, last = school_year_bounds(year)
    return Activity.objects.filter(
        pair__in=scoped_pairs(user, program, year).values("pk"),
        status__in=COUNTED_ACTIVITY_STATUSES,
        happened_on__gte=first,
        happened_on__lte=last,
    )


def year_donations(user, program, year):
    from twinning.lib.schoolyear import school_year_bounds

    first, last = school_year_bounds(year)
    return Donation.objects.visible_to(user).filter(program=program, given_on__gte=first, given_on__lte=last)


def year_plan_items(user, program, year):
    """Items of the plans (submitted or accepted) of the scope's pairs for the year."""
    return PlanItem.objects.filter(
        plan__pair__in=scoped_pairs(user, program, year).values("pk"),
        plan__school_year=year,
        plan__status__in=COUNTED_PLAN_STATUSES,
    )


def pair_ids_filter(rows, queryset):
    """What to filter the rows of the pairs already read (``rows``, keyed by pair id)
    by: their ids themselves, so that each later query looks them up by index instead
    of applying the scope's joins again; on SQLite, beyond ``IDS_PER_QUERY`` ids
    (its limit of parameters per statement), the query set of those pairs' ids.
    Filter with ``__any_of`` (``twinning.lib.lookups``): one array parameter on
    PostgreSQL instead of a placeholder per id."""
    if connection.vendor == "sqlite" and len(rows) > IDS_PER_QUERY:
        return queryset.values("pk")
    return list(rows)


def add_year_figures(rows, year_figures):
    """Adds each pair's activities (reported, confirmed, people taking part) and plan
    items (planned, done) to ``rows`` ({pair id: PairRow}) from its kept figures for
    the year (a query set of ``PairYear``), and returns the same activities summed
    over all of them: ({kind: {"reported", "confirmed", "participants"}}, {"teachers",
    "students", "managers"}, {first day of month: {"reported", "confirmed"}}). One query."""
    kinds = defaultdict(lambda: {"reported": 0, "confirmed": 0, "participants": 0})
    people = {"teachers": 0, "students": 0, "managers": 0}
    months = defaultdict(lambda: {"reported": 0, "confirmed": 0})
    for r in year_figures.order_by().values("pair_id", *FIGURES, "by_kind", "by_month").iterator(chunk_size=5000):
        row = rows.get(r["pair_id"])
        if row is None:
            continue
        row.reported, row.confirmed, row.planned, row.done = r["reported"], r["confirmed"], r["planned"], r["done"]
        row.participants = r["teachers"] + r["students"] + r["managers"]
        for name in people:
            people[name] += r[name]
        for kind, (reported, confirmed, teachers, students, managers) in r["by_kind"].items():
            k = kinds[kind]
            k["reported"] += reported
            k["confirmed"] += confirmed
            k["participants"] += teachers + students + managers
        for month, (reported, confirmed) in r["by_month"].items():
            m = months[datetime.date(int(month[:4]), int(month[5:7]), 1)]
            m["reported"] += reported
            m["confirmed"] += confirmed
    return kinds, people, months


def add_reviews(rows, reviews, due=None):
    """Adds each pair's review status, rating and commendation, and whether it was
    first handed in after ``due`` (the year's deadline, if set). One query (without the
    reviews' default ordering, which joins their pairs and units)."""
    for r in reviews.order_by().values("pair_id", "status", "rating", "commended", "first_submitted_at"):
        row = rows.get(r["pair_id"])
        if row is not None:
            row.review_status, row.rating, row.commended = r["status"], r["rating"], r["commended"]
            row.review_late = ReportingCalendar.is_late(r["first_submitted_at"], due)


def page_rows(pairs, year, due=None):
    """{pair id: PairRow} with the year's figures for a page of pairs (already in
    the user's scope): three queries whatever the page size. ``due``: the year's
    review deadline, to mark late reviews."""
    ids = [p.pk for p in pairs]
    rows = {
        p.pk: PairRow(
            pk=p.pk,
            code=p.code,
            name=str(p),
            status=p.status,
            kind=p.kind,
            level=p.mentor.level if p.mentor.is_school else "",
            parent_id=p.parent_id,
            units=(),
        )
        for p in pairs
    }
    add_year_figures(rows, PairYear.objects.filter(pair_id__any_of=ids, school_year=year))
    add_reviews(rows, Review.objects.filter(pair_id__any_of=ids, school_year=year), due)
    for pk, last_on in pair_last_activity(ids).items():
        rows[pk].last_activity_on = last_on
    return rows


def build_report(user, program, year, today=None) -> Report:
    """All figures of ``program`` in school ``year`` within the user's scope.

    A fixed number of queries (9, plus the scope) whatever the number of pairs,
    activities and donations: pairs (the scope's joins are applied once: the later
    queries look the pairs up by id, ``pair_ids_filter``); their latest activities;
    their kept figures for the year (``programs.summaries.PairYear``: activities per
    pair, kind and month, people, plan items), so no activity is read; reviews per
    pair; quiet pairs; donations summed per organization, and those organizations'
    units (``units_of``); the program's organizers; the units."""
    today = today or timezone.localdate()
    pairs = _pair_rows(user, program, year, today)
    kind_counts, people, month_counts, calendar = _add_pair_figures(pairs, user, program, year, today)
    donation_groups = _donation_groups(year_donations(user, program, year), structure_day(year, today))
    all_units, units = _report_units(user, program, pairs, donation_groups)
    total, tallies = _tally(pairs, units)
    support = _support(donation_groups, total, tallies)
    unit_rows = sorted(
        (UnitRow(unit=units[pk], tally=tallies[pk]) for pk in units),
        key=lambda r: (r.unit.kind == Organization.Kind.DEPARTMENT, fold(r.unit.display_name)),
    )
    pair_list = list(pairs.values())
    active = [p for p in pair_list if p.is_active]
    rating_counts = Counter(p.rating for p in pair_list if p.rating)
    return Report(
        pairs=pair_list,
        units=unit_rows,
        total=total,
        status_level=_status_level(pair_list),
        partnerships=_partnerships(pair_list),
        loose_school_pairs=sum(1 for p in pair_list if p.kind == Organization.Kind.SCHOOL and p.parent_id not in pairs),
        kinds=[
            {"kind": value, "label": label, **kind_counts[value]}
            for value, label in ActivityKind.choices
            if value in kind_counts
        ],
        months=_year_months(year, month_counts),
        people=people,
        flows=_flow_rows(support.pop("flows"), all_units),
        **support,
        plan_pairs=sorted((p for p in pair_list if p.planned), key=lambda p: (p.completion, p.name)),
        missing_reviews=[p for p in active if not p.review_submitted],
        quiet_pairs=sorted(
            (p for p in active if p.is_quiet), key=lambda p: (p.last_activity_on or datetime.date.min, p.name)
        ),
        ratings=[
            {"rating": value, "label": label, "n": rating_counts[value]} for value, label in Review.Rating.choices
        ],
        commended=sum(1 for p in pair_list if p.commended),
        today=today,
        calendar=calendar,
        unit_index=all_units,
    )


def _add_pair_figures(pairs, user, program, year, today):
    """Adds to ``pairs`` ({id: PairRow}) their latest activity, kept yearly figures,
    review and quietness; returns the activities summed by kind, people and month,
    and the year's reporting calendar (or None). Five queries."""
    year_pairs = pair_ids_filter(pairs, scoped_pairs(user, program, year, today))
    # The latest reported or confirmed activity of each pair, whatever its year.
    for pk, last_on in pair_last_activity(year_pairs).items():
        pairs[pk].last_activity_on = last_on
    kind_counts, people, month_counts = add_year_figures(
        pairs, PairYear.objects.filter(pair_id__any_of=year_pairs, school_year=year)
    )
    calendar = ReportingCalendar.objects.filter(program=program, school_year=year).first()
    add_reviews(
        pairs, Review.objects.filter(pair_id__any_of=year_pairs, school_year=year), calendar and calendar.review_due
    )
    # Quiet as of the year's last day for a past year, today for the current one.
    quiet_day = min(today, school_year_bounds(year)[1])
    for pk in Pair.objects.quiet(today=quiet_day).filter(pk__any_of=year_pairs).order_by().values_list("pk", flat=True):
        if pk in pairs:
            pairs[pk].is_quiet = True
    return kind_counts, people, month_counts, calendar


def _report_units(user, program, pairs, donation_groups):
    """({id: unit} of every unit met in the pairs and the donations, as far as the
    user may see them; {id: unit} of those that get a row of their own)."""
    unit_ids = {u for row in pairs.values() for u in row.units}
    for g in donation_groups:
        unit_ids.update(u for u in (g["donor_unit"], g["recipient_unit"]) if u)
    all_units = {u.pk: u for u in units_for(user, unit_ids, program)}
    return all_units, {pk: u for pk, u in all_units.items() if u.has_row}


def _tally(pairs, units):
    """(the tally of every pair counted once, {unit id: the tally of its pairs})."""
    tallies = {pk: Tally() for pk in units}
    total = Tally()
    for row in pairs.values():
        total.add_pair(row)
        for unit_id in row.units:
            if unit_id in tallies:
                tallies[unit_id].add_pair(row)
    return total, tallies


def _support(donation_groups, total, tallies) -> dict:
    """Adds the support given, kept within a unit and received to ``total`` and the
    units' ``tallies``; returns the Report's support fields (money as "total" and,
    apart, money and gifts in kind as "support": a SupportTotal) and the flows
    between units ({(donor unit, recipient unit, category): sums})."""
    support_by_kind = defaultdict(lambda: {"total": 0, "n": 0, "support": SupportTotal()})
    support_totals = {OTHER_UNIT: 0, OWN_UNIT: 0, OUTSIDE: 0}
    support_in_kind = {OTHER_UNIT: SupportTotal(), OWN_UNIT: SupportTotal(), OUTSIDE: SupportTotal()}
    flows = defaultdict(lambda: {"total": 0, "n": 0, "support": SupportTotal()})
    for g in donation_groups:
        category, amount, sponsorship = g["category"], g["total"], g["kind"] == Donation.Kind.SPONSORSHIP
        support_totals[category] += amount
        support_in_kind[category] += g["support"]
        sums = [flows[(g["donor_unit"], g["recipient_unit"], category)]]
        if category != OWN_UNIT:
            sums.append(support_by_kind[g["kind"]])
        for row in sums:
            row["total"] += amount
            row["n"] += g["n"]
            row["support"] += g["support"]
        donor, recipient = tallies.get(g["donor_unit"]), tallies.get(g["recipient_unit"])
        if category == OWN_UNIT:
            for tally in (t for t in (donor, total) if t):
                tally.own += amount
            continue
        if category == OTHER_UNIT:
            for tally in (t for t in (donor, total) if t):
                if sponsorship:
                    tally.given_sponsorship += amount
                else:
                    tally.given_other += amount
        for tally in (t for t in (recipient, total) if t):
            tally.received += amount
    return {
        "support_by_kind": [
            {"kind": value, "label": label, **support_by_kind[value]}
            for value, label in Donation.Kind.choices
            if value in support_by_kind
        ],
        "support_totals": support_totals,
        "support_in_kind": support_in_kind,
        "flows": flows,
    }


def _flow_rows(flows, all_units):
    """The flows between units, to another unit first, the largest first."""
    return sorted(
        (
            {"donor": all_units.get(donor), "recipient": all_units.get(recipient), "category": category, **values}
            for (donor, recipient, category), values in flows.items()
        ),
        key=lambda f: (f["category"] != OTHER_UNIT, -f["total"]),
    )


def _year_months(year, counts):
    from twinning.lib.schoolyear import school_year_bounds

    first, last = school_year_bounds(year)
    months = []
    month = first.replace(day=1)
    while month <= last:
        months.append({"month": month, **counts.get(month, {"reported": 0, "confirmed": 0})})
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _status_level(pairs):
    """Rows of the pairs-by-status-and-level table: office partnerships first, then
    school pairs by level; each row has a count per status and a total."""
    statuses = [value for value, _label in Pair.Status.choices]
    counts = defaultdict(Counter)
    for p in pairs:
        key = "" if p.kind == Organization.Kind.OFFICE else (p.level or "unknown")
        counts[key][p.status] += 1
    from django.utils.translation import gettext as _

    rows = []
    if "" in counts:
        rows.append({"level": "office", "label": _("Partnerships between units"), "counts": counts[""]})
    for value, label in Organization.Level.choices:
        if value in counts:
            rows.append({"level": value, "label": label, "counts": counts[value]})
    return [
        {**row, "cells": [(s, row["counts"].get(s, 0)) for s in statuses], "total": sum(row["counts"].values())}
        for row in rows
    ]


def _partnerships(pairs):
    """Partnerships between units (offices, clusters, Departments) with the count of
    their school pairs per level."""
    children = defaultdict(Counter)
    active_children = Counter()
    for p in pairs:
        if p.kind == Organization.Kind.SCHOOL and p.parent_id:
            children[p.parent_id][p.level] += 1
            active_children[p.parent_id] += int(p.is_active)
    labels = dict(Organization.Level.choices)
    result = []
    for p in pairs:
        if p.kind != Organization.Kind.OFFICE:
            continue
        by_level = [(labels[v], children[p.pk][v]) for v, _label in Organization.Level.choices if children[p.pk][v]]
        result.append(
            {
                "pair": p,
                "school_pairs": sum(children[p.pk].values()),
                "active_school_pairs": active_children[p.pk],
                "by_level": by_level,
            }
        )
    return result


def _donation_groups(donations, day):
    """Donations summed per donor unit, recipient unit, category and kind, as
    ``donations_with_units`` would group them, in two queries: the sums per donor and
    recipient organization, then the unit of each organization met (finding the unit
    of every donation row in SQL costs a subquery per row)."""
    per_org = list(
        donations.order_by()
        .values("donor_org_id", "recipient_id", "kind", *SUPPORT_GROUP_BY)
        .annotate(**support_sums())
    )
    met = {g["donor_org_id"] for g in per_org if g["donor_org_id"]} | {g["recipient_id"] for g in per_org}
    unit_of = units_of(met, day)
    # "total" is money only; "support" holds the money and the gifts in kind apart.
    groups = defaultdict(lambda: {"total": 0, "n": 0, "support": SupportTotal()})
    for g in per_org:
        donor = unit_of.get(g["donor_org_id"]) if g["donor_org_id"] else None
        recipient = unit_of.get(g["recipient_id"])
        category = donation_category(g["donor_org_id"], donor, recipient)
        group = groups[(donor, recipient, category, g["kind"])]
        group["support"].add_row(g)
        group["total"] = group["support"].money
        group["n"] += g["n"]
    return [
        {"donor_unit": donor, "recipient_unit": recipient, "category": category, "kind": kind, **values}
        for (donor, recipient, category, kind), values in groups.items()
    ]
