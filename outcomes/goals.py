"""A pair's goals for its phase: set, followed and backed by evidence. A goal with an
indicator and a target takes its progress from the helped school's values; any other
goal's progress is set by the people of the pair."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from outcomes.models import Goal, IndicatorValue
from programs.models import Pair
from twinning.lib.schoolyear import current_school_year


def reached(goal: Goal, value) -> bool:
    if goal.indicator.lower_is_better:
        return value <= goal.target
    return value >= goal.target


def derived_status(goal: Goal, values: dict, today_year: str | None = None) -> str:
    """The progress of a goal with an indicator and a target, from ``values`` ({school
    year: the helped school's value}): met once a year up to the due year reaches the
    target; not met when the due year has passed without it; on track while a value
    of the phase exists; not started before any value."""
    today_year = today_year or current_school_year()
    years = sorted(y for y in values if y <= goal.due_year)
    if any(reached(goal, values[y]) for y in years):
        return Goal.Status.MET
    if goal.due_year < today_year:
        return Goal.Status.MISSED
    return Goal.Status.ON_TRACK if years else Goal.Status.PLANNED


def refresh_goals(pairs) -> int:
    """Re-derives the progress of the goals with a target of ``pairs``. Two queries
    plus one update per goal whose progress changed."""
    goals = list(
        Goal.objects.filter(pair__in=pairs, indicator__isnull=False, target__isnull=False).select_related(
            "indicator", "pair"
        )
    )
    if not goals:
        return 0
    wanted = {(g.pair.mentee_id, g.indicator_id) for g in goals}
    values: dict[tuple, dict] = {}
    found = IndicatorValue.objects.filter(
        school_id__in={k[0] for k in wanted}, indicator_id__in={k[1] for k in wanted}
    ).values_list("school_id", "indicator_id", "school_year", "value")
    for school, indicator, year, value in found:
        values.setdefault((school, indicator), {})[year] = value
    changed = 0
    for goal in goals:
        status = derived_status(goal, values.get((goal.pair.mentee_id, goal.indicator_id), {}))
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
