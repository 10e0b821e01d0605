"""Entering indicator values and keeping the pairs' gaps current.

Who may enter a school's value (``may_enter``): for an indicator the school enters,
its principal and its managing body; for one the managing body enters, that body; and
always the Department of the school's province. Which indicators a school has
(``indicators_for``): those in use of its own province's Department and of the
Departments organizing a program in which it has a pair, for its level.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import number_format
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


# IndicatorValue.value: 14 digits, 4 after the point.
VALUE_PLACES = 4
VALUE_LIMIT = Decimal(10) ** (14 - VALUE_PLACES)
_PLAIN = re.compile(r"\d+(\.\d+)?")
# Dots between groups of three digits, as Vietnamese write thousands: 1.234, 1.234.567.
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(\.\d{3})+")


def number_rule() -> str:
    """How a typed value is read (parse_value), for help texts."""
    return _(
        "Write decimals with a comma (12,5) or a point (12.5); dots may separate thousands (1.234.567). "
        "A single dot before three digits (1.234) is a decimal point only for an indicator with 3 or more "
        "decimal places. Values are rounded to the indicator's decimal places."
    )


def _read_number(text: str, indicator: Indicator) -> Decimal:
    """``text`` (stripped, no spaces) read by ``number_rule``."""
    sign = text[0] if text[0] in "+-" else ""
    body = text[len(sign) :]
    if "," in body:
        whole, _comma, fraction = body.partition(",")
        if "." in whole and _THOUSANDS.fullmatch(whole):
            whole = whole.replace(".", "")
        body = f"{whole or '0'}.{fraction}"
    elif body.count(".") > 1 and _THOUSANDS.fullmatch(body):
        body = body.replace(".", "")
    elif _THOUSANDS.fullmatch(body) and min(indicator.decimals, VALUE_PLACES) < 3:
        raise ValidationError(
            _(
                "“%(text)s” could be read two ways: "
                "write %(whole)s for a whole number, or %(decimal)s with a decimal comma."
            )
            % {"text": text, "whole": sign + body.replace(".", ""), "decimal": sign + body.replace(".", ",")},
            code="ambiguous",
        )
    if not _PLAIN.fullmatch(body):
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}, code="invalid")
    return Decimal(sign + body)


def parse_value(text, indicator: Indicator):
    """A typed value ("12,5", "1.234,5", "12.5") or a number cell of a sheet as a
    Decimal rounded to the indicator's decimal places, or raises ValidationError with
    the reason (not a number, ambiguous, out of the indicator's or the database's
    range). Empty: None."""
    if isinstance(text, bool):
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}, code="invalid")
    if isinstance(text, (int, float, Decimal)):
        # A number cell of Excel: no separator to guess.
        shown = str(text)
        try:
            value = Decimal(shown)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            raise ValidationError(_("“%(text)s” is not a number.") % {"text": shown}, code="invalid")
    else:
        shown = str(text if text is not None else "").strip()
        for space in (" ", "\u00a0", "\u202f", "%"):
            shown = shown.replace(space, "")
        if not shown:
            return None
        value = _read_number(shown, indicator)
    places = min(indicator.decimals, VALUE_PLACES)
    if abs(value) < VALUE_LIMIT:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if abs(value) >= VALUE_LIMIT:
        limit = number_format(VALUE_LIMIT, decimal_pos=0, force_grouping=True)
        raise ValidationError(
            _(
                "“%(text)s” is out of range for “%(indicator)s”: "
                "a value must be greater than −%(limit)s and less than %(limit)s."
            )
            % {"text": shown, "indicator": indicator.name, "limit": limit},
            code="out_of_range",
        )
    error = indicator.value_error(value)
    if error:
        raise ValidationError(error, code="out_of_range")
    return value


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
    lock_school_pairs(pairs_of([school.pk]))  # first: see lock_school_pairs
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


GAP_FIELDS = ["mentor_value", "mentee_value", "behind", "base_year", "base_behind", "trend", "is_illustrative"]


def pairs_of(school_ids):
    """The pairs (any kind, any status) in which one of ``school_ids`` takes part."""
    from programs.models import Pair

    return Pair.objects.filter(Q(mentor_id__in=school_ids) | Q(mentee_id__in=school_ids))


def lock_school_pairs(pairs) -> list:
    """Locks the school pairs among ``pairs`` (a queryset) for the rest of the
    transaction, in the order of their ids, and returns them. Whoever writes values or
    gaps takes these locks first, before any other row, so that two writers of the same
    pair wait for each other instead of deadlocking. PostgreSQL; on SQLite one writer
    holds the whole database anyway."""
    from programs.models import Pair

    return list(
        Pair.objects.select_for_update(of=("self",))
        .filter(pk__in=pairs.values("pk"), mentor_kind=Organization.Kind.SCHOOL, mentee_kind=Organization.Kind.SCHOOL)
        .only("pk", "mentor_id", "mentee_id", "started_on")
        .order_by("pk")
    )


def refresh_gaps(*, school_ids=None, indicator_ids=None, pairs=None) -> int:
    """Rebuilds the PairGap rows of the school pairs of ``school_ids`` (or ``pairs``)
    for ``indicator_ids`` (or every indicator). Returns the rows written.

    Safe when two writers refresh the same pair at once (a form, an import, a changed
    indicator): the pairs are locked (``lock_school_pairs``) before the values are
    read, so the second writer waits and then reads the first one's values; and rows
    are written by upsert on the pair, indicator and year rather than by
    delete-then-insert, so that no interleaving can collide on the unique row."""
    if pairs is None:
        pairs = pairs_of(school_ids)
    indicators = Indicator.objects.all()
    if indicator_ids is not None:
        indicators = indicators.filter(pk__in=indicator_ids)
    indicators = {i.pk: i for i in indicators}
    with transaction.atomic():
        pairs = lock_school_pairs(pairs)
        if not pairs:
            return 0
        values = _values_of_pairs(pairs, indicators)
        rows = [
            row
            for pair in pairs
            for pk, indicator in indicators.items()
            for row in gap_rows(pair, indicator, values[pk])
        ]
        _delete_stale_gaps(pairs, indicators, rows)
        PairGap.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["pair", "indicator", "school_year"],
            update_fields=GAP_FIELDS,
        )
        from outcomes.goals import refresh_goals

        refresh_goals(pairs)
    return len(rows)


def _values_of_pairs(pairs, indicators: dict) -> dict[int, dict]:
    """{indicator id: {(school id, year): (value, illustrative)}} of both schools of
    each of ``pairs``, for ``indicators`` ({id: Indicator}); one query."""
    schools = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
    values: dict[int, dict] = {pk: {} for pk in indicators}
    found = IndicatorValue.objects.filter(school_id__in=schools, indicator_id__in=list(indicators))
    for v in found.values_list("indicator_id", "school_id", "school_year", "value", "is_illustrative"):
        values[v[0]][(v[1], v[2])] = (v[3], v[4])
    return values


def _delete_stale_gaps(pairs, indicators: dict, rows: list) -> None:
    """Deletes the pairs' gaps of ``indicators`` that ``rows`` no longer has (a value
    cleared), 500 at a time."""
    kept = {(row.pair_id, row.indicator_id, row.school_year) for row in rows}
    stale = [
        pk
        for pk, *key in PairGap.objects.filter(pair__in=pairs, indicator_id__in=list(indicators)).values_list(
            "pk", "pair_id", "indicator_id", "school_year"
        )
        if tuple(key) not in kept
    ]
    for start in range(0, len(stale), 500):
        PairGap.objects.filter(pk__in=stale[start : start + 500]).delete()


def refresh_gaps_of_indicator(indicator: Indicator) -> int:
    """After an indicator's direction or tolerance changed: its gaps again."""
    schools = IndicatorValue.objects.filter(indicator=indicator).values("school_id")
    return refresh_gaps(pairs=pairs_of(schools), indicator_ids=[indicator.pk])
