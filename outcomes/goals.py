"""A pair's goals for its phase: set, followed and backed by evidence. A goal with an
indicator and a target takes its progress from the helped school's values; any other
goal's progress is set by the people of the pair."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from outcomes.models import Goal, IndicatorValue
from programs.models import Pair
from twinning.lib.schoolyear import current_school_year, display_school_year, school_year_of


def reached(goal: Goal, value) -> bool:
    if goal.indicator.lower_is_better:
        return value <= goal.target
    return value >= goal.target


OPEN_STATUSES = (Goal.Status.PLANNED, Goal.Status.ON_TRACK, Goal.Status.OFF_TRACK)


def first_year(pair) -> str | None:
    """The pair's first school year (of its start, else of its phase's first day), or
    None when neither is known."""
    start = pair.started_on or pair.program.phase_starts_on
    return school_year_of(start) if start else None


def derived_status(goal: Goal, values: dict, today_year: str | None = None, since: str | None = None) -> str:
    """The progress of a goal with an indicator and a target, from ``values`` ({school
    year: the helped school's value}): met once a year of the pair (from ``since``, its
    first school year) up to the due year reaches the target; not met when the due year
    has passed without it; on track while a value of the phase exists; not started
    before any value. A value from before the pair began is where it started from, not
    progress."""
    today_year = today_year or current_school_year()
    years = sorted(y for y in values if y <= goal.due_year and (since is None or y >= since))
    if any(reached(goal, values[y]) for y in years):
        return Goal.Status.MET
    if goal.due_year < today_year:
        return Goal.Status.MISSED
    return Goal.Status.ON_TRACK if years else Goal.Status.PLANNED


def refresh_goals(pairs, today: datetime.date | None = None) -> int:
    """Re-derives the progress of the goals of ``pairs``: a goal with a target from the
    helped school's values; any other goal whose due year is over while it is still
    open (not started, on track, off track) is not met. Run on each change of values
    and every night, when a school year ends. Three queries plus one update per goal
    whose progress changed."""
    today_year = school_year_of(today) if today else current_school_year()
    changed = (
        Goal.objects.filter(pair__in=pairs, due_year__lt=today_year, status__in=OPEN_STATUSES)
        .filter(Q(indicator__isnull=True) | Q(target__isnull=True))
        .update(status=Goal.Status.MISSED)
    )
    goals = list(
        Goal.objects.filter(pair__in=pairs, indicator__isnull=False, target__isnull=False).select_related(
            "indicator", "pair__program"
        )
    )
    if not goals:
        return changed
    wanted = {(g.pair.mentee_id, g.indicator_id) for g in goals}
    values: dict[tuple, dict] = {}
    found = IndicatorValue.objects.filter(
        school_id__in={k[0] for k in wanted}, indicator_id__in={k[1] for k in wanted}
    ).values_list("school_id", "indicator_id", "school_year", "value")
    for school, indicator, year, value in found:
        values.setdefault((school, indicator), {})[year] = value
    for goal in goals:
        status = derived_status(
            goal, values.get((goal.pair.mentee_id, goal.indicator_id), {}), today_year, first_year(goal.pair)
        )
        if status != goal.status:
            Goal.objects.filter(pk=goal.pk).update(status=status)
            changed += 1
    return changed


@transaction.atomic
def goal_save(*, goal: Goal, user, activities=(), donations=()) -> Goal:
    """Saves a goal and its evidence (activities and donations of the pair only)."""
    pair = goal.pair
    if pair.status != Pair.Status.ACTIVE and goal.pk is None:
        raise ValidationError(_("Goals are set for an active pair."))
    if any(a.pair_id != pair.pk for a in activities):
        raise ValidationError({"activities": _("Choose activities of this pair.")})
    if any(d.pair_id != pair.pk for d in donations):
        raise ValidationError({"donations": _("Choose support given within this pair.")})
    if not goal.is_derived and goal.status in OPEN_STATUSES and goal.due_year < current_school_year():
        # What refresh_goals would make of it overnight: say it now.
        raise ValidationError(
            {
                "status": _("The school year %(year)s is over: say whether the goal was met.")
                % {"year": display_school_year(goal.due_year)}
            }
        )
    if goal.pk is None:
        goal.created_by = user
    goal._history_user = user
    goal.full_clean()
    goal.save()
    goal.activities.set(activities)
    goal.donations.set(donations)
    if goal.is_derived:
        refresh_goals([pair])
        goal.refresh_from_db(fields=["status"])
    return goal


def goal_delete(*, goal: Goal, user) -> None:
    goal._history_user = user
    goal.delete()
