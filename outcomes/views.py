"""/workspace/outcomes/: school indicators. Department staff define their Department's
indicators; schools, their managing bodies and the Department enter values by form or
from the Department's Excel sheet. Every school is loaded within the user's scope."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from outcomes import importing, services
from outcomes.forms import DUPLICATE_CODE, IndicatorForm, SchoolValuesForm, ValuesUploadForm
from outcomes.models import Indicator, IndicatorValue
from programs.services.imports import SheetError, read_sheet
from programs.views.workspace.access import staff_required
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.paging import CappedPaginator
from twinning.lib.schoolyear import current_school_year, display_school_year, parse_school_year

PAGE_SIZE = 30
FIRST_YEAR = 2018


def _years():
    last = int(current_school_year()[:4])
    return [f"{y}-{y + 1}" for y in range(last, FIRST_YEAR - 1, -1)]


def _departments(user):
    """The Departments whose indicators the user defines (department staff)."""
    return Organization.objects.filter(pk__in=scope_for(user).department_ids).order_by(vi_order("name"))


@require_safe
@staff_required
def index(request):
    schools = services.enterable_schools(request.user).filter(valid_until__isnull=True)
    text = (request.GET.get("q") or "").strip()[:100]
    if text:
        schools = schools.search(text)
    page = CappedPaginator(schools.order_by(vi_order("name"), "pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": text,
        "can_define": _departments(request.user).exists(),
        "can_import": bool(importing.importable_indicators(request.user)),
    }
    return render(request, "outcomes/index.html", context)


def _school(request, slug):
    school = get_object_or_404(
        Organization.objects.visible_to(request.user).filter(kind=Organization.Kind.SCHOOL), slug=slug
    )
    if not services.may_enter(request.user, school):
        raise PermissionDenied("not a school whose values the user enters")
    return school


@staff_required
def school_values(request, slug):
    school = _school(request, slug)
    years = _years()
    try:
        year = parse_school_year(request.GET.get("year") or years[1])
    except ValidationError:
        raise Http404("bad school year") from None
    if year not in years:
        raise Http404("school year out of range")
    indicators = services.indicators_for(school)
    editable = {i.pk for i in indicators if services.may_enter(request.user, school, i)}
    current = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(school=school, school_year=year, indicator__in=indicators)
    }
    initial = {f"i{pk}": f"{v.value.normalize():f}".replace(".", ",") for pk, v in current.items()}
    form = SchoolValuesForm(request.POST or None, initial=initial, indicators=indicators, editable=editable)
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.save_values(user=request.user, school=school, school_year=year, values=form.values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Values of %(year)s saved: %(created)s new, %(changed)s changed, %(cleared)s cleared.")
                % {"year": display_school_year(year), **counts},
            )
            return redirect(reverse("outcomes:school-values", args=[school.slug]) + f"?year={year}")
    table = _history(school, indicators)
    context = {
        "school": school,
        "year": year,
        "years": years,
        "form": form,
        "table": table,
        "illustrative": any(v.is_illustrative for v in current.values()),
    }
    return render(request, "outcomes/school_values.html", context)


def _history(school, indicators):
    """The school's values of every year, a row per indicator (one query)."""
    values = {}
    years = set()
    for v in IndicatorValue.objects.filter(school=school, indicator__in=indicators):
        values[(v.indicator_id, v.school_year)] = v
        years.add(v.school_year)
    years = sorted(years)
    from outcomes.reads import number

    rows = [
        {
            "indicator": indicator,
            "cells": [
                number(values[(indicator.pk, y)].value, indicator) if (indicator.pk, y) in values else "–"
                for y in years
            ],
        }
        for indicator in indicators
    ]
    return {"years": [display_school_year(y) for y in years], "rows": rows}


@staff_required
def values_import(request):
    if not importing.importable_indicators(request.user):
        raise PermissionDenied("no indicator to import")
    form = ValuesUploadForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        try:
            sheet = read_sheet(form.cleaned_data["file"].read())
        except SheetError as error:
            form.add_error("file", str(error))
        else:
            outcome = importing.import_values(user=request.user, sheet=sheet)
            if not outcome.errors:
                messages.success(
                    request,
                    _("%(rows)s rows read: %(created)s values added, %(changed)s changed.")
                    % {"rows": outcome.rows, "created": outcome.created, "changed": outcome.changed},
                )
                return redirect("outcomes:import")
    context = {"form": form, "outcome": outcome, "number_rule": services.number_rule()}
    return render(request, "outcomes/import.html", context)


@require_safe
@staff_required
def values_template(request):
    if not importing.importable_indicators(request.user):
        raise PermissionDenied("no indicator to import")
    response = HttpResponse(
        importing.template_workbook(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="chi-so-truong-hoc.xlsx"'
    return response


@require_safe
@staff_required
def indicator_list(request):
    departments = list(_departments(request.user))
    if not departments:
        raise PermissionDenied("department staff only")
    indicators = Indicator.objects.filter(owner__in=departments).select_related("owner").order_by("owner", "order")
    return render(request, "outcomes/indicators.html", {"indicators": indicators, "departments": departments})


@staff_required
def indicator_edit(request, pk=None):
    departments = list(_departments(request.user))
    if not departments:
        raise PermissionDenied("department staff only")
    indicator = None
    if pk is not None:
        indicator = get_object_or_404(Indicator.objects.filter(owner__in=departments), pk=pk)
    owner = indicator.owner if indicator else departments[0]
    form = IndicatorForm(request.POST or None, instance=indicator, owner=owner)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved._history_user = request.user
        try:
            with transaction.atomic():
                saved.save()
        except IntegrityError:
            # The same code saved by someone else since the form was checked.
            form.add_error("code", DUPLICATE_CODE)
        else:
            if indicator is not None:
                services.refresh_gaps_of_indicator(saved)
            messages.success(request, _("The indicator “%(name)s” is saved.") % {"name": saved.name})
            return redirect("outcomes:indicators")
    return render(request, "outcomes/indicator_form.html", {"form": form, "indicator": indicator, "owner": owner})


def _goal_years(pair):
    years = list(pair.program.school_years)
    current = int(current_school_year()[:4])
    for y in range(current, current + 3):
        if f"{y}-{y + 1}" not in years:
            years.append(f"{y}-{y + 1}")
    return sorted(set(years))


def _actionable_pair(request, code):
    from programs.models import Pair
    from programs.views.workspace.access import get_for_user_rw

    return get_for_user_rw(
        request,
        Pair.objects.select_related("program", "mentor", "mentee"),
        editable=Pair.objects.actionable_by,
        code=code,
    )


@staff_required
def goal_edit(request, code, pk=None):
    from outcomes.forms import GoalForm
    from outcomes.goals import goal_save
    from outcomes.models import Goal

    pair = _actionable_pair(request, code)
    goal = get_object_or_404(Goal, pk=pk, pair=pair) if pk is not None else Goal(pair=pair)
    form = GoalForm(request.POST or None, instance=goal, pair=pair, years=_goal_years(pair))
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        try:
            goal_save(
                goal=saved,
                user=request.user,
                activities=list(form.cleaned_data["activities"]),
                donations=list(form.cleaned_data["donations"]),
            )
        except ValidationError as error:
            for field, errors in getattr(error, "message_dict", {None: error.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The goal is saved."))
            return redirect(reverse("workspace:pair-detail", args=[pair.code]) + "#goals")
    return render(request, "outcomes/goal_form.html", {"form": form, "pair": pair, "goal": goal if pk else None})


@require_POST
@staff_required
def goal_delete(request, code, pk):
    from outcomes.goals import goal_delete as delete
    from outcomes.models import Goal

    pair = _actionable_pair(request, code)
    goal = get_object_or_404(Goal, pk=pk, pair=pair)
    delete(goal=goal, user=request.user)
    messages.success(request, _("The goal was removed."))
    return redirect(reverse("workspace:pair-detail", args=[pair.code]) + "#goals")


@require_safe
@staff_required
def health_rules(request):
    from outcomes.health import RULES

    return render(request, "outcomes/health_rules.html", {"rules": RULES})
