"""Exchange activities in the workspace: list, log (with photos), change, send for
confirmation, withdraw, confirm or return, delete a draft.

Objects are loaded through the scoped query sets only: ``visible_to`` (404 outside),
``editable_by`` (the logging side, until confirmed) and ``confirmable_by`` (the other
side) — a 403 when the user sees the activity but may not do this to it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programs.forms.activities import ActivityForm, ReturnForm
from programs.models import Activity, ActivityPhoto
from programs.services import activities as services
from programs.services import photos as photo_services
from programs.views.workspace.access import get_for_user, get_for_user_rw, pair_opens, staff_required
from programs.views.workspace.recording import (
    may_record,
    pair_param,
    person_name,
    pick_pair,
    recent_school_years,
    run_step,
    school_year_param,
)
from twinning.lib.paging import CappedPaginator
from twinning.once import submitted_once

PAGE_SIZE = 20
LIST_FILTERS = ("waiting", "draft", "reported", "returned", "confirmed")


def _photos_prefetch():
    return Prefetch("photos", queryset=ActivityPhoto.objects.order_by("order", "pk"))


# --- list ---------------------------------------------------------------------------


@staff_required
@require_safe
def activity_list(request):
    """The activities the user sees, newest first, filtered by state, pair and school
    year. Five queries whatever the number of activities (six for a user who sees few
    pairs: they are read first, see ``ActivityQuerySet.visible_to``)."""
    user = request.user
    activities = Activity.objects.visible_to(user, narrow=True)
    state = request.GET.get("state", "")
    if state == "waiting":
        activities = Activity.objects.confirmable_by(user)
    elif state in LIST_FILTERS:
        activities = activities.filter(status=state)
    pair = pair_param(request)
    if pair:
        activities = activities.filter(pair=pair)
    year = school_year_param(request)
    if year:
        activities = activities.in_school_year(year)
    activities = activities.select_related("pair__mentor", "pair__mentee", "host", "reported_by_org").prefetch_related(
        _photos_prefetch()
    )
    page = CappedPaginator(activities.order_by("-happened_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "state": state,
        "states": [
            ("", _("All")),
            ("waiting", _("Waiting for my confirmation")),
            ("draft", _("Drafts")),
            ("reported", _("Waiting for confirmation")),
            ("returned", _("Returned")),
            ("confirmed", _("Confirmed")),
        ],
        "pair": pair,
        "year": year,
        "year_choices": recent_school_years(),
        "can_log": may_record(user),
    }
    return render(request, "workspace/activity_list.html", context)


# --- log and change -----------------------------------------------------------------


def _read_form(request, form, activity=None):
    """Validates the form, stashes the photos it sent and checks the activity's photo
    count; photo errors go on the form's photo field. Returns the pending photos to
    keep (shown again if the form has an error)."""
    form.is_valid()
    kept, errors = photo_services.photos_stash_uploads(
        uploads=request.FILES.getlist("photos"), tokens=request.POST.getlist("pending_photo"), user=request.user
    )
    removing = len(set(request.POST.getlist("remove_photo"))) if activity else 0
    try:
        photo_services.photos_check_room(activity=activity, adding=len(kept), removing=removing)
    except ValidationError as error:
        errors.append(error)
    for error in errors:
        form.add_error("photos", error)
    return kept


def _save(form, save):
    """Calls ``save()`` when the form (and its photos) are valid; a refusal from the
    service goes on the form. Returns what ``save`` returned, or None."""
    if form.errors:
        return None
    try:
        return save()
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _form_context(form, pair, pending, activity=None):
    return {
        "form": form,
        "pair": pair,
        "pending": pending,
        "activity": activity,
        "photos": list(activity.photos.all()) if activity else [],
        "removing": [],
    }


@staff_required
@submitted_once
def activity_new(request):
    pair, response = pick_pair(request, "workspace:activity-new", _("Log an activity"))
    if response:
        return response
    sides = services.activity_sides_for(user=request.user, pair=pair)
    pending = []
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, pair=pair, sides=sides)
        pending = _read_form(request, form)
        report = request.POST.get("action") != "draft"
        activity = _save(
            form,
            lambda: services.activity_log(
                activity=form.save(commit=False),
                user=request.user,
                reported_by_org=form.cleaned_data.get("side") or sides[0],
                pending_photos=pending,
                report=report,
            ),
        )
        if activity:
            if report:
                messages.success(
                    request,
                    _("The activity was sent to %(school)s for confirmation.")
                    % {"school": pair.other_side(activity.reported_by_org).display_name},
                )
            else:
                messages.success(request, _("The draft was saved. Only your side can see it."))
            return redirect("workspace:activity-detail", code=activity.code)
    else:
        initial = {"happened_on": timezone.localdate()}
        if len(sides) == 1:
            initial["host"] = sides[0].pk
        form = ActivityForm(pair=pair, sides=sides, initial=initial)
    context = _form_context(form, pair, pending)
    return render(request, "workspace/activity_form.html", context)


@staff_required
def activity_edit(request, code):
    activity = get_for_user_rw(
        request, Activity.objects.select_related("pair__program", "pair__mentor", "pair__mentee"), code=code
    )
    pair = activity.pair
    pending = []
    removing = request.POST.getlist("remove_photo") if request.method == "POST" else []
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, instance=activity, pair=pair)
        pending = _read_form(request, form, activity)
        saved = _save(
            form,
            lambda: services.activity_update(
                activity=form.save(commit=False),
                user=request.user,
                pending_photos=pending,
                remove_photo_codes=removing,
                report=request.POST.get("action") == "report",
            ),
        )
        if saved:
            if saved.status == Activity.Status.REPORTED:
                messages.success(request, _("The changes were saved and the activity waits for confirmation."))
            else:
                messages.success(request, _("The changes were saved."))
            return redirect("workspace:activity-detail", code=activity.code)
    else:
        form = ActivityForm(instance=activity, pair=pair)
    context = _form_context(form, pair, pending, activity)
    context["removing"] = removing
    return render(request, "workspace/activity_form.html", context)


@staff_required
@require_safe
def activity_pending_photo(request, token):
    """The thumbnail of a photo sent with a form that is not saved yet (only to the
    user who sent it)."""
    pending = photo_services.pending_photo_load(token=token, user=request.user)
    if pending is None:
        raise Http404
    try:
        handle = default_storage.open(pending.thumbnail, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    patch_cache_control(response, private=True, max_age=3600)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- one activity --------------------------------------------------------------------


def _detail_queryset():
    return Activity.objects.select_related(
        "pair__program",
        "pair__mentor",
        "pair__mentee",
        "host",
        "reported_by_org",
        "plan_item__plan",
        "created_by",
        "confirmed_by",
    )


def _render_detail(request, activity, return_form=None, status=200):
    user = request.user
    can_edit = Activity.objects.editable_by(user).filter(pk=activity.pk).exists()
    # What the public site shows, by the public query set's own rule (confirmed,
    # ticked public, of a public pair in a public program).
    shown_publicly = activity.is_public and Activity.objects.public().filter(pk=activity.pk).exists()
    can_confirm = Activity.objects.confirmable_by(user).filter(pk=activity.pk).exists()
    waiting_for = None
    if activity.status == Activity.Status.REPORTED and activity.reported_by_org_id:
        if activity.reported_by_org_id in (activity.pair.mentor_id, activity.pair.mentee_id):
            waiting_for = activity.pair.other_side(activity.reported_by_org)
    context = {
        "activity": activity,
        "pair": activity.pair,
        "photos": list(activity.photos.order_by("order", "pk")),
        "can_edit": can_edit,
        "can_confirm": can_confirm,
        "waiting_for": waiting_for,
        "return_form": return_form or ReturnForm(),
        "return_open": return_form is not None,
        "logged_by": person_name(activity.created_by),
        "confirmed_by": person_name(activity.confirmed_by),
        "history": services.activity_history(activity),
        "shown_publicly": shown_publicly,
        # The principal of a school that hosted another pair's activity sees it but
        # not that pair (nor its plan): no link to pages that would be a 404.
        "pair_opens": pair_opens(user, activity.pair_id),
    }
    return render(request, "workspace/activity_detail.html", context, status=status)


@staff_required
@require_safe
def activity_detail(request, code):
    return _render_detail(request, get_for_user(request, _detail_queryset(), code=code))


def _load_for_answer(request, code):
    """The activity to confirm or return: 404 outside the scope; a message when it no
    longer waits for confirmation (answered meanwhile); 403 for its own side."""
    activity = get_for_user(request, _detail_queryset(), code=code)
    if activity.status != Activity.Status.REPORTED:
        messages.info(request, _("This activity no longer waits for confirmation."))
        return activity, redirect("workspace:activity-detail", code=code)
    if not Activity.objects.confirmable_by(request.user).filter(pk=activity.pk).exists():
        raise PermissionDenied("only the other side confirms")
    return activity, None


@staff_required
@require_POST
def activity_confirm(request, code):
    activity, response = _load_for_answer(request, code)
    if response:
        return response
    services.activity_confirm(activity=activity, user=request.user)
    messages.success(request, _("Activity confirmed. Thank you."))
    return redirect("workspace:activity-detail", code=code)


@staff_required
@require_POST
def activity_return(request, code):
    activity, response = _load_for_answer(request, code)
    if response:
        return response
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, activity, return_form=form, status=400)
    services.activity_return(activity=activity, user=request.user, comment=form.cleaned_data["comment"])
    messages.success(request, _("The activity was returned with your comment."))
    return redirect("workspace:activity-detail", code=code)


@staff_required
@require_POST
def activity_report(request, code):
    activity = get_for_user_rw(request, _detail_queryset(), code=code)
    if run_step(request, services.activity_report, _("The activity was sent for confirmation."), activity=activity):
        return redirect("workspace:activity-detail", code=code)
    return redirect("workspace:activity-edit", code=code)


@staff_required
@require_POST
def activity_withdraw(request, code):
    """The logging side takes back what it sent: a draft again, to change or delete."""
    activity = get_for_user_rw(request, _detail_queryset(), code=code)
    run_step(
        request,
        services.activity_withdraw,
        _("The activity was withdrawn and is a draft again. Only your side can see it."),
        activity=activity,
    )
    return redirect("workspace:activity-detail", code=code)


@staff_required
@require_POST
def activity_delete(request, code):
    activity = get_for_user_rw(request, Activity.objects.select_related("pair"), code=code)
    pair_code = activity.pair.code
    if run_step(request, services.activity_delete, _("The draft was deleted."), activity=activity):
        return redirect("workspace:pair-timeline", code=pair_code)
    return redirect("workspace:activity-detail", code=code)
