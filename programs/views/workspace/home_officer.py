"""Workspace home sections for department staff, office officers and union officers."""

from programs.models import Pair, Program
from schools.models import Organization
from schools.scope import Scope


def _pairs_by_status(pairs):
    groups = {status: [] for status, _label in Pair.Status.choices}
    for pair in pairs:
        groups[pair.status].append(pair)
    return [(Pair.Status(status).label, status, items) for status, items in groups.items() if items]


def department_section(request, scope):
    pairs = Pair.objects.visible_to(request.user).select_related("program", "mentor", "mentee")
    return (
        "workspace/_home_department.html",
        {"waiting": pairs.filter(status=Pair.Status.PROPOSED).order_by("created_at")},
    )


def officer_section(request, scope):
    offices = Organization.objects.filter(pk__in=scope.office_ids)
    # Pairs with a side among the officer's offices and their schools (not the whole
    # province, even if the same user is also department staff).
    pairs = (
        Pair.objects.filter(Scope(office_ids=scope.office_ids).pair_q())
        .select_related("program", "mentor", "mentee")
        .order_by("program", "mentor__name")
    )
    return ("workspace/_home_officer.html", {"offices": offices, "pairs_by_status": _pairs_by_status(pairs)})


def union_section(request, scope):
    return ("workspace/_home_union.html", {"programs": Program.objects.filter(organizers__in=scope.union_ids)})
