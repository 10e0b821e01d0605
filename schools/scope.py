"""Who may see and change what.

A user's scope is computed once per request from their active memberships
(``scope_for(user)``, one query, cached on the user object) and turned into ``Q``
objects that the QuerySet methods ``visible_to(user)`` and ``editable_by(user)`` of
every model apply. Views never filter by role themselves: they load objects through
those methods, so an object outside the scope is a 404 whatever the URL.

The rules (DESIGN.md §2, issue 3):
- superusers see and change everything;
- department staff see their province (and the programs their department organizes)
  and may change what is in it; a pair of another province stays hidden even in a
  program their department co-organizes;
- an office officer sees their office, the schools it manages and every pair with
  one side among them, and may change them;
- a principal sees their school and its pairs, and the activities hosted at their
  school (read-only when the pair is not theirs); what a principal may change
  (activities, plans, donations, reviews) is decided per model;
- a teacher sees what their principal sees and changes nothing;
- a union officer sees the programs they co-organize, read-only;
- anybody else sees nothing.

A proposed pair is answered (accepted or declined) by the side that did not register
it — its office officer — or by department staff of the province
(``pair_answer_q``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import F, Q

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    is_superuser: bool = False
    department_ids: frozenset[int] = field(default_factory=frozenset)
    province_ids: frozenset[int] = field(default_factory=frozenset)
    office_ids: frozenset[int] = field(default_factory=frozenset)
    principal_school_ids: frozenset[int] = field(default_factory=frozenset)
    teacher_school_ids: frozenset[int] = field(default_factory=frozenset)
    union_ids: frozenset[int] = field(default_factory=frozenset)
    # Provinces of the user's offices: the programs an officer may register pairs in.
    office_province_ids: frozenset[int] = field(default_factory=frozenset)

    # --- roles -----------------------------------------------------------------
    @property
    def is_department(self) -> bool:
        return bool(self.department_ids)

    @property
    def is_officer(self) -> bool:
        return bool(self.office_ids)

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
            (self.department_ids, self.office_ids, self.principal_school_ids, self.teacher_school_ids, self.union_ids)
        )

    @property
    def school_ids(self) -> frozenset[int]:
        return self.principal_school_ids | self.teacher_school_ids

    @property
    def can_manage_pairs(self) -> bool:
        """Department staff and office officers register, accept and end pairs."""
        return self.is_superuser or self.is_department or self.is_officer

    @property
    def can_see_reports(self) -> bool:
        """Department staff (their province), office officers (their office) and union
        officers (their programs) open the dashboards and exports; principals and
        teachers do not."""
        return self.is_superuser or self.is_department or self.is_officer or self.is_union

    # --- organizations -----------------------------------------------------------
    def org_q(self, prefix: str = "") -> Q:
        """Organizations this user may see: their own units and, for officers and
        department staff, the units under them."""
        if self.is_superuser:
            return Q()
        p = prefix
        q = NOTHING
        if self.province_ids:
            q |= Q(**{f"{p}province_id__in": self.province_ids}) | Q(**{f"{p}pk__in": self.department_ids})
        if self.office_ids:
            q |= Q(**{f"{p}pk__in": self.office_ids}) | Q(**{f"{p}parent_id__in": self.office_ids})
        if self.school_ids:
            q |= Q(**{f"{p}pk__in": self.school_ids})
        if self.union_ids:
            q |= Q(**{f"{p}pk__in": self.union_ids})
        return q

    def managed_org_q(self, prefix: str = "") -> Q:
        """Organizations this user may act for as an officer: department staff for
        their province, office officers for their office and its schools."""
        if self.is_superuser:
            return Q()
        p = prefix
        q = NOTHING
        if self.province_ids:
            q |= Q(**{f"{p}province_id__in": self.province_ids}) | Q(**{f"{p}pk__in": self.department_ids})
        if self.office_ids:
            q |= Q(**{f"{p}pk__in": self.office_ids}) | Q(**{f"{p}parent_id__in": self.office_ids})
        return q

    # --- pairs and everything hanging off a pair ----------------------------------
    def _side_q(self, prefix: str, org_q) -> Q:
        return org_q(f"{prefix}mentor__") | org_q(f"{prefix}mentee__")

    def pair_q(self, prefix: str = "") -> Q:
        """Pairs this user may see (``prefix`` = "pair__" for rows of a pair)."""
        if self.is_superuser:
            return Q()
        q = self._side_q(prefix, self._org_q_no_union)
        # A union officer follows every pair of the programs the union co-organizes.
        # Department staff do not: they see their province, and a program their
        # department co-organizes may reach into another province.
        program_ids = self.program_ids_q(self.union_ids)
        if program_ids is not None:
            q |= Q(**{f"{prefix}program_id__in": program_ids})
        return q

    def activity_q(self, prefix: str = "") -> Q:
        """Activities this user may see (``prefix`` for rows of an activity): those of
        the pairs they see and, for a school's principal and teachers, those hosted at
        their school — an office partnership may hold its lesson at a school that is
        not a side of it. Seeing one does not allow acting on it: that goes by the pair
        (``pair_act_q``), so a hosting school that is not in the pair only reads."""
        if self.is_superuser:
            return Q()
        q = self.pair_q(f"{prefix}pair__")
        if self.school_ids:
            q |= Q(**{f"{prefix}host_id__in": self.school_ids})
        return q

    def pair_manage_q(self, prefix: str = "") -> Q:
        """Pairs this user may accept, decline, end or edit (officers, department)."""
        if self.is_superuser:
            return Q()
        return self._side_q(prefix, self.managed_org_q)

    def pair_school_q(self, prefix: str = "") -> Q:
        """Pairs in which one of this user's schools (as principal) takes part."""
        if self.is_superuser:
            return Q()
        if not self.principal_school_ids:
            return NOTHING
        return Q(**{f"{prefix}mentor_id__in": self.principal_school_ids}) | Q(
            **{f"{prefix}mentee_id__in": self.principal_school_ids}
        )

    def pair_answer_q(self, prefix: str = "") -> Q:
        """Proposed pairs this user may accept or decline: department staff for a pair
        with a side in their province; an office officer when the side they manage is
        the one that did not register it (the registering side waits for the answer).
        A pair registered by neither side (by the department, or imported in the
        admin) may be answered by the officers of either side."""
        p = prefix
        proposed = Q(**{f"{p}status": "proposed"})
        if self.is_superuser:
            return proposed
        q = NOTHING
        if self.province_ids:
            department = Scope(department_ids=self.department_ids, province_ids=self.province_ids)
            q |= department._side_q(p, department.managed_org_q)
        if self.office_ids:
            officer = Scope(office_ids=self.office_ids)
            by_mentor_side = Q(**{f"{p}proposed_by_org_id": F(f"{p}mentor_id")}) | Q(
                **{f"{p}proposed_by_org_id": F(f"{p}mentor__parent_id")}
            )
            by_mentee_side = Q(**{f"{p}proposed_by_org_id": F(f"{p}mentee_id")}) | Q(
                **{f"{p}proposed_by_org_id": F(f"{p}mentee__parent_id")}
            )
            by_neither = Q(**{f"{p}proposed_by_org__isnull": True}) | Q(
                **{f"{p}proposed_by_org__kind__in": ["department", "union", "other"]}
            )
            q |= (
                (by_mentor_side & officer.managed_org_q(f"{p}mentee__"))
                | (by_mentee_side & officer.managed_org_q(f"{p}mentor__"))
                | (by_neither & officer._side_q(p, officer.managed_org_q))
            )
        return proposed & q

    def pair_office_q(self, prefix: str = "") -> Q:
        """Pairs with a side among this user's offices or the schools they manage
        (what an office officer answers for, whatever other roles the user holds)."""
        if self.is_superuser:
            return Q()
        if not self.office_ids:
            return NOTHING
        return self._side_q(prefix, Scope(office_ids=self.office_ids).managed_org_q)

    def pair_department_q(self, prefix: str = "") -> Q:
        """Pairs with a side in this user's province as department staff (what the
        department rates and commends)."""
        if self.is_superuser:
            return Q()
        if not self.department_ids:
            return NOTHING
        only_department = Scope(department_ids=self.department_ids, province_ids=self.province_ids)
        return self._side_q(prefix, only_department.managed_org_q)

    def pair_act_q(self, prefix: str = "") -> Q:
        """Pairs for which this user may log and edit activities, plans, donations and
        reviews: the principals of either side and the officers in scope."""
        if self.is_superuser:
            return Q()
        return self.pair_school_q(prefix) | self.pair_manage_q(prefix)

    def acting_org_q(self, prefix: str = "") -> Q:
        """Organizations this user acts for in a pair's work (logs, edits, records
        for): a principal's schools, an officer's office and its schools, department
        staff's province. Teachers and union officers act for nobody."""
        if self.is_superuser:
            return Q()
        q = self.managed_org_q(prefix)
        if self.principal_school_ids:
            q |= Q(**{f"{prefix}pk__in": self.principal_school_ids})
        return q

    def acts_for(self, organization) -> bool:
        """``acting_org_q`` for one organization already loaded (no query)."""
        if self.is_superuser:
            return True
        return (
            organization.pk in self.principal_school_ids
            or organization.pk in self.office_ids
            or organization.parent_id in self.office_ids
            or organization.pk in self.department_ids
            or organization.province_id in self.province_ids
        )

    def manages(self, organization) -> bool:
        """``managed_org_q`` for one organization already loaded (no query): whether
        this user may correct it as an officer or department staff."""
        if self.is_superuser:
            return True
        return (
            organization.pk in self.office_ids
            or organization.parent_id in self.office_ids
            or organization.pk in self.department_ids
            or organization.province_id in self.province_ids
        )

    def own_side_org_q(self, prefix: str = "") -> Q:
        """Organizations on this user's own side of a pair: their schools as principal,
        their offices and the schools those offices manage. Confirming is two-sided:
        nobody confirms what their own side reported. Department staff and superusers
        belong to no side."""
        p = prefix
        q = Q(**{f"{p}pk__in": []})
        if self.principal_school_ids:
            q |= Q(**{f"{p}pk__in": self.principal_school_ids})
        if self.office_ids:
            q |= Q(**{f"{p}pk__in": self.office_ids}) | Q(**{f"{p}parent_id__in": self.office_ids})
        return q

    def private_org_q(self, prefix: str = "") -> Q:
        """Organizations whose private records (notes about sponsored children, receipt
        scans) this user may read: their own school (principals and teachers), their
        office and its schools, their province (department staff). Never through a
        trade union or through organizing a program."""
        if self.is_superuser:
            return Q()
        return self._org_q_no_union(prefix)

    def _org_q_no_union(self, prefix: str = "") -> Q:
        # A union officer sees pairs through the programs they co-organize, not
        # through the union's own row.
        return Scope(
            department_ids=self.department_ids,
            province_ids=self.province_ids,
            office_ids=self.office_ids,
            principal_school_ids=self.principal_school_ids,
            teacher_school_ids=self.teacher_school_ids,
        ).org_q(prefix)

    def program_ids_q(self, organizer_ids=None):
        """A subquery of the ids of programs organized by ``organizer_ids`` (by default
        this user's department and union), or None when there are none."""
        if organizer_ids is None:
            organizer_ids = self.department_ids | self.union_ids
        if not organizer_ids:
            return None
        Program = apps.get_model("programs", "Program")
        return Program.objects.filter(organizers__in=organizer_ids).values("pk")

    def program_q(self, prefix: str = "") -> Q:
        """Programs this user may see: those they organize and those with a pair they
        can see."""
        if self.is_superuser:
            return Q()
        Pair = apps.get_model("programs", "Pair")
        q = Q(**{f"{prefix}pk__in": Pair.objects.filter(self.pair_q()).values("program_id")})
        program_ids = self.program_ids_q()
        if program_ids is not None:
            q |= Q(**{f"{prefix}pk__in": program_ids})
        return q

    def program_register_q(self, prefix: str = "") -> Q:
        """Programs in which this user may register pairs: for department staff and
        office officers, programs organized by a unit of their province (the
        department, or a union of the province) and programs they already have a pair
        in. Nobody else registers pairs."""
        if self.is_superuser:
            return Q()
        if not self.can_manage_pairs:
            return NOTHING
        Program = apps.get_model("programs", "Program")
        provinces = self.province_ids | self.office_province_ids
        organized = Program.objects.filter(organizers__province_id__in=provinces).values("pk")
        Pair = apps.get_model("programs", "Pair")
        with_pairs = Pair.objects.filter(self.pair_manage_q()).values("program_id")
        return Q(**{f"{prefix}pk__in": organized}) | Q(**{f"{prefix}pk__in": with_pairs})


ANONYMOUS = Scope()


def scope_for(user) -> Scope:
    """Returns the user's Scope: one query the first time, then cached on the user
    object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_ketnghia_scope", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        scope = Scope(is_superuser=True)
    else:
        Membership = apps.get_model("schools", "Membership")
        sets: dict[str, set[int]] = {
            "department_ids": set(),
            "province_ids": set(),
            "office_ids": set(),
            "principal_school_ids": set(),
            "teacher_school_ids": set(),
            "union_ids": set(),
            "office_province_ids": set(),
        }
        rows = Membership.objects.filter(user=user, is_active=True).values_list(
            "role", "organization_id", "organization__kind", "organization__province_id"
        )
        role_to_key = {
            ("department_staff", "department"): "department_ids",
            ("office_officer", "office"): "office_ids",
            ("principal", "school"): "principal_school_ids",
            ("teacher", "school"): "teacher_school_ids",
            ("union_officer", "union"): "union_ids",
        }
        for role, org_id, kind, province_id in rows:
            key = role_to_key.get((role, kind))
            if key is None:
                continue  # a role that does not fit its organization grants nothing
            sets[key].add(org_id)
            if key == "department_ids" and province_id:
                sets["province_ids"].add(province_id)
            if key == "office_ids" and province_id:
                sets["office_province_ids"].add(province_id)
        scope = Scope(**{k: frozenset(v) for k, v in sets.items()})
    user._ketnghia_scope = scope
    return scope
