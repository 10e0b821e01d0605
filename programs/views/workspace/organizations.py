"""Units in the workspace: the list of the units an officer manages, and the search
behind the unit pickers."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs.forms.pairs import organization_label, picker_options
from programs.views.workspace.access import staff_required
from schools.models import Organization
from schools.scope import scope_for

PAGE_SIZE = 50


@require_safe
@staff_required
def unit_search(request):
    """The <option>s of a unit picker for ``kind`` and the search text ``q`` (the
    type-ahead of static/js/org-picker.js). Names of schools and offices are no
    secret, but the list is for staff only."""
    units, more = picker_options(
        request.user, request.GET.get("kind", ""), request.GET.get("q", ""), request.GET.get("selected")
    )
    selected = request.GET.get("selected") or ""
    if not selected and len(units) == 1 and request.GET.get("q", "").strip():
        selected = str(units[0].pk)
    options = [(unit.pk, organization_label(unit)) for unit in units]
    response = render(
        request,
        "workspace/units/_options.html",
        {"options": options, "selected": selected, "more": more, "searched": bool(request.GET.get("q", "").strip())},
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@staff_required
def unit_list(request):
    """The units the user manages (an officer: their office and its schools), with a
    search. A fixed number of queries."""
    scope = scope_for(request.user)
    if not scope.can_manage_pairs:
        raise PermissionDenied("officers and department staff only")
    units = Organization.objects.editable_by(request.user).select_related("area", "parent").order_by("kind", "name")
    text = request.GET.get("q", "").strip()
    if text:
        units = units.search(text)
    level = request.GET.get("level", "")
    if level in Organization.Level.values:
        units = units.filter(level=level)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": text,
        "level": level,
        "levels": Organization.Level.choices,
    }
    return render(request, "workspace/units/list.html", context)
