"""Who may do what with pairs, and with everything that hangs off a pair.

One table, ``RULES``: (object, action) → the rule, in words and as a ``Q`` builder over
the user's ``schools.scope.Scope``. Each verb has one meaning on every object:

- ``view``      see it;
- ``change``    edit it (and end or delete it where that exists);
- ``answer``    accept or decline a proposed pair;
- ``act``       log the pair's work: activities, plans, donations, reviews;
- ``confirm``   confirm or return an activity the other side reported;
- ``approve``   accept or return a submitted plan;
- ``write``     write and submit a year-end review;
- ``forward``   send a review on to the department;
- ``rate``      rate and commend a review;
- ``read_private`` read the private note and receipt of a donation;
- ``register``  register pairs in a program.

The QuerySet methods of ``programs.querysets`` apply these rules and nothing else
(``visible_to`` = view, ``editable_by`` = change, ``answerable_by`` = answer, …), and
``tests/test_rules.py`` checks every entry against every role of the test cast.

Time: rules about *changing* follow the structure today (``Scope.managed_org_q``);
rules about *reading* include the history the user's units inherited (a merged
province's records, a merged unit's records). A pair is read by the staff of either
side: a cross-province pair is seen by both Departments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from schools.scope import NOTHING, Scope, Units

# Units that register pairs on behalf of neither side: then either side answers.
ANSWERING_KINDS = ("department", "union", "other")
# A confirmed activity is settled; before that its logging side may still change it.
EDITABLE_ACTIVITY_STATUSES = ("draft", "reported", "returned")


def _units(field: str, org_q) -> Q:
    """``field`` (a foreign key to a unit, with its prefix) among the units ``org_q``
    selects, as a subquery worked out once rather than a join tested on every row
    (``any_of``: an array the index is probed with, see ``twinning.lib.lookups``)."""
    from schools.models import Organization

    return Q(**{f"{field}_id__any_of": Organization.objects.filter(org_q()).values("pk")})


def _sides(prefix: str, units: Units) -> Q:
    """Pairs with a side among ``units``. A province is looked up in the pair's copies
    of its sides' provinces and an id in its sides' ids, each through an index, so
    that a Department's pairs come from two index scans; units under a managing body
    or cluster are a subquery the database works out once, as an array probing the
    sides' indexes (``any_of``: an officer's pairs 0.4 against 7 ms, where ``IN
    (SELECT …)`` tested every pair of the country). (Joining both sides' units to test
    the scope's OR on each row read a Department's or an office's every pair through
    two joins, 50–110 ms a query at national scale; a subquery of a province's units
    tested every pair of the country, 8–20 ms, and was misestimated twentyfold for
    the rest of the query.)"""
    from schools.models import Organization

    p = prefix
    q = NOTHING
    if units.provinces:
        q |= Q(**{f"{p}mentor_province_id__in": units.provinces}) | Q(**{f"{p}mentee_province_id__in": units.provinces})
    if units.ids:
        q |= Q(**{f"{p}mentor_id__in": units.ids}) | Q(**{f"{p}mentee_id__in": units.ids})
    if units.under:
        under = Organization.objects.filter(Units(under=units.under).q()).values("pk")
        q |= Q(**{f"{p}mentor_id__any_of": under}) | Q(**{f"{p}mentee_id__any_of": under})
    return q


def program_ids_q(scope: Scope, organizer_ids=None):
    """A subquery of the ids of programs organized by ``organizer_ids`` (by default the
    user's department and union, and the units merged into them), or None when
    there are none."""
    from programs.models import Program

    if organizer_ids is None:
        organizer_ids = scope.department_ids | scope.union_ids | scope.history_org_ids
    if not organizer_ids:
        return None
    return Program.objects.filter(organizers__in=organizer_ids).values("pk")


# --- pairs ----------------------------------------------------------------------------
def pair_view(scope: Scope, prefix: str = "") -> Q:
    """Pairs with a side the user sees (not through a union), and every pair of the
    programs the user's union co-organizes. Department staff do not see a program's
    pairs by organizing it: a program may reach into another province."""
    if scope.is_superuser:
        return Q()
    if prefix:
        # Another record's pair (an activity's, a donation's): joined with its sides,
        # so that the database walks the records newest first and stops at the page
        # (a subquery of the pairs in sight measured slower there: 77 against 50 ms).
        # Not through the pair's copies of its sides' provinces either: the capped
        # count of a Department's activities then scanned the activities instead of
        # starting from the province's pairs (97 against 24 ms).
        q = scope._org_q_no_union(f"{prefix}mentor__") | scope._org_q_no_union(f"{prefix}mentee__")
    else:
        q = _sides(prefix, scope.readable_units())
    union_programs = program_ids_q(scope, scope.union_ids)
    if union_programs is not None:
        q |= Q(**{f"{prefix}program_id__in": union_programs})
    return q


def pair_change(scope: Scope, prefix: str = "") -> Q:
    """Pairs with a side the user manages today (officers, cluster heads, department)."""
    if scope.is_superuser:
        return Q()
    return _sides(prefix, scope.managed_units())


def pair_principal(scope: Scope, prefix: str = "") -> Q:
    """Pairs in which one of the user's schools (as principal) takes part."""
    if scope.is_superuser:
        return Q()
    if not scope.principal_school_ids:
        return NOTHING
    ids = scope.principal_school_ids
    return Q(**{f"{prefix}mentor_id__in": ids}) | Q(**{f"{prefix}mentee_id__in": ids})


def pair_officer(scope: Scope, prefix: str = "") -> Q:
    """Pairs with a side among the units the user is an officer of (a managing body
    or a cluster, and the schools under it), whatever other roles they hold."""
    if scope.is_superuser:
        return Q()
    if not scope.is_officer:
        return NOTHING
    officer = Scope(manager_ids=scope.manager_ids, cluster_ids=scope.cluster_ids)
    return _sides(prefix, officer.managed_units())


def pair_department(scope: Scope, prefix: str = "") -> Q:
    """Pairs with a side in the user's province as department staff."""
    if scope.is_superuser:
        return Q()
    if not scope.department_ids:
        return NOTHING
    department = Scope(department_ids=scope.department_ids, province_ids=scope.province_ids)
    return _sides(prefix, department.managed_units())


def pair_act(scope: Scope, prefix: str = "") -> Q:
    """Pairs whose work the user may log: either side's principal, and the officers
    and department staff who manage a side."""
    if scope.is_superuser:
        return Q()
    return pair_principal(scope, prefix) | pair_change(scope, prefix)


def pair_write_review(scope: Scope, prefix: str = "") -> Q:
    """Pairs whose year-end review the user may write: either principal, the officers
    of either side (not the department, which rates it)."""
    if scope.is_superuser:
        return Q()
    return pair_principal(scope, prefix) | pair_officer(scope, prefix)


def _registered_by_side(p: str, side: str) -> Q:
    """The pair was registered on behalf of ``side`` (mentor or mentee), its managing
    body or its cluster."""
    return (
        Q(**{f"{p}proposed_by_org_id": F(f"{p}{side}_id")})
        | Q(**{f"{p}proposed_by_org_id": F(f"{p}{side}__parent_id")})
        | Q(**{f"{p}proposed_by_org_id": F(f"{p}{side}__cluster_id")})
    )


def pair_answer(scope: Scope, prefix: str = "") -> Q:
    """Proposed pairs the user may accept or decline: department staff for a pair
    with a side in their province; an officer when the side they manage is the one
    that did not register it (the registering side waits). A pair registered by
    neither side (by a department, or imported in the admin) may be answered by the
    officers of either side."""
    p = prefix
    proposed = Q(**{f"{p}status": "proposed"})
    if scope.is_superuser:
        return proposed
    q = pair_department(scope, prefix)
    if scope.is_officer:
        officer = Scope(manager_ids=scope.manager_ids, cluster_ids=scope.cluster_ids)
        by_neither = Q(**{f"{p}proposed_by_org__isnull": True}) | Q(
            **{f"{p}proposed_by_org__kind__in": ANSWERING_KINDS}
        )
        q |= (
            (_registered_by_side(p, "mentor") & officer.managed_org_q(f"{p}mentee__"))
            | (_registered_by_side(p, "mentee") & officer.managed_org_q(f"{p}mentor__"))
            | (by_neither & _sides(p, officer.managed_units()))
        )
    return proposed & q


# --- rows of a pair -------------------------------------------------------------------
def activity_view(scope: Scope, prefix: str = "") -> Q:
    """Activities of the pairs the user sees and, for a school's principal and
    teachers, those hosted at their school (an office partnership may hold its lesson
    at a school that is not a side of it). A draft only on the side that wrote it."""
    return activity_view_of_pairs(scope, pair_view(scope, f"{prefix}pair__"), prefix)


def activity_view_of_pairs(scope: Scope, pairs: Q, prefix: str = "") -> Q:
    """``activity_view`` with the pairs the user sees given as ``pairs`` (a Q on the
    activity's pair: the rule's own, or ``pair_id__in`` the ids it selects)."""
    if scope.is_superuser:
        return Q()
    q = pairs
    if scope.school_ids:
        q |= Q(**{f"{prefix}host_id__in": scope.school_ids})
    return q & (~Q(**{f"{prefix}status": "draft"}) | scope.org_q(f"{prefix}reported_by_org__"))


def activity_change(scope: Scope, prefix: str = "") -> Q:
    """Activities not confirmed yet, of a pair the user acts for, logged by a unit
    the user acts for."""
    if scope.is_superuser:
        return Q(**{f"{prefix}status__in": EDITABLE_ACTIVITY_STATUSES})
    return (
        pair_act(scope, f"{prefix}pair__")
        & scope.acting_org_q(f"{prefix}reported_by_org__")
        & Q(**{f"{prefix}status__in": EDITABLE_ACTIVITY_STATUSES})
    )


def activity_confirm(scope: Scope, prefix: str = "") -> Q:
    """Reported activities of a pair the user acts for, logged by the other side:
    never by the user's own school, body or cluster (the QuerySet also leaves out
    what the user logged personally)."""
    return (
        pair_act(scope, f"{prefix}pair__")
        & Q(**{f"{prefix}status": "reported"})
        & ~scope.own_side_org_q(f"{prefix}reported_by_org__")
    )


def donation_view(scope: Scope, prefix: str = "") -> Q:
    if scope.is_superuser:
        return Q()
    from programs.models import Pair

    # Donations are summed over the whole scope: the pairs in sight as one set
    # (83 ms at national scale) rather than joined on every donation (155 ms), and
    # each of the three sets as an array probing its index (``any_of``) so that the
    # three are OR-ed by bitmap instead of tested on every donation (a Department's
    # totals: 18–26 against 58 ms).
    return (
        Q(**{f"{prefix}pair_id__any_of": Pair.objects.filter(pair_view(scope)).values("pk")})
        | _units(f"{prefix}recipient", scope.org_q)
        | _units(f"{prefix}donor_org", scope.org_q)
    )


def donation_change(scope: Scope, prefix: str = "") -> Q:
    """The principal of the school that recorded it, the officers and department in
    scope of either side, the donor or the recipient. The partner school only reads
    what the other side recorded."""
    if scope.is_superuser:
        return Q()
    p = prefix
    return (
        _sides(f"{p}pair__", scope.managed_units())
        | _units(f"{p}recipient", scope.managed_org_q)
        | _units(f"{p}donor_org", scope.managed_org_q)
        | Q(**{f"{p}recorded_by_org_id__in": scope.principal_school_ids})
    )


def donation_read_private(scope: Scope, prefix: str = "") -> Q:
    """The two sides' school staff, their officers and the department of their
    province — not trade union officers, not program organizers from elsewhere."""
    p = prefix
    if scope.is_superuser:
        return Q()
    return (
        _sides(f"{p}pair__", scope.readable_units())
        | _units(f"{p}recipient", scope.private_org_q)
        | _units(f"{p}donor_org", scope.private_org_q)
    )


def plan_view(scope: Scope, prefix: str = "") -> Q:
    return pair_view(scope, f"{prefix}pair__")


def plan_change(scope: Scope, prefix: str = "") -> Q:
    """Either principal and the officers in scope draft and submit a plan."""
    return pair_act(scope, f"{prefix}pair__")


def plan_approve(scope: Scope, prefix: str = "") -> Q:
    """Officers of either side and department staff accept or return it; never a
    principal."""
    return pair_change(scope, f"{prefix}pair__")


def review_view(scope: Scope, prefix: str = "") -> Q:
    return pair_view(scope, f"{prefix}pair__")


def review_change(scope: Scope, prefix: str = "") -> Q:
    return pair_act(scope, f"{prefix}pair__")


def review_write(scope: Scope, prefix: str = "") -> Q:
    return pair_write_review(scope, f"{prefix}pair__")


def review_forward(scope: Scope, prefix: str = "") -> Q:
    """The officers of either side send a submitted review on to the department."""
    return pair_officer(scope, f"{prefix}pair__")


def review_rate(scope: Scope, prefix: str = "") -> Q:
    """Department staff of the province rate and commend."""
    return pair_department(scope, f"{prefix}pair__")


# --- programs -------------------------------------------------------------------------
def program_view(scope: Scope, prefix: str = "") -> Q:
    """Programs the user organizes (or inherited) and those with a pair they see."""
    from programs.models import Pair

    if scope.is_superuser:
        return Q()
    if prefix:
        q = Q(**{f"{prefix}pk__in": Pair.objects.filter(pair_view(scope)).values("program_id")})
    else:
        # A program per row, each stopping at its first pair with a side in sight, one
        # side at a time: then the database walks the units in sight into the pairs'
        # side indexes and stops at the first hit (0.04 ms at national scale). "IN (the
        # program of every pair in scope)" read a Department's 25 000 pairs (40 ms),
        # one EXISTS over both sides hashed every pair in sight (8–10 ms). The pairs of
        # a program co-organized by the user's union are in sight through ``organized``.
        from schools.models import Organization

        units = Organization.objects.filter(scope._org_q_no_union()).values("pk")
        q = Q(Exists(Pair.objects.filter(program=OuterRef("pk"), mentor_id__in=units))) | Q(
            Exists(Pair.objects.filter(program=OuterRef("pk"), mentee_id__in=units))
        )
    organized = program_ids_q(scope)
    if organized is not None:
        q |= Q(**{f"{prefix}pk__in": organized})
    return q


def program_register(scope: Scope, prefix: str = "") -> Q:
    """Programs in which the user may register pairs: for department staff and
    officers, programs organized by a unit of their province (the department, a
    union of the province) and programs they already have a pair in."""
    from programs.models import Pair, Program

    if scope.is_superuser:
        return Q()
    if not scope.can_manage_pairs:
        return NOTHING
    provinces = scope.province_ids | scope.manager_province_ids
    organized = Program.objects.filter(organizers__province_id__in=provinces).values("pk")
    with_pairs = Pair.objects.filter(pair_change(scope)).values("program_id")
    return Q(**{f"{prefix}pk__in": organized}) | Q(**{f"{prefix}pk__in": with_pairs})


def program_change(scope: Scope, prefix: str = "") -> Q:
    """Department staff change the programs their department organizes."""
    if scope.is_superuser:
        return Q()
    if not scope.department_ids:
        return NOTHING
    return Q(**{f"{prefix}organizers__in": scope.department_ids})


# --- the table ------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    who: str
    q: Callable[[Scope, str], Q]


RULES: dict[tuple[str, str], Rule] = {
    ("pair", "view"): Rule("the staff of either side and of their province; the union of the program", pair_view),
    ("pair", "change"): Rule("officers, cluster heads and department staff who manage a side today", pair_change),
    ("pair", "answer"): Rule("the side that did not register it, or the department", pair_answer),
    ("pair", "act"): Rule("either principal, and whoever may change the pair", pair_act),
    ("pair", "write"): Rule("either principal and the officers of either side", pair_write_review),
    ("activity", "view"): Rule("whoever sees the pair; the host school; drafts only their side", activity_view),
    ("activity", "change"): Rule("the side that logged it, until it is confirmed", activity_change),
    ("activity", "confirm"): Rule("the other side of the pair", activity_confirm),
    ("donation", "view"): Rule("whoever sees the pair, the donor or the recipient", donation_view),
    ("donation", "change"): Rule("the recording school, the officers in scope, the department", donation_change),
    ("donation", "read_private"): Rule("the two sides' staff, their officers, the department", donation_read_private),
    ("plan", "view"): Rule("whoever sees the pair", plan_view),
    ("plan", "change"): Rule("either principal and the officers in scope", plan_change),
    ("plan", "approve"): Rule("the officers of either side and the department", plan_approve),
    ("review", "view"): Rule("whoever sees the pair", review_view),
    ("review", "change"): Rule("either principal and the officers in scope", review_change),
    ("review", "write"): Rule("either principal and the officers of either side", review_write),
    ("review", "forward"): Rule("the officers of either side", review_forward),
    ("review", "rate"): Rule("department staff of either side's province", review_rate),
    ("program", "view"): Rule("its organizers and whoever sees one of its pairs", program_view),
    ("program", "register"): Rule("department staff and officers of an organizing province", program_register),
    ("program", "change"): Rule("department staff of an organizing department", program_change),
}


def rule_q(obj: str, action: str, scope: Scope, prefix: str = "") -> Q:
    """The ``Q`` of the rule (``obj``, ``action``) for ``scope``."""
    return RULES[(obj, action)].q(scope, prefix)
