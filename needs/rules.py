"""Who may do what on the needs board, as ``Q`` builders over ``schools.scope.Scope``
(the pattern of ``programs.rules``). Deny by default: a user with no matching role
gets ``NOTHING``.

- view:     whoever sees the pair (``programs.rules.pair_view``); and, for a need the
            Department opened to other donors, the staff of any unit in the helped
            school's province;
- read private (the need's details, the pledges' notes): the pair's two sides (their
            school staff), the bodies that manage them and the Department of either
            side's province — not through a trade union or a program's organizers,
            nor a unit of the province that sees the need only because it is open to
            other donors; a pledge's note also the pledging unit's own people;
- post / change / close / confirm receipt: the helped side — its principal, the
            officers who manage it, the Department of its province;
- pledge:   the helping side (its principal, its officers, its Department); and, for
            a need open to other donors, anyone acting for a unit in the helped
            school's province;
- open to other donors: Department staff of the helped school's province;
- withdraw a pledge: the people of the pledging unit, or the helped side.
"""

from django.apps import apps
from django.db.models import Q

from programs.rules import pair_view
from schools.scope import NOTHING, Scope


def _acting_provinces(scope: Scope):
    """A subquery of the provinces of the units the user acts for (principal's
    schools, officers' bodies and clusters, Department), or None when none."""
    Organization = apps.get_model("schools", "Organization")
    units = scope.principal_school_ids | scope.manager_ids | scope.cluster_ids | scope.department_ids
    if not units:
        return None
    return Organization.objects.filter(pk__in=units).values("province_id")


def _open_in_province(scope: Scope, prefix: str) -> Q:
    provinces = _acting_provinces(scope)
    if provinces is None:
        return NOTHING
    return Q(**{f"{prefix}open_to_others": True, f"{prefix}pair__mentee__province_id__in": provinces})


def need_view(scope: Scope, prefix: str = "") -> Q:
    if scope.is_superuser:
        return Q()
    return pair_view(scope, f"{prefix}pair__") | _open_in_province(scope, prefix)


def _private_units(scope: Scope):
    """A subquery of the units whose private records the user reads
    (``Scope.private_org_q``: own school, managed units, own province)."""
    Organization = apps.get_model("schools", "Organization")
    return Organization.objects.filter(scope.private_org_q()).values("pk")


def need_read_private(scope: Scope, prefix: str = "") -> Q:
    """Needs whose details the user may read: a side of the need's pair is among
    the units whose private records they read."""
    if scope.is_superuser:
        return Q()
    units = _private_units(scope)
    return Q(**{f"{prefix}pair__mentor_id__in": units}) | Q(**{f"{prefix}pair__mentee_id__in": units})


def pledge_read_private(scope: Scope, prefix: str = "") -> Q:
    """Pledges whose note the user may read: those of a need whose details they
    read, and their own unit's pledges."""
    if scope.is_superuser:
        return Q()
    return need_read_private(scope, f"{prefix}need__") | Q(**{f"{prefix}donor_org_id__in": _private_units(scope)})


def need_change(scope: Scope, prefix: str = "") -> Q:
    if scope.is_superuser:
        return Q()
    return scope.acting_org_q(f"{prefix}pair__mentee__")


def pair_post(scope: Scope, prefix: str = "") -> Q:
    """Pairs whose helped side the user acts for."""
    if scope.is_superuser:
        return Q()
    return scope.acting_org_q(f"{prefix}mentee__")


def need_pledge(scope: Scope, prefix: str = "") -> Q:
    if scope.is_superuser:
        return Q()
    return scope.acting_org_q(f"{prefix}pair__mentor__") | _open_in_province(scope, prefix)


def need_open(scope: Scope, prefix: str = "") -> Q:
    if scope.is_superuser:
        return Q()
    if not scope.province_ids:
        return NOTHING
    return Q(**{f"{prefix}pair__mentee__province_id__in": scope.province_ids})


def pledge_withdraw(scope: Scope, prefix: str = "") -> Q:
    if scope.is_superuser:
        return Q()
    return scope.acting_org_q(f"{prefix}donor_org__") | need_change(scope, f"{prefix}need__")
