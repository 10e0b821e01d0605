"""Each active pair's health: good, needs attention or at risk, from rules anyone can
read (``RULES``, shown on /workspace/outcomes/health/), each mark with its reasons.

Kept in ``PairHealth`` so that lists can filter and sort by it, refreshed daily
(``manage.py refresh_pair_health``); a pair's own page works its mark out afresh.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outcomes.goals import refresh_goals
from outcomes.models import Goal, PairHealth
from programs.models import Activity, Pair, PlanItem, ReportingCalendar, Review
from programs.querysets import COUNTED_ACTIVITY_STATUSES, SUBMITTED_REVIEW_STATUSES
from programs.summaries import pair_last_activity
from twinning.lib.schoolyear import current_school_year, school_year_bounds

Mark = PairHealth.Mark
ORDER = {Mark.GOOD: 0, Mark.ATTENTION: 1, Mark.AT_RISK: 2}

# Thresholds: a Department reads them on the rules page.
QUIET_ATTENTION_DAYS = 45
QUIET_RISK_DAYS = 90
OVERDUE_ITEMS_RISK = 3
WAITING_DAYS = 14


def _filled(text, values: dict) -> str:
    return str(text) % values


# Filled in when shown, in the language of the request: ``%`` on a lazy text here would
# fix the language of whoever imported the module first.
_lazy_filled = lazy(_filled, str)

RULES = [
    (
        "last_activity",
        _("Days since the last activity logged or confirmed"),
        _lazy_filled(
            _("more than %(attention)s days: needs attention; more than %(risk)s days: at risk"),
            {"attention": QUIET_ATTENTION_DAYS, "risk": QUIET_RISK_DAYS},
        ),
    ),
    (
        "overdue_items",
        _("Items of this year's plan whose month has passed with no activity"),
        _lazy_filled(_("1 or 2: needs attention; %(risk)s or more: at risk"), {"risk": OVERDUE_ITEMS_RISK}),
    ),
    (
        "waiting",
        _("Activities waiting for the partner's confirmation"),
        _lazy_filled(_("waiting more than %(days)s days: needs attention"), {"days": WAITING_DAYS}),
    ),
    (
        "review",
        _("Last school year's year-end review"),
        _("not submitted: needs attention; not submitted after the deadline: at risk; submitted late: needs attention"),
    ),
    ("goals", _("Goals"), _("a goal off track or not met: needs attention")),
]


def reason_text(reason) -> str:
    """A stored reason ([rule, mark, values]) as a sentence in the active language."""
    rule, _mark, values = reason
    if rule == "last_activity":
        if values.get("days") is None:
            return str(_("No activity logged since the pair began %(days)s days ago.") % {"days": values["since"]})
        return ngettext("Last activity %(days)s day ago.", "Last activity %(days)s days ago.", values["days"]) % {
            "days": values["days"]
        }
    if rule == "overdue_items":
        return ngettext("%(n)s plan item overdue.", "%(n)s plan items overdue.", values["n"]) % {"n": values["n"]}
    if rule == "waiting":
        return ngettext(
            "%(n)s activity waits for confirmation for more than %(days)s days.",
            "%(n)s activities wait for confirmation for more than %(days)s days.",
            values["n"],
        ) % {"n": values["n"], "days": WAITING_DAYS}
    if rule == "review":
        year = values["year"].replace("-", "–")
        if values["state"] == "late":
            return str(_("The review of %(year)s came after the deadline.") % {"year": year})
        if values["state"] == "overdue":
            return str(_("The review of %(year)s is missing and its deadline has passed.") % {"year": year})
        return str(_("The review of %(year)s has not been submitted.") % {"year": year})
    if rule == "goals":
        return ngettext("%(n)s goal off track or not met.", "%(n)s goals off track or not met.", values["n"]) % {
            "n": values["n"]
        }
    return rule


def assess(pairs, today: datetime.date | None = None) -> dict[int, tuple[str, list]]:
    """{pair id: (mark, reasons)} for ``pairs`` (active pairs, a list). A fixed number
    of queries whatever their number: seven, one per rule and three for the review."""
    today = today or timezone.localdate()
    ids = [p.pk for p in pairs]
    if not ids:
        return {}
    reasons: dict[int, list] = {pk: [] for pk in ids}
    year = current_school_year()
    _quiet_reasons(pairs, today, reasons)
    _overdue_reasons(ids, year, today, reasons)
    _waiting_reasons(ids, reasons)
    _review_reasons(pairs, _previous_year(year), today, reasons)
    _goal_reasons(ids, reasons)
    return {pk: (max((r[1] for r in found), key=ORDER.get, default=Mark.GOOD), found) for pk, found in reasons.items()}


def _previous_year(year: str) -> str:
    """The school year before ``year`` ("2024-2025" → "2023-2024")."""
    first = int(year[:4])
    return f"{first - 1}-{first}"


def _quiet_reasons(pairs, today, reasons: dict) -> None:
    """Adds the ``last_activity`` reason of each pair quiet for too long: days since its
    last counted activity or, with none, since it began (one query)."""
    last = pair_last_activity([p.pk for p in pairs])
    for pair in pairs:
        since = (today - pair.started_on).days if pair.started_on else None
        last_on = last.get(pair.pk)
        if last_on:
            days = (today - last_on).days
        elif since is not None:
            days = None
        else:
            continue
        quiet_for = days if days is not None else since
        if quiet_for > QUIET_RISK_DAYS:
            reasons[pair.pk].append(["last_activity", Mark.AT_RISK, {"days": days, "since": since}])
        elif quiet_for > QUIET_ATTENTION_DAYS:
            reasons[pair.pk].append(["last_activity", Mark.ATTENTION, {"days": days, "since": since}])


def _overdue_reasons(ids, year, today, reasons: dict) -> None:
    """Adds the ``overdue_items`` reason: items of this year's submitted or accepted
    plan whose month has passed without a counted activity (one query)."""
    overdue = (
        PlanItem.objects.filter(
            plan__pair_id__in=ids, plan__school_year=year, plan__status__in=("submitted", "accepted")
        )
        .filter(planned_month__lt=today.replace(day=1))
        .exclude(activities__status__in=COUNTED_ACTIVITY_STATUSES)
        .order_by()
        .values("plan__pair_id")
        .annotate(n=Count("pk", distinct=True))
    )
    for row in overdue:
        n = row["n"]
        reasons[row["plan__pair_id"]].append(
            ["overdue_items", Mark.AT_RISK if n >= OVERDUE_ITEMS_RISK else Mark.ATTENTION, {"n": n}]
        )


def _waiting_reasons(ids, reasons: dict) -> None:
    """Adds the ``waiting`` reason: activities reported more than WAITING_DAYS ago and
    still not confirmed by the partner (one query)."""
    stale = timezone.now() - datetime.timedelta(days=WAITING_DAYS)
    waiting = (
        Activity.objects.filter(pair_id__in=ids, status=Activity.Status.REPORTED)
        .filter(Q(reported_at__lt=stale) | Q(reported_at__isnull=True, created_at__lt=stale))
        .order_by()
        .values("pair_id")
        .annotate(n=Count("pk"))
    )
    for row in waiting:
        reasons[row["pair_id"]].append(["waiting", Mark.ATTENTION, {"n": row["n"]}])


def _review_reasons(pairs, last_year, today, reasons: dict) -> None:
    """Adds the ``review`` reason of each pair that ran in ``last_year`` and whose review
    of it is missing, overdue or came late (three queries)."""
    ids = [p.pk for p in pairs]
    last_year_end = school_year_bounds(last_year)[1]
    reviews = dict(Review.objects.filter(pair_id__in=ids, school_year=last_year).values_list("pair_id", "status"))
    late_by_pair = dict(
        Review.objects.filter(pair_id__in=ids, school_year=last_year, first_submitted_at__isnull=False).values_list(
            "pair_id", "first_submitted_at"
        )
    )
    programs = {p.program_id for p in pairs}
    calendars = {
        c.program_id: c for c in ReportingCalendar.objects.filter(school_year=last_year, program_id__in=programs)
    }
    for pair in pairs:
        if pair.started_on and pair.started_on > last_year_end:
            continue  # the pair did not run last year
        calendar = calendars.get(pair.program_id)
        due = calendar.review_due if calendar else None
        if reviews.get(pair.pk) in SUBMITTED_REVIEW_STATUSES:
            if ReportingCalendar.is_late(late_by_pair.get(pair.pk), due):
                reasons[pair.pk].append(["review", Mark.ATTENTION, {"year": last_year, "state": "late"}])
        elif due and today > due:
            reasons[pair.pk].append(["review", Mark.AT_RISK, {"year": last_year, "state": "overdue"}])
        else:
            reasons[pair.pk].append(["review", Mark.ATTENTION, {"year": last_year, "state": "missing"}])


def _goal_reasons(ids, reasons: dict) -> None:
    """Adds the ``goals`` reason: how many of the pair's goals are off track or missed
    (one query)."""
    goals = Counter(
        Goal.objects.filter(pair_id__in=ids, status__in=(Goal.Status.OFF_TRACK, Goal.Status.MISSED)).values_list(
            "pair_id", flat=True
        )
    )
    for pk, n in goals.items():
        reasons[pk].append(["goals", Mark.ATTENTION, {"n": n}])


def refresh(pairs=None, today=None) -> int:
    """Recomputes and stores the health of ``pairs`` (default: every active pair),
    500 at a time, after bringing their goals up to date (a goal whose school year
    ended unmet counts against the pair); forgets the health of those of ``pairs``
    (default: of any pair) no longer active, so that no list still finds them by it.
    Returns how many were stored."""
    if pairs is None:
        pairs = Pair.objects.all()
    PairHealth.objects.filter(pair__in=pairs.exclude(status=Pair.Status.ACTIVE).values("pk")).delete()
    stored = 0
    batch = []
    for pair in pairs.filter(status=Pair.Status.ACTIVE).only("pk", "program_id", "started_on").iterator(chunk_size=500):
        batch.append(pair)
        if len(batch) == 500:
            stored += _store(batch, today)
            batch = []
    if batch:
        stored += _store(batch, today)
    return stored


@transaction.atomic
def _store(pairs, today) -> int:
    refresh_goals(pairs, today)
    marks = assess(pairs, today)
    PairHealth.objects.filter(pair_id__in=list(marks)).delete()
    PairHealth.objects.bulk_create(
        PairHealth(pair_id=pk, mark=mark, reasons=reasons) for pk, (mark, reasons) in marks.items()
    )
    return len(marks)
