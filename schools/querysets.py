"""Reusable filters for the schools app; scoping delegates to schools.scope.

Time: areas and units carry the dates they existed, and a unit's managing body, area
and cluster are dated ``Placement`` rows. ``Placement.objects.on(day)`` and
``placed_on(day, field)`` answer "as it stood on that day" for pages and reports.
"""

import datetime

from django.db import models
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from schools.scope import scope_for
from twinning.lib.text import fold


class AreaQuerySet(models.QuerySet):
    def provinces(self):
        return self.filter(kind="province")

    def existing_on(self, day: datetime.date | None = None):
        """Areas that existed on ``day`` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def current(self):
        return self.filter(valid_until__isnull=True)

    def search(self, text: str):
        """Areas whose designation, name, parent or code contain every word of
        ``text``, ignoring case and diacritics ("tay mo" finds "Phường Tây Mỗ")."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs


class OrganizationQuerySet(models.QuerySet):
    def schools(self):
        return self.filter(kind="school")

    def offices(self):
        return self.filter(kind="office")

    def operating(self, day: datetime.date | None = None):
        """Units that operated on ``day`` (today by default): established by then and
        not ceased before."""
        day = day or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def visible_to(self, user):
        """Organizations the user may open in the workspace."""
        return self.filter(scope_for(user).org_q())

    def editable_by(self, user):
        """Organizations the user may change or act for as an officer."""
        return self.filter(scope_for(user).managed_org_q())

    def restructurable_by(self, user):
        """Units whose structure (managing body, place, cluster, cessation) the user
        may record: department staff for the units of their province today."""
        return self.filter(scope_for(user).restructure_q())

    def search(self, text: str):
        """Name or code contains every word of ``text``, ignoring case and diacritics
        ("tay mo" finds "THCS Tây Mỗ", "dang" finds "Đặng")."""
        qs = self
        for word in fold(text).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def in_area(self, area):
        """Units that stand or stood in ``area`` or an area below it (``area_q``)."""
        return self.filter(area_q(area))

    def of_level(self, level: str):
        return self.filter(level=level)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def current(self, day: datetime.date | None = None):
        """Roles held on ``day`` (today by default): active, begun by then and not
        ended before (``valid_until`` is the last day the role is held)."""
        day = day or timezone.localdate()
        return self.filter(is_active=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )

    def current_first(self, day: datetime.date | None = None):
        """Annotates ``state``: 0 current, 1 not begun yet, 2 ended or switched off;
        order by it to list the roles held today first."""
        day = day or timezone.localdate()
        return self.annotate(
            state=Case(
                When(Q(is_active=False) | Q(valid_until__lt=day), then=Value(2)),
                When(valid_from__gt=day, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )


class PlacementQuerySet(models.QuerySet):
    def on(self, day: datetime.date):
        """Placements in effect on ``day``."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        )


def _begun_by(day):
    return Case(
        When(Q(valid_from__isnull=True) | Q(valid_from__lte=day), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def placement_order(day):
    """The order in which a unit's placements answer "as it stood on ``day``": the
    latest begun on or before it (for a unit that ceased, its last one); for a unit
    that began later, its first."""
    return [
        "begun",
        Case(When(begun=0, then=F("valid_from"))).desc(nulls_last=True),
        F("valid_from").asc(nulls_first=True),
    ]


def placed_on(day: datetime.date, field: str = "parent_id", organization=None):
    """A subquery: the ``field`` (parent_id, area_id, cluster_id) of a unit's placement
    as it stood on ``day`` (``placement_order``). ``organization`` is the outer
    reference to the unit's id (``OuterRef("pk")`` by default)."""
    from schools.models import Placement

    organization = organization if organization is not None else OuterRef("pk")
    rows = (
        Placement.objects.filter(organization_id=organization)
        .annotate(begun=_begun_by(day))
        .order_by(*placement_order(day))
        .values(field)[:1]
    )
    return Subquery(rows)


def placement_in_effect(placements, day: datetime.date):
    """Among one unit's placements (already loaded), the one ``placement_order``
    picks for ``day``, or None when there is none."""
    begun = [p for p in placements if p.valid_from is None or p.valid_from <= day]
    if begun:
        return max(begun, key=lambda p: (p.valid_from is not None, p.valid_from or day))
    return min(placements, key=lambda p: p.valid_from, default=None)


def placements_on(organization_ids, day: datetime.date) -> dict:
    """{unit id: its Placement as it stood on ``day``} (``placement_order``), with the
    managing body, the area (and the area above it) and the cluster loaded. One query."""
    from schools.models import Placement

    result = {}
    rows = (
        Placement.objects.filter(organization_id__in=set(organization_ids))
        .annotate(begun=_begun_by(day))
        .select_related("parent", "area__parent", "cluster")
        .order_by("organization_id", *placement_order(day))
    )
    for placement in rows:
        result.setdefault(placement.organization_id, placement)
    return result


def area_q(area, prefix: str = "") -> Q:
    """Units that stand, or stood at some time, in ``area`` — the area itself or one
    below it (a district's communes, a province's districts and communes), through
    their placements: a school that left "Huyện Mỹ Đức" for a commune in July 2025 is
    still found under Mỹ Đức, where its pairs of 2022–2025 were. ``prefix`` =
    "mentor__" for a pair's side. One subquery."""
    from schools.models import Placement

    placed = Placement.objects.filter(Q(area=area) | Q(area__parent=area) | Q(area__parent__parent=area))
    return Q(**{f"{prefix}pk__in": placed.values("organization_id")})
