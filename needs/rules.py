"""Who may do what on the needs board, as ``Q`` builders over ``schools.scope.Scope``
(the pattern of ``programs.rules``). Deny by default: a user with no matching role
gets ``NOTHING``.

- view:     whoever sees the pair (``programs.rules.pair_view``); and, for a need the
            Department opened to other donors, the staff of any unit in the helped
            school's province;
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
