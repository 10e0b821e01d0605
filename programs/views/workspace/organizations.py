"""Units in the workspace: the list of the units an officer manages, the page that
corrects one of them, and the search behind the unit pickers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs.forms.organizations import OrganizationForm
from programs.forms.pairs import organization_label, picker_options
from programs.views.workspace.access import get_for_user_rw, staff_required
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


@staff_required
def unit_edit(request, slug):
    """Corrects one unit: officers for their office and its schools, department staff
    for their province. 404 outside the scope; 403 for those who see the unit but do
    not manage it (its principal and teachers, a union officer)."""
    unit = get_for_user_rw(request, Organization.objects.select_related("area", "parent", "province"), slug=slug)
    # Back to the page the user came from (the unit list, a pair's page), when it is
    # a page of this site.
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("workspace:unit-list")
    form = OrganizationForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, _("The unit “%(unit)s” is saved.") % {"unit": unit.name})
        return redirect(back)
    return render(request, "workspace/units/form.html", {"form": form, "unit": unit, "back": back})
