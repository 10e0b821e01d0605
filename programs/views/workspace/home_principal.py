"""Workspace home section for principals (and teachers, read-only)."""

from programs.models import Pair
from schools.models import Organization


def principal_section(request, scope):
    schools = Organization.objects.filter(pk__in=scope.school_ids)
    pairs = (
        Pair.objects.involving(list(scope.school_ids))
        .select_related("program", "mentor", "mentee")
        .order_by("program", "mentor__name")
    )
    return ("workspace/_home_principal.html", {"schools": schools, "pairs": pairs})
