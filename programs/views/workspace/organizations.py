"""Units in the workspace: the list of the units an officer manages, a unit's page
with its timeline, the page that corrects its details, the pages where department
staff record its structure over time (a new managing body, place or cluster from a
date; a cessation or a merger; a new unit), and the searches behind the pickers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from programs.forms.organizations import OrganizationForm, UnitCeaseForm, UnitChangeForm, UnitCreateForm
from programs.forms.pairs import organization_label, picker_options
from programs.forms.pickers import area_label, area_options
from programs.models import Pair
from programs.services.units import unit_cease as unit_cease_service
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from schools.models import Organization
from schools.scope import scope_for
from schools.services.units import organization_move
from twinning.lib.collation import vi_order
from twinning.lib.dates import display_date
from twinning.lib.paging import narrow_page
from twinning.once import submitted_once

PAGE_SIZE = 50
PAIRS_SHOWN = 30


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
    units = (
        Organization.objects.editable_by(request.user)
        .select_related("area__parent", "parent")
        .order_by(F("valid_until").asc(nulls_first=True), "kind", vi_order("name"), "pk")
    )
    text = request.GET.get("q", "").strip()
    if text:
        units = units.search(text)
    level = request.GET.get("level", "")
    if level in Organization.Level.values:
        units = units.filter(level=level)
    page = narrow_page(units, PAGE_SIZE, request.GET.get("page"), paginator_class=Paginator)
    context = {
        "page": page,
        "q": text,
        "level": level,
        "levels": Organization.Level.choices,
        "can_add": scope.can_restructure,
        "is_department": scope.is_department,
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
        back = reverse("workspace:unit-detail", kwargs={"slug": unit.slug})
    form = OrganizationForm(request.POST or None, instance=unit, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, _("The unit “%(unit)s” is saved.") % {"unit": unit.name})
        return redirect(back)
    return render(request, "workspace/units/form.html", {"form": form, "unit": unit, "back": back})


# --- the structure of units over time ---------------------------------------------------


def _unit_for_structure(request, slug):
    """The unit, if the user sees it (else 404) and records its structure (else 403):
    department staff of its province, the site administrator."""
    return get_for_user_rw(
        request,
        Organization.objects.select_related("area__parent", "parent", "cluster", "province", "successor"),
        editable=Organization.objects.restructurable_by,
        slug=slug,
    )


@require_safe
@staff_required
def unit_detail(request, slug):
    """A unit as it stands today and its timeline: each placement (managing body,
    place, cluster) with its dates and legal reference, its establishment and
    cessation, the units merged into it, and its pairs of every period. Anyone who
    sees the unit reads it; department staff record changes from here."""
    unit = get_for_user(
        request,
        Organization.objects.select_related("area__parent", "parent", "cluster", "province", "successor"),
        slug=slug,
    )
    scope = scope_for(request.user)
    placements = list(
        unit.placements.select_related("parent", "area__parent", "cluster", "recorded_by").order_by(
            F("valid_from").asc(nulls_first=True)
        )
    )
    pairs = (
        Pair.objects.visible_to(request.user)
        .filter(Q(mentor=unit) | Q(mentee=unit))
        .select_related("program", "mentor", "mentee")
        .order_by("-program__start_year", F("started_on").desc(nulls_last=True), "pk")
    )
    pair_list = list(pairs[:PAIRS_SHOWN])
    predecessors = list(unit.predecessors.order_by(vi_order("name")))
    related = [u.pk for u in (unit.parent, unit.successor, *predecessors) if u is not None]
    context = {
        "unit": unit,
        "placements": placements,
        "predecessors": predecessors,
        # Links only to the units the user may open.
        "opens": set(Organization.objects.visible_to(request.user).filter(pk__in=related).values_list("pk", flat=True)),
        "managed_count": unit.children.operating().count(),
        "pairs": pair_list,
        "pairs_more": len(pair_list) == PAIRS_SHOWN and pairs.count() > PAIRS_SHOWN,
        "can_edit": scope.manages(unit),
        "can_restructure": Organization.objects.restructurable_by(request.user).filter(pk=unit.pk).exists(),
    }
    return render(request, "workspace/units/detail.html", context)


@staff_required
def unit_change(request, slug):
    """Record that from a date the unit has a new managing body, place or cluster."""
    unit = _unit_for_structure(request, slug)
    if unit.has_ceased:
        messages.warning(request, _("This unit has ceased: its placement can no longer change."))
        return redirect("workspace:unit-detail", slug=unit.slug)
    sent = request.method == "POST" and not request.POST.get("find")
    form = UnitChangeForm(request.POST if request.method == "POST" else None, user=request.user, unit=unit)
    if sent and form.is_valid():
        try:
            placement = organization_move(
                user=request.user,
                organization=unit,
                on=form.cleaned_data["valid_from"],
                legal_reference=form.cleaned_data["legal_reference"],
                note=form.cleaned_data["note"],
                **form.changes(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The change of %(unit)s from %(date)s is recorded; pages about earlier days are unchanged.")
                % {"unit": unit.name, "date": display_date(placement.valid_from)},
            )
            return redirect("workspace:unit-detail", slug=unit.slug)
    elif request.method == "POST" and not sent:
        form.errors.clear()  # a search, not a submission
    return render(request, "workspace/units/change.html", {"form": form, "unit": unit})


@staff_required
def unit_cease(request, slug):
    """Record that the unit ceased (and into which unit it merged)."""
    unit = _unit_for_structure(request, slug)
    if unit.has_ceased:
        messages.info(request, _("This unit has already ceased."))
        return redirect("workspace:unit-detail", slug=unit.slug)
    sent = request.method == "POST" and not request.POST.get("find")
    form = UnitCeaseForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        unit=unit,
    )
    if sent and form.is_valid():
        data = form.cleaned_data
        try:
            unit, ended = unit_cease_service(
                user=request.user,
                organization=unit,
                last_day=data["valid_until"],
                legal_reference=data["end_reference"],
                successor=data["successor"],
                note=data["note"],
                end_pairs=data["end_pairs"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(unit)s is recorded as ceased after %(date)s; %(n)d running pair ended on that day.",
                    "%(unit)s is recorded as ceased after %(date)s; %(n)d running pairs ended on that day.",
                    ended,
                )
                % {"unit": unit.name, "date": display_date(unit.valid_until), "n": ended},
            )
            return redirect("workspace:unit-detail", slug=unit.slug)
    elif request.method == "POST" and not sent:
        form.errors.clear()  # a search, not a submission
    context = {"form": form, "unit": unit, "managed_count": unit.children.operating().count()}
    return render(request, "workspace/units/cease.html", context)


@staff_required
@submitted_once
def unit_new(request):
    """A new school, commune People's Committee or professional cluster of the
    department's province."""
    if not scope_for(request.user).can_restructure:
        raise PermissionDenied("department staff only")
    sent = request.method == "POST" and not request.POST.get("find")
    form = UnitCreateForm(request.POST if request.method == "POST" else None, user=request.user)
    if sent and form.is_valid():
        unit = form.save(commit=False)
        unit.save(
            placement_values={
                "legal_reference": form.cleaned_data["legal_reference"],
                "recorded_by": request.user,
            }
        )
        messages.success(request, _("The unit “%(unit)s” is added.") % {"unit": unit.name})
        return redirect("workspace:unit-detail", slug=unit.slug)
    elif request.method == "POST" and not sent:
        form.errors.clear()
    return render(request, "workspace/units/new.html", {"form": form})


@require_safe
@staff_required
def area_search(request):
    """The <option>s of an area picker for the search text ``q``: communes, wards,
    special zones and provinces that exist today."""
    areas, more = area_options(request.GET.get("q", ""), request.GET.get("selected"))
    selected = request.GET.get("selected") or ""
    if not selected and len(areas) == 1 and request.GET.get("q", "").strip():
        selected = str(areas[0].pk)
    response = render(
        request,
        "workspace/units/_options.html",
        {
            "options": [(area.pk, area_label(area)) for area in areas],
            "selected": selected,
            "more": more,
            "searched": bool(request.GET.get("q", "").strip()),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def add_errors(form, error: ValidationError):
    """Puts a service's ValidationError on the form: on its field when it names one
    the form has, else at the top."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
