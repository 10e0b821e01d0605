"""Who may see and change which units.

A user's scope is computed once per request from their current memberships
(``scope_for(user)``, one query in the common case, cached on the user object) and
turned into ``Q`` objects that the QuerySet methods ``visible_to(user)`` and
``editable_by(user)`` apply. Views never filter by role themselves: they load objects
through those methods, so an object outside the scope is a 404 whatever the URL.

This module knows units only. The rules for pairs, activities, programs and what
hangs off them are in ``programs.rules``: ``programs`` depends on ``schools``, never
the other way.

The rules (DESIGN.md §2, issues 3 and 10):
- superusers see and change everything;
- department staff see and change the units of their province;
- a managing body's officers — a district education office (until 30 June 2025) or
  a commune People's Committee (since 1 July 2025) — see and change the body and the
  units it manages; a cluster head sees and changes the cluster and its schools;
- a principal sees their school; a teacher sees it too; a union officer sees the union;
- anybody else sees nothing.

Time: who may *change* follows the structure today (a unit's current managing body,
cluster and province). Who may *read* also includes the history the user's units
inherited: the Department of a merged province reads the records of the provinces
merged into it, and a unit reads those of the units merged into it
(``Organization.successor``). A unit that ceased has no live users: memberships of a
ceased unit grant nothing. A role counts from its first day to its last
(``Membership.valid_from``/``valid_until``).

Acting unit (issue 13 §5): a user with roles in several units may choose one to act
for (``accounts.views.acting``, kept in the session). ``twinning.middleware.
ActingUnitMiddleware`` puts that choice on the request's user as ``_ketnghia_acting``
(a membership id) before anything computes the scope; the scope is then made of the
roles in that membership's unit only. A choice that is no longer a current role of
the user is ignored. The roles the user holds, all of them, stay in ``Scope.held``
so that the header can offer the switch without another query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.apps import apps
from django.db.models import Q
from django.utils import timezone

from twinning.lib.text import fold

NOTHING = Q(pk__in=[])


class Held(NamedTuple):
    """A current role of the user: which membership, in which unit."""

    membership_id: int
    organization_id: int
    organization_name: str
    role: str


@dataclass(frozen=True)
class Units:
    """A set of units, said three ways the database can look up by index: units in
    ``provinces`` (``Organization.province``; a pair keeps its sides' copies), units
    whose id is in ``ids``, and units whose ``parent_id`` or ``cluster_id`` (the field
    named first in each entry of ``under``) is among the ids that follow."""

    provinces: frozenset[int] = frozenset()
    ids: frozenset[int] = frozenset()
    under: tuple[tuple[str, frozenset[int]], ...] = ()

    def q(self, prefix: str = "") -> Q:
        """The units themselves, as a filter on units (``prefix`` for a related unit)."""
        q = NOTHING
        if self.provinces:
            q |= Q(**{f"{prefix}province_id__in": self.provinces})
        if self.ids:
            q |= Q(**{f"{prefix}pk__in": self.ids})
        for name, ids in self.under:
            q |= Q(**{f"{prefix}{name}__in": ids})
        return q


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    department_ids: frozenset[int] = field(default_factory=frozenset)
    province_ids: frozenset[int] = field(default_factory=frozenset)
    # Managing bodies whose officers act for the units they manage: district
    # education offices and commune People's Committees.
    manager_ids: frozenset[int] = field(default_factory=frozenset)
    cluster_ids: frozenset[int] = field(default_factory=frozenset)
    principal_school_ids: frozenset[int] = field(default_factory=frozenset)
    teacher_school_ids: frozenset[int] = field(default_factory=frozenset)
    union_ids: frozenset[int] = field(default_factory=frozenset)
    # Provinces of the user's managing bodies and clusters: the programs an officer
    # may register pairs in.
    manager_province_ids: frozenset[int] = field(default_factory=frozenset)
    # Read-only history inherited through mergers: provinces merged into the user's
    # department's province, and units merged into the user's own units.
    history_province_ids: frozenset[int] = field(default_factory=frozenset)
    history_org_ids: frozenset[int] = field(default_factory=frozenset)
    # Every current role of the user (whatever unit they act for), and the unit they
    # chose to act for, if they did (None: all their units).
    held: tuple[Held, ...] = ()
    acting_unit_id: int | None = None

    # --- acting unit ---------------------------------------------------------------
    @property
    def units_held(self) -> list[Held]:
        """One entry per unit the user has a current role in (the first role of each),
        in the order of the unit names."""
        seen: dict[int, Held] = {}
        for held in self.held:
            seen.setdefault(held.organization_id, held)
        return sorted(seen.values(), key=lambda held: (fold(held.organization_name), held.membership_id))

    @property
    def has_many_units(self) -> bool:
        """True when the user may choose which unit to act for."""
        return len({held.organization_id for held in self.held}) > 1

    @property
    def acting_unit_name(self) -> str:
        return next((h.organization_name for h in self.held if h.organization_id == self.acting_unit_id), "")

    # --- roles -----------------------------------------------------------------
    @property
    def is_department(self) -> bool:
        return bool(self.department_ids)

    @property
    def is_officer(self) -> bool:
        """An officer of a managing body, or a cluster head."""
        return bool(self.manager_ids or self.cluster_ids)

    @property
    def is_principal(self) -> bool:
        return bool(self.principal_school_ids)

    @property
    def is_teacher(self) -> bool:
        return bool(self.teacher_school_ids)

    @property
    def is_union(self) -> bool:
        return bool(self.union_ids)

    @property
    def is_staff_member(self) -> bool:
        """True for anyone with a role in the portal (may open /workspace/)."""
        return self.is_superuser or any(
            (
                self.department_ids,
                self.manager_ids,
                self.cluster_ids,
                self.principal_school_ids,
                self.teacher_school_ids,
                self.union_ids,
            )
        )

    @property
    def school_ids(self) -> frozenset[int]:
        return self.principal_school_ids | self.teacher_school_ids

    @property
    def officer_ids(self) -> frozenset[int]:
        """The units the user is an officer of: managing bodies and clusters."""
        return self.manager_ids | self.cluster_ids

    @property
    def can_manage_pairs(self) -> bool:
        """Department staff, officers and cluster heads register, accept and end pairs."""
        return self.is_superuser or self.is_department or self.is_officer

    @property
    def can_see_reports(self) -> bool:
        """Department staff (their province), officers (their units) and union
        officers (their programs) open the dashboards and exports; principals and
        teachers do not."""
        return self.is_superuser or self.is_department or self.is_officer or self.is_union

    @property
    def reads_province_ids(self) -> frozenset[int]:
        return self.province_ids | self.history_province_ids

    # --- units -------------------------------------------------------------------
    def org_q(self, prefix: str = "") -> Q:
        """Units this user may see: their own units and those under them, and the
        history they inherited."""
        if self.is_superuser:
            return Q()
        p = prefix
        q = self._org_q_no_union(prefix)
        if self.union_ids:
            q |= Q(**{f"{p}pk__in": self.union_ids})
        return q

    def managed_org_q(self, prefix: str = "") -> Q:
        """Units this user may act for as an officer, as the structure stands today:
        department staff for their province, a managing body's officers for the body
        and the units it manages, a cluster head for the cluster and its schools."""
        if self.is_superuser:
            return Q()
        return self.managed_units().q(prefix)

    def managed_units(self) -> Units:
        """The units of ``managed_org_q`` (not for a superuser: every unit)."""
        under = [("parent_id", self.manager_ids), ("cluster_id", self.cluster_ids)]
        return Units(
            provinces=self.province_ids,
            # A Department manages itself through its province (none: nothing).
            ids=(self.department_ids if self.province_ids else frozenset()) | self.manager_ids | self.cluster_ids,
            under=tuple((name, ids) for name, ids in under if ids),
        )

    def restructure_q(self, prefix: str = "") -> Q:
        """Units whose structure this user may record (a new managing body, place or
        cluster, a cessation): department staff for their province, and their
        department itself."""
        if self.is_superuser:
            return Q()
        if not self.province_ids:
            return NOTHING
        return Q(**{f"{prefix}province_id__in": self.province_ids}) | Q(**{f"{prefix}pk__in": self.department_ids})

    @property
    def can_restructure(self) -> bool:
        return self.is_superuser or bool(self.province_ids)

    def acting_org_q(self, prefix: str = "") -> Q:
        """Units this user acts for in a pair's work (logs, edits, records for): a
        principal's schools and the units they manage as an officer or department
        staff. Teachers and union officers act for nobody."""
        if self.is_superuser:
            return Q()
        q = self.managed_org_q(prefix)
        if self.principal_school_ids:
            q |= Q(**{f"{prefix}pk__in": self.principal_school_ids})
        return q

    def manages(self, organization) -> bool:
        """``managed_org_q`` for one unit already loaded (no query)."""
        if self.is_superuser:
            return True
        return (
            organization.pk in self.manager_ids
            or organization.parent_id in self.manager_ids
            or organization.pk in self.cluster_ids
            or (organization.cluster_id is not None and organization.cluster_id in self.cluster_ids)
            or organization.pk in self.department_ids
            or organization.province_id in self.province_ids
        )

    def acts_for(self, organization) -> bool:
        """``acting_org_q`` for one unit already loaded (no query)."""
        return self.manages(organization) or organization.pk in self.principal_school_ids

    def own_side_org_q(self, prefix: str = "") -> Q:
        """Units on this user's own side of a pair: their schools as principal, and
        the bodies and clusters they are an officer of with the schools under them.
        Confirming is two-sided: nobody confirms what their own side reported.
        Department staff and superusers belong to no side."""
        p = prefix
        q = NOTHING
        if self.principal_school_ids:
            q |= Q(**{f"{p}pk__in": self.principal_school_ids})
        if self.manager_ids:
            q |= Q(**{f"{p}pk__in": self.manager_ids}) | Q(**{f"{p}parent_id__in": self.manager_ids})
        if self.cluster_ids:
            q |= Q(**{f"{p}pk__in": self.cluster_ids}) | Q(**{f"{p}cluster_id__in": self.cluster_ids})
        return q

    def private_org_q(self, prefix: str = "") -> Q:
        """Units whose private records (notes about sponsored children, receipt scans)
        this user may read: their own school (principals and teachers), the units
        they manage, their province (department staff). Never through a trade union
        or through organizing a program."""
        if self.is_superuser:
            return Q()
        return self._org_q_no_union(prefix)

    def _org_q_no_union(self, prefix: str = "") -> Q:
        if self.is_superuser:
            return Q()
        return self.readable_units().q(prefix)

    @property
    def sides_by_index(self) -> bool:
        """True when the pairs this user sees are found by index lookups alone
        (provinces and unit ids: no units under a body or cluster, no union's
        programs), so that reading them first as ids saves nothing."""
        return not self.is_superuser and not self.union_ids and not self.readable_units().under

    def readable_units(self) -> Units:
        """The units this user sees, not through a union (``_org_q_no_union``): those
        they manage, their schools, and the history inherited through mergers (not
        for a superuser: every unit)."""
        managed = self.managed_units()
        under = managed.under
        if self.history_org_ids and self.is_officer:
            under = (*under, ("parent_id", self.history_org_ids))
        return Units(
            provinces=managed.provinces | self.history_province_ids,
            ids=managed.ids | self.school_ids | self.history_org_ids,
            under=under,
        )


ANONYMOUS = Scope()

# Which role in which kind of unit grants what.
_ROLE_KEYS = {
    ("department_staff", "department"): "department_ids",
    ("office_officer", "office"): "manager_ids",
    ("commune_officer", "commune_committee"): "manager_ids",
    ("cluster_head", "cluster"): "cluster_ids",
    ("principal", "school"): "principal_school_ids",
    ("teacher", "school"): "teacher_school_ids",
    ("union_officer", "union"): "union_ids",
}


def scope_for(user) -> Scope:
    """Returns the user's Scope: one query the first time (a second one, and more,
    only when the user's units or province inherited history through a merger), then
    cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_ketnghia_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_superuser=True)
    else:
        scope = _compute_scope(user)
    user._ketnghia_scope = scope
    return scope


_NOT_SETS = {"is_superuser", "held", "acting_unit_id"}


def _compute_scope(user) -> Scope:
    Membership = apps.get_model("schools", "Membership")
    today = timezone.localdate()
    sets: dict[str, set[int]] = {name: set() for name in Scope.__dataclass_fields__ if name not in _NOT_SETS}
    rows = [
        row
        for row in Membership.objects.filter(user=user)
        .current(today)
        .filter(Q(organization__valid_until__isnull=True) | Q(organization__valid_until__gte=today))
        .order_by("pk")
        .values_list(
            "role",
            "organization_id",
            "organization__kind",
            "organization__province_id",
            "organization__predecessors__id",
            "organization__province__predecessors__id",
            "pk",
            "organization__name",
        )
        if _ROLE_KEYS.get((row[0], row[2])) is not None  # a role that does not fit its unit grants nothing
    ]
    held = tuple(dict.fromkeys(Held(pk, org_id, name, role) for role, org_id, _k, _p, _po, _pp, pk, name in rows))
    acting_unit_id = None
    acting = getattr(user, "_ketnghia_acting", None)
    if acting is not None and len({h.organization_id for h in held}) > 1:
        # The unit the user chose to act for, if the choice is still one of their roles.
        acting_unit_id = next((h.organization_id for h in held if h.membership_id == acting), None)
        if acting_unit_id is not None:
            rows = [row for row in rows if row[1] == acting_unit_id]
    predecessor_orgs: set[int] = set()
    predecessor_provinces: set[int] = set()
    for role, org_id, kind, province_id, predecessor_org, predecessor_province, _pk, _name in rows:
        key = _ROLE_KEYS[(role, kind)]
        sets[key].add(org_id)
        if predecessor_org:
            predecessor_orgs.add(predecessor_org)
        if key == "department_ids" and province_id:
            sets["province_ids"].add(province_id)
            if predecessor_province:
                predecessor_provinces.add(predecessor_province)
        if key in ("manager_ids", "cluster_ids") and province_id:
            sets["manager_province_ids"].add(province_id)
    if predecessor_orgs:
        sets["history_org_ids"] = _closure(predecessor_orgs, "schools", "Organization", "successor_id__in")
    if predecessor_provinces:
        sets["history_province_ids"] = _closure(predecessor_provinces, "schools", "Area", "successors__in")
    return Scope(**{k: frozenset(v) for k, v in sets.items()}, held=held, acting_unit_id=acting_unit_id)


def _closure(ids: set[int], app: str, model: str, lookup: str) -> set[int]:
    """``ids`` and everything that led to them through ``lookup`` (a predecessor's
    predecessor…): a query per generation, and mergers are rare."""
    Model = apps.get_model(app, model)
    found, frontier = set(ids), set(ids)
    while frontier:
        frontier = set(Model.objects.filter(**{lookup: frontier}).values_list("pk", flat=True)) - found
        found |= frontier
    return found
