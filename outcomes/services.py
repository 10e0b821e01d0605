"""Entering indicator values and keeping the pairs' gaps current.

Who may enter a school's value (``may_enter``): for an indicator the school enters,
its principal and its managing body; for one the managing body enters, that body; and
always the Department of the school's province. Which indicators a school has
(``indicators_for``): those in use of its own province's Department and of the
Departments organizing a program in which it has a pair, for its level.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from outcomes.models import Indicator, IndicatorValue, PairGap
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.schoolyear import school_year_of


def indicators_for(school) -> list[Indicator]:
    """The indicators a school has values for, in the order their Departments set."""
    from programs.models import Program

    organizers = Program.objects.filter(Q(pairs__mentor=school) | Q(pairs__mentee=school)).values("organizers__pk")
    owners = Q(owner__in=organizers)
    if school.province_id:
        owners |= Q(owner__kind=Organization.Kind.DEPARTMENT, owner__province_id=school.province_id)
    found = Indicator.objects.filter(owners, is_active=True).select_related("owner").distinct()
    return [i for i in found.order_by("owner__name", "order", "pk") if i.applies_to(school)]


def may_enter(user, school, indicator: Indicator | None = None) -> bool:
    """Whether ``user`` may enter ``school``'s value of ``indicator`` (any indicator
    the school has, when None)."""
    scope = scope_for(user)
    if scope.is_superuser or (school.province_id and school.province_id in scope.province_ids):
        return True
    by = indicator.entered_by if indicator else Indicator.EnteredBy.SCHOOL
    if by == Indicator.EnteredBy.DEPARTMENT:
        return False
    if Organization.objects.editable_by(user).filter(pk=school.pk).exists():
        return True
    return by == Indicator.EnteredBy.SCHOOL and school.pk in scope.principal_school_ids


def enterable_schools(user):
    """The schools whose values the user may enter (some indicator at least)."""
    scope = scope_for(user)
    schools = Organization.objects.filter(kind=Organization.Kind.SCHOOL)
    if scope.is_superuser:
        return schools
    return schools.filter(
        Q(pk__in=Organization.objects.editable_by(user).values("pk"))
        | Q(pk__in=scope.principal_school_ids)
        | Q(province_id__in=scope.province_ids)
    )


def parse_value(text, indicator: Indicator):
    """A typed value ("12,5", "12.5", "1.234") as a Decimal, or raises ValidationError
    with the reason. Empty: None."""
    text = str(text if text is not None else "").strip().replace(" ", "").replace("%", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}) from None
    if not value.is_finite():
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text})
    error = indicator.value_error(value)
    if error:
        raise ValidationError(error)
    return value.quantize(Decimal(1).scaleb(-4))


@transaction.atomic
def save_values(*, user, school, school_year: str, values: dict, illustrative: bool = False) -> dict:
    """Saves ``school``'s values of one school year: ``values`` maps an Indicator to a
    Decimal, or to None to clear it. Checks the user may enter each; then refreshes
    the gaps of the school's pairs. Returns {"created", "changed", "cleared"}."""
    counts = {"created": 0, "changed": 0, "cleared": 0}
    for indicator in values:
        if not may_enter(user, school, indicator):
            raise ValidationError(
                _("You may not enter “%(indicator)s” for %(school)s.") % {"indicator": indicator.name, "school": school}
            )
    existing = {
        v.indicator_id: v
        for v in IndicatorValue.objects.select_for_update().filter(
            school=school, school_year=school_year, indicator__in=list(values)
        )
    }
    for indicator, value in values.items():
        row = existing.get(indicator.pk)
        if value is None:
            if row is not None:
                row._history_user = user
                row.delete()
                counts["cleared"] += 1
            continue
        if row is None:
            row = IndicatorValue(indicator=indicator, school=school, school_year=school_year)
            counts["created"] += 1
        elif row.value == value and row.is_illustrative == illustrative:
            continue
        else:
            counts["changed"] += 1
        row.value, row.entered_by, row.is_illustrative = value, user, illustrative
        row._history_user = user
        row.save()
    refresh_gaps(school_ids=[school.pk], indicator_ids=[i.pk for i in values])
    return counts


def base_year(pair) -> str | None:
    """The school year before the pair began (its gap is the base), or None."""
    if not pair.started_on:
        return None
    first = int(school_year_of(pair.started_on)[:4]) - 1
    return f"{first}-{first + 1}"


def trend_of(indicator: Indicator, base_behind, behind) -> str:
    if base_behind is None:
        return PairGap.Trend.UNKNOWN
    change = behind - base_behind
    if abs(change) <= indicator.tolerance:
        return PairGap.Trend.HELD
    return PairGap.Trend.NARROWED if change < 0 else PairGap.Trend.WIDENED


def gap_rows(pair, indicator: Indicator, values: dict) -> list[PairGap]:
    """The pair's PairGap rows for ``indicator`` from ``values`` ({(school id, year):
    (value, illustrative)}): one per year where both schools have a value."""
    years = sorted({year for (school, year) in values if school in (pair.mentor_id, pair.mentee_id)})
    base = base_year(pair)
    base_behind = None
    if base and (pair.mentor_id, base) in values and (pair.mentee_id, base) in values:
        base_behind = indicator.behind(values[(pair.mentor_id, base)][0], values[(pair.mentee_id, base)][0])
    rows = []
    for year in years:
        mentor, mentee = values.get((pair.mentor_id, year)), values.get((pair.mentee_id, year))
        if mentor is None or mentee is None:
            continue
        behind = indicator.behind(mentor[0], mentee[0])
        after_base = base is not None and year > base
        rows.append(
            PairGap(
                pair=pair,
                indicator=indicator,
                school_year=year,
                mentor_value=mentor[0],
                mentee_value=mentee[0],
                behind=behind,
                base_year=base if base_behind is not None else "",
                base_behind=base_behind,
                trend=trend_of(indicator, base_behind, behind) if after_base else PairGap.Trend.UNKNOWN,
                is_illustrative=mentor[1] or mentee[1],
            )
        )
    return rows


def refresh_gaps(*, school_ids=None, indicator_ids=None, pairs=None) -> int:
    """Rebuilds the PairGap rows of the school pairs of ``school_ids`` (or ``pairs``)
    for ``indicator_ids`` (or every indicator). Returns the rows written."""
    from programs.models import Pair

    if pairs is None:
        pairs = Pair.objects.filter(Q(mentor_id__in=school_ids) | Q(mentee_id__in=school_ids))
    pairs = list(pairs.filter(mentor_kind=Organization.Kind.SCHOOL, mentee_kind=Organization.Kind.SCHOOL))
    if not pairs:
        return 0
    schools = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
    indicators = Indicator.objects.all()
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=indicator_ids)
    indicators = {i.pk: i for i in indicators}
    values: dict[int, dict] = {pk: {} for pk in indicators}
    for v in IndicatorValue.objects.filter(school_id__in=schools, indicator_id__in=list(indicators)).values_list(
        "indicator_id", "school_id", "school_year", "value", "is_illustrative"
    ):
        values[v[0]][(v[1], v[2])] = (v[3], v[4])
    with transaction.atomic():
        PairGap.objects.filter(pair__in=pairs, indicator_id__in=list(indicators)).delete()
        rows = [
            row
            for pair in pairs
            for pk, indicator in indicators.items()
            for row in gap_rows(pair, indicator, values[pk])
        ]
        PairGap.objects.bulk_create(rows, batch_size=1000)
        from outcomes.goals import refresh_goals

        refresh_goals(pairs)
    return len(rows)


def refresh_gaps_of_indicator(indicator: Indicator) -> int:
    """After an indicator's direction or tolerance changed: its gaps again."""
    from programs.models import Pair

    schools = IndicatorValue.objects.filter(indicator=indicator).values("school_id")
    pairs = Pair.objects.filter(Q(mentor_id__in=schools) | Q(mentee_id__in=schools))
    return refresh_gaps(pairs=pairs, indicator_ids=[indicator.pk])
