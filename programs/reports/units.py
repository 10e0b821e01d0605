"""Units: the body a row of the per-unit tables stands for, and which unit an
organization, a pair or a donation belongs to on a given day.

A unit is a district office (with the schools it manages), a department (for the
schools it manages directly, like Nghệ An's upper-secondary schools), or an
organization managed by neither. ``unit_expression`` says it once, in SQL, so the
figures and the lists behind them ("each number links to the rows behind it")
cannot disagree.

Support is split three ways, never silently added together:
- to another unit (“đơn vị kết nghĩa”): the donor's unit is not the recipient's, e.g.
  Nam Từ Liêm's teachers sponsoring Mỹ Đức students (240.000.000 ₫);
- within the unit itself: donor and recipient in the same unit, e.g. Nam Từ Liêm's
  teachers sponsoring Nam Từ Liêm students (129.000.000 ₫);
- from outside donors: a named donor that is no organization of the portal.
"""

import datetime
import itertools

from django.db.models import Case, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from schools.models import Organization
from schools.querysets import placed_on
from schools.scope import scope_for
from twinning.lib.i18n import mark_vi
from twinning.lib.schoolyear import school_year_bounds

# Ids passed in one IN (…) list (SQLite accepts 32 766 parameters in a statement).
IDS_PER_QUERY = 20_000

OTHER_UNIT = "other_unit"
OWN_UNIT = "own_unit"
OUTSIDE = "outside"


def structure_day(year: str, today=None) -> datetime.date:
    """The day whose structure a school year's figures are grouped by: the year's
    first day for a past year (2022–2023 is grouped by the district offices of the
    time), today for the current or a coming year (today's managing bodies)."""
    today = today or timezone.localdate()
    first, last = school_year_bounds(year)
    return first if last < today else today


def unit_expression(prefix: str = "", day=None):
    """SQL for the id of the unit an organization (reached through ``prefix``, e.g.
    "mentor__" or "donor_org__") belongs to on ``day``: a managing body (office,
    commune People's Committee, department) itself; a school's managing body as it
    stood on ``day`` (its dated placement; today's without ``day``); anything else
    itself. NULL when there is no organization."""
    managers = (Organization.Kind.OFFICE, Organization.Kind.COMMUNE_COMMITTEE, Organization.Kind.DEPARTMENT)
    school = Q(**{f"{prefix}kind": Organization.Kind.SCHOOL})
    if day is None:
        school_unit = When(school & Q(**{f"{prefix}parent__kind__in": managers}), then=F(f"{prefix}parent_id"))
    else:
        managing_body = placed_on(day, "parent_id", OuterRef(f"{prefix}id"))
        today_unit = Case(When(Q(**{f"{prefix}parent__kind__in": managers}), then=F(f"{prefix}parent_id")))
        school_unit = When(school, then=Coalesce(managing_body, today_unit, F(f"{prefix}id")))
    return Case(
        When(**{f"{prefix}kind__in": managers}, then=F(f"{prefix}id")),
        school_unit,
        default=F(f"{prefix}id"),
        output_field=IntegerField(),
    )


def with_units(queryset, pair_prefix: str = "", day=None):
    """Annotates ``mentor_unit`` and ``mentee_unit`` (as they stood on ``day``, see
    ``structure_day``) on pairs (``pair_prefix`` "") or on rows of a pair ("pair__"
    for activities, "plan__pair__" for plan items)."""
    return queryset.annotate(
        mentor_unit=unit_expression(f"{pair_prefix}mentor__", day),
        mentee_unit=unit_expression(f"{pair_prefix}mentee__", day),
    )


def pairs_with_units(queryset, day=None):
    return with_units(queryset, day=day)


def unit_pair_q(unit_id: int) -> Q:
    """Rows annotated by ``with_units`` whose pair has a side in the unit."""
    return Q(mentor_unit=unit_id) | Q(mentee_unit=unit_id)


def donations_with_units(queryset, day=None):
    """Annotates ``donor_unit``, ``recipient_unit`` (as they stood on ``day``) and
    ``category`` (OTHER_UNIT, OWN_UNIT or OUTSIDE)."""
    return queryset.annotate(
        donor_unit=unit_expression("donor_org__", day), recipient_unit=unit_expression("recipient__", day)
    ).annotate(
        category=Case(
            When(donor_org__isnull=True, then=Value(OUTSIDE)),
            When(donor_unit=F("recipient_unit"), then=Value(OWN_UNIT)),
            default=Value(OTHER_UNIT),
        )
    )


def with_donation_units(donations, day=None, chunk_size: int = 2000):
    """Yields ``donations`` (model instances) with the attributes ``donations_with_units``
    annotates, found here instead: each organization's unit is read once (``units_of``,
    per chunk of donations for the organizations not met before), where the annotation
    runs two subqueries for every donation (3.5 s of a national workbook's 50 000)."""
    unit_of = {}
    rows = iter(donations)
    while chunk := list(itertools.islice(rows, chunk_size)):
        met = {pk for d in chunk for pk in (d.donor_org_id, d.recipient_id) if pk} - unit_of.keys()
        if met:
            unit_of.update(dict.fromkeys(met) | units_of(met, day))
        for donation in chunk:
            donation.donor_unit = unit_of.get(donation.donor_org_id) if donation.donor_org_id else None
            donation.recipient_unit = unit_of.get(donation.recipient_id)
            donation.category = donation_category(donation.donor_org_id, donation.donor_unit, donation.recipient_unit)
        yield from chunk


def donation_category(donor_org_id, donor_unit, recipient_unit) -> str:
    """Where support went, as ``donations_with_units`` decides it in SQL: from outside
    (no donor unit), within one unit, or to another unit."""
    if donor_org_id is None:
        return OUTSIDE
    if donor_unit is not None and donor_unit == recipient_unit:
        return OWN_UNIT
    return OTHER_UNIT


def unit_donation_q(unit_id: int, role: str) -> Q:
    """Donations of a unit in one role: "given" (to another unit), "own" (within the
    unit) or "received" (from another unit or an outside donor)."""
    if role == "given":
        return Q(donor_unit=unit_id, category=OTHER_UNIT)
    if role == "own":
        return Q(donor_unit=unit_id, category=OWN_UNIT)
    if role == "received":
        return Q(recipient_unit=unit_id) & ~Q(category=OWN_UNIT)
    raise ValueError(role)


def unit_label(unit, html: bool = False) -> str:
    """A unit's name in tables: a department stands for the schools it manages directly.
    With ``html`` the label for a page: escaped, the unit's name marked as Vietnamese on
    a page in another language (``mark_vi``), the rest in the page's language."""
    from django.utils.translation import gettext as _

    department = unit.kind == Organization.Kind.DEPARTMENT
    label = _("%(name)s – schools it manages directly") if department else "%(name)s"
    if not html:
        return label % {"name": unit.display_name}
    return mark_safe(conditional_escape(label) % {"name": mark_vi(unit.display_name)})


def units_for(user, unit_ids, program):
    """The units met in the figures, each with ``has_row``: whether the user sees the
    unit's own row — the units they manage (department staff: their province;
    officers: their office), or all of them for the superuser and the program's
    organizers (department or union). Two queries."""
    scope = scope_for(user)
    organizes = scope.is_superuser or (
        program.organizers.filter(pk__in=scope.department_ids | scope.union_ids).exists()
    )
    has_row = Value(True) if organizes else Case(When(scope.managed_org_q(), then=Value(True)), default=Value(False))
    return list(Organization.objects.filter(pk__any_of=list(unit_ids)).annotate(has_row=has_row))


def units_of(organization_ids, day) -> dict:
    """{organization id: its unit on ``day``} (``unit_expression``) for
    ``organization_ids``: one query per ``IDS_PER_QUERY`` ids."""
    ids = sorted(organization_ids)
    units = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        part = Organization.objects.filter(pk__any_of=ids[start : start + IDS_PER_QUERY])
        units.update(part.annotate(unit=unit_expression("", day)).values_list("pk", "unit"))
    return units
