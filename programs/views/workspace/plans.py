"""Annual plans in the workspace: list, start one, edit its items, submit, and (for
officers) accept or return. A plan is addressed by its pair's code and school year
(unique together), so no sequential id appears in a URL."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from programs.forms.activities import ReturnForm
from programs.forms.plans import PlanItemFormSet, PlanNoteForm, PlanStartForm
from programs.models import Activity, Plan
from programs.querysets import COUNTED_ACTIVITY_STATUSES, DONE_ACTIVITY_STATUS
from programs.services import deadlines
from programs.services import plans as services
from programs.views.workspace import many
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from programs.views.workspace.recording import (
    may_record,
    person_name,
    pick_pair,
    run_step,
    school_year_choices,
    school_year_param,
)
from twinning.lib.collation import vi_order
from twinning.lib.schoolyear import current_school_year
from twinning.once import submitted_once

PAGE_SIZE = 25


def _plans():
    return Plan.objects.select_related("pair__program", "pair__mentor", "pair__mentee", "reviewed_by", "submitted_by")


@staff_required
@require_safe
def plan_list(request):
    """Plans the user sees, of every school year unless one is chosen, with how many
    items are done; submitted plans (waiting for the office) first, then the newest
    school year. Four queries whatever the number of plans."""
    year = school_year_param(request)
    plans = Plan.objects.visible_to(request.user)
    if year:
        plans = plans.filter(school_year=year)
    state = request.GET.get("state", "")
    if state in Plan.Status.values:
        plans = plans.filter(status=state)
    else:
        state = ""
    waiting_first = Case(When(status=Plan.Status.SUBMITTED, then=Value(0)), default=Value(1))
    plans = (
        plans.select_related("pair__mentor", "pair__mentee", "pair__program")
        .annotate(
            n_items=Count("items", distinct=True),
            n_done=Count("items", filter=Q(items__activities__status=DONE_ACTIVITY_STATUS), distinct=True),
        )
        .order_by(waiting_first, "-school_year", vi_order("pair__mentor__name"), vi_order("pair__mentee__name"))
    )
    first = int(current_school_year()[:4])
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    deadlines.mark_page(page.object_list, "plan")
    context = {
        "page": page,
        "year": year,
        "years": school_year_choices(first - 4, first + 1),
        "state": state,
        "states": Plan.Status.choices,
        "can_register": may_record(request.user),
        "reviewable": set(
            Plan.objects.approvable_by(request.user)
            .filter(status=Plan.Status.SUBMITTED, pk__in=[plan.pk for plan in page])
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "workspace/plan_list.html", context)


@require_POST
@staff_required
def plan_accept_many(request):
    """Approves the submitted plans ticked on the list. A plan the user may not approve
    (any more) is skipped and named with the reason; the others are accepted one by
    one, as from their pages."""
    ids = [int(value) for value in many.chosen(request, "plans") if value.isdigit()]
    back = many.back_to(request, reverse("workspace:plan-list") + "?state=submitted")
    if not ids:
        messages.info(request, _("Tick the plans to approve first."))
        return redirect(back)
    plans = Plan.objects.visible_to(request.user).select_related("pair__mentor", "pair__mentee")
    found = {plan.pk: plan for plan in plans.filter(pk__in=ids)}
    approvable = set(Plan.objects.approvable_by(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    accepted, skipped = 0, []
    for pk in ids:
        plan = found.get(pk)
        if plan is None:
            skipped.append((str(pk), _("not found among the plans you see")))
            continue
        name = f"{plan.pair.mentor.display_name} → {plan.pair.mentee.display_name} ({plan.school_year})"
        if pk not in approvable:
            skipped.append((name, _("you may not approve this plan")))
            continue
        try:
            services.plan_accept(plan=plan, user=request.user)
            accepted += 1
        except ValidationError as error:
            skipped.append((name, " ".join(error.messages)))
    done = ngettext("%(n)s plan was approved.", "%(n)s plans were approved.", accepted)
    many.report(request, done=accepted, done_message=done, skipped=skipped)
    return redirect(back)


def _years_for(pair):
    """School years a plan can be made for: the program's phase, the current year and
    the next one (a movement often goes on after its first phase)."""
    current = current_school_year()
    first = int(current[:4])
    years = set(pair.program.school_years) | {current, f"{first + 1}-{first + 2}"}
    return sorted(years, reverse=True)


@staff_required
@submitted_once
def plan_new(request):
    pair, response = pick_pair(request, "workspace:plan-new", _("Register a plan"))
    if response:
        return response
    existing = set(pair.plans.values_list("school_year", flat=True))
    years = [year for year in _years_for(pair) if year not in existing]
    form = PlanStartForm(request.POST or None, years=years, initial={"school_year": current_school_year()})
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(pair=pair, school_year=form.cleaned_data["school_year"], user=request.user)
        messages.success(request, _("The plan was started. Add the planned activities."))
        return redirect("workspace:plan-edit", code=pair.code, year=plan.school_year)
    plans = pair.plans.order_by("-school_year")
    return render(request, "workspace/plan_new.html", {"form": form, "pair": pair, "plans": plans})


def _items_with_activities(plan):
    return plan.items.with_done().prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.filter(status__in=COUNTED_ACTIVITY_STATUSES).order_by("happened_on"),
        )
    )


def _deadline(plan):
    """The deadline of the plan's year, and whether it came late."""
    calendar = deadlines.calendar_of(plan.pair.program, plan.school_year)
    return {"calendar": calendar, "deadline": deadlines.lateness(plan, calendar, "plan")}


def _render_detail(request, plan, return_form=None, status=200):
    user = request.user
    items = list(_items_with_activities(plan))
    context = {
        "plan": plan,
        "pair": plan.pair,
        "items": items,
        "done_count": sum(1 for item in items if item.is_done),
        "can_edit": plan.status in services.EDITABLE_PLAN_STATUSES
        and Plan.objects.editable_by(user).filter(pk=plan.pk).exists(),
        "can_review": Plan.objects.approvable_by(user).filter(pk=plan.pk).exists(),
        "return_form": return_form or ReturnForm(),
        "return_open": return_form is not None,
        "reviewed_by": person_name(plan.reviewed_by),
        **_deadline(plan),
    }
    return render(request, "workspace/plan_detail.html", context, status=status)


@staff_required
@require_safe
def plan_detail(request, code, year):
    plan = get_for_user(request, _plans(), pair__code=code, school_year=year)
    return _render_detail(request, plan)


@staff_required
def plan_edit(request, code, year):
    plan = get_for_user_rw(request, _plans(), pair__code=code, school_year=year)
    if plan.status not in services.EDITABLE_PLAN_STATUSES:
        messages.info(
            request, _("This plan has been submitted; it can be changed only after the managing body returns it.")
        )
        return redirect("workspace:plan-detail", code=code, year=year)
    items = plan.items.order_by("planned_month", "order", "pk")
    if request.method == "POST":
        data = request.POST.copy()
        if "add_row" in data:
            # Without JavaScript: one more empty row, keeping everything typed.
            prefix = PlanItemFormSet(instance=plan).prefix
            data[f"{prefix}-TOTAL_FORMS"] = str(int(data.get(f"{prefix}-TOTAL_FORMS", 0) or 0) + 1)
        formset = PlanItemFormSet(data, instance=plan, queryset=items)
        note_form = PlanNoteForm(data, instance=plan)
        if "add_row" not in data and formset.is_valid() and note_form.is_valid():
            try:
                services.plan_save_items(
                    plan=plan, formset=formset, user=request.user, note=note_form.cleaned_data["note"]
                )
                if data.get("action") == "submit":
                    services.plan_submit(plan=plan, user=request.user)
                    messages.success(request, _("The plan was submitted to the managing body."))
                else:
                    messages.success(request, _("The plan was saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("workspace:plan-edit", code=code, year=year)
            return redirect("workspace:plan-detail", code=code, year=year)
    else:
        formset = PlanItemFormSet(instance=plan, queryset=items)
        note_form = PlanNoteForm(instance=plan)
    context = {"plan": plan, "pair": plan.pair, "formset": formset, "note_form": note_form}
    return render(request, "workspace/plan_form.html", context)


@staff_required
@require_POST
def plan_submit(request, code, year):
    plan = get_for_user_rw(request, _plans(), pair__code=code, school_year=year)
    run_step(request, services.plan_submit, _("The plan was submitted to the managing body."), plan=plan)
    return redirect("workspace:plan-detail", code=code, year=year)


@staff_required
@require_POST
def plan_accept(request, code, year):
    plan = get_for_user_rw(request, _plans(), editable=Plan.objects.approvable_by, pair__code=code, school_year=year)
    run_step(request, services.plan_accept, _("The plan was accepted."), plan=plan)
    return redirect("workspace:plan-detail", code=code, year=year)


@staff_required
@require_POST
def plan_return(request, code, year):
    plan = get_for_user_rw(request, _plans(), editable=Plan.objects.approvable_by, pair__code=code, school_year=year)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, plan, return_form=form, status=400)
    comment = form.cleaned_data["comment"]
    run_step(request, services.plan_return, _("The plan was returned with your comment."), plan=plan, comment=comment)
    return redirect("workspace:plan-detail", code=code, year=year)
