"""Pages of the needs board: the workspace's list, detail and forms, and the public
board. Objects are loaded through the scoped query sets (``needs.querysets``): a need
outside the user's scope is a 404, one they see but may not act on a 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from needs import services
from needs.forms import CloseForm, NeedForm, PledgeForm, ReceiveForm
from needs.models import Need, Pledge
from needs.querysets import postable_pairs
from programs.models import Activity, Program
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from programs.views.workspace.recording import pair_param, person_name
from twinning.lib.cache import cached_for_visitors
from twinning.lib.collation import vi_order
from twinning.lib.history import history_entries
from twinning.once import submitted_once

PAGE_SIZE = 20
PUBLIC_PAGE_SIZE = 30
STATUS_FILTERS = {**dict(Need.Status.choices), "asked": _("Still asked for")}


def _needs():
    return Need.objects.select_related("pair__program", "pair__mentor", "pair__mentee")


def _history(need: Need, private: bool) -> list:
    """The need's history; the changes of its details only as "(not shown)" for a
    reader who may not read them."""
    entries = history_entries(need)
    if private:
        return entries
    label = str(Need._meta.get_field("description").verbose_name)
    hidden = _("(not shown)")
    for entry in entries:
        entry["changes"] = [
            (name, hidden, hidden) if name == label else (name, old, new) for name, old, new in entry["changes"]
        ]
    return entries


def _status_filter(request, needs, choices):
    status = request.GET.get("status", "")
    if status == "asked":
        return needs.filter(status__in=Need.ASKED_STATUSES), status
    if status in choices:
        return needs.filter(status=status), status
    return needs, ""


@staff_required
@require_safe
def need_list(request):
    """The needs of the pairs the user sees (and those open to their province), newest
    first, 20 a page: a count and a page of needs with their pairs, whatever the rows."""
    needs = _needs().visible_to(request.user)
    pair = pair_param(request)
    if pair:
        needs = needs.filter(pair=pair)
    needs, status = _status_filter(request, needs, Need.Status.values)
    page = Paginator(needs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "pair": pair,
        "status": status,
        "statuses": [("asked", _("Still asked for")), *Need.Status.choices],
        "can_post": postable_pairs(request.user).exists(),
    }
    return render(request, "needs/list.html", context)


@staff_required
@submitted_once
def need_new(request):
    pairs = postable_pairs(request.user).order_by(vi_order("mentor__name"), vi_order("mentee__name"))
    if request.method == "POST":
        form = NeedForm(request.POST, pairs=pairs)
        if form.is_valid():
            try:
                need = services.need_post(
                    need=form.save(commit=False), pair=form.cleaned_data["pair"], user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The need was posted."))
                return redirect("needs:need-detail", code=need.code)
    else:
        initial = {"is_public": True}
        code = request.GET.get("pair")
        if code:
            initial["pair"] = pairs.filter(code=code).first()
        elif len(pairs[:2]) == 1:
            initial["pair"] = pairs[0]
        form = NeedForm(pairs=pairs, initial=initial)
    return render(request, "needs/form.html", {"form": form, "need": None, "no_pair": not pairs.exists()})


@staff_required
def need_edit(request, code):
    need = get_for_user_rw(request, _needs(), code=code)
    if request.method == "POST":
        form = NeedForm(request.POST, instance=need, pairs=None)
        if form.is_valid():
            try:
                services.need_update(need=form.save(commit=False), user=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The changes were saved."))
                return redirect("needs:need-detail", code=code)
    else:
        form = NeedForm(instance=need, pairs=None)
    return render(request, "needs/form.html", {"form": form, "need": need})


@staff_required
@require_safe
def need_detail(request, code):
    need = get_for_user(request, _needs(), code=code)
    user = request.user
    pledges = list(need.pledges.select_related("donor_org", "donation", "activity", "pledged_by"))
    can_change = Need.objects.editable_by(user).filter(pk=need.pk).exists()
    open_statuses = (Need.Status.OPEN, Need.Status.PARTLY_PLEDGED)
    can_pledge = (
        need.status in open_statuses
        and Need.objects.pledgeable_by(user).filter(pk=need.pk).exists()
        and services.pledge_donor_choices(user=user, need=need).exists()
    )
    withdrawable = set(
        Pledge.objects.withdrawable_by(user).filter(need=need).values_list("pk", flat=True) if pledges else []
    )
    # The details and the notes are for the pair's two sides, their offices and the
    # Department: not for everyone who sees the need (a union officer, another unit
    # of the province when the need is open to other donors).
    private = Need.objects.readable_privately_by(user).filter(pk=need.pk).exists()
    notes = set(
        Pledge.objects.readable_privately_by(user).filter(need=need).values_list("pk", flat=True)
        if any(pledge.note for pledge in pledges)
        else []
    )
    for pledge in pledges:
        pledge.note_shown = pledge.note if pledge.pk in notes else ""
        pledge.can_withdraw = pledge.pk in withdrawable
        pledge.can_receive = can_change and pledge.status == Pledge.Status.PLEDGED
        pledge.pledged_by_name = person_name(pledge.pledged_by)
    context = {
        "need": need,
        "pair": need.pair,
        "pledges": pledges,
        "can_change": can_change,
        "can_pledge": can_pledge,
        "can_open": Need.objects.openable_by(user).filter(pk=need.pk).exists(),
        "close_form": CloseForm(),
        "can_read_private": private,
        "history": _history(need, private),
    }
    return render(request, "needs/detail.html", context)


@staff_required
@submitted_once
def pledge_new(request, code):
    need = get_for_user_rw(request, _needs(), editable=Need.objects.pledgeable_by, code=code)
    donors = services.pledge_donor_choices(user=request.user, need=need)
    if request.method == "POST":
        form = PledgeForm(request.POST, need=need, donors=donors)
        if form.is_valid():
            try:
                services.pledge_make(need=need, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The pledge was recorded. The helped school confirms what arrives."))
                return redirect("needs:need-detail", code=code)
    else:
        form = PledgeForm(need=need, donors=donors)
    return render(request, "needs/pledge_form.html", {"form": form, "need": need})


def _pledge(request, code, editable):
    pledge = get_for_user_rw(
        request,
        Pledge.objects.select_related("need__pair__program", "need__pair__mentor", "need__pair__mentee", "donor_org"),
        editable=editable,
        code=code,
    )
    return pledge


@staff_required
@submitted_once
def pledge_receive(request, code):
    pledge = _pledge(request, code, Pledge.objects.receivable_by)
    need = pledge.need
    activities = None
    if need.is_met_by_activity:
        activities = (
            Activity.objects.visible_to(request.user)
            .filter(pair=need.pair)
            .exclude(status=Activity.Status.DRAFT)
            .order_by("-happened_on", "-pk")
        )
    if request.method == "POST":
        form = ReceiveForm(request.POST, pledge=pledge, activities=activities)
        if form.is_valid():
            try:
                services.pledge_receive(pledge=pledge, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if need.is_met_by_activity:
                    messages.success(request, _("The receipt was confirmed and the activity linked."))
                else:
                    messages.success(request, _("The receipt was confirmed and recorded as support in kind."))
                return redirect("needs:need-detail", code=need.code)
    else:
        form = ReceiveForm(pledge=pledge, activities=activities)
    return render(request, "needs/receive_form.html", {"form": form, "pledge": pledge, "need": need})


def _step(request, step, success, **kwargs) -> None:
    try:
        step(user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@staff_required
@require_POST
def pledge_withdraw(request, code):
    pledge = _pledge(request, code, Pledge.objects.withdrawable_by)
    _step(request, services.pledge_withdraw, _("The pledge was withdrawn."), pledge=pledge)
    return redirect("needs:need-detail", code=pledge.need.code)


@staff_required
@require_POST
def need_close(request, code):
    need = get_for_user_rw(request, _needs(), code=code)
    form = CloseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _step(request, services.need_close, _("The need was closed."), need=need, reason=reason)
    return redirect("needs:need-detail", code=code)


@staff_required
@require_POST
def need_reopen(request, code):
    need = get_for_user_rw(request, _needs(), code=code)
    _step(request, services.need_reopen, _("The need was opened again."), need=need)
    return redirect("needs:need-detail", code=code)


@staff_required
@require_POST
def need_open_to_others(request, code):
    need = get_for_user_rw(request, _needs(), editable=Need.objects.openable_by, code=code)
    value = request.POST.get("open") == "1"
    message = (
        _("Other units of the province may now pledge.") if value else _("Only the partner school may pledge now.")
    )
    _step(request, services.need_set_open_to_others, message, need=need, value=value)
    return redirect("needs:need-detail", code=code)


# --- the public board -------------------------------------------------------------------


@require_safe
@cached_for_visitors
def public_board(request):
    """Needs of public pairs marked public: what is still asked for and what was met.
    Names units and quantities, never people, notes or details. Three queries: the
    program filter, the count, the page."""
    needs = Need.objects.public().select_related("pair__program", "pair__mentor", "pair__mentee")
    program = None
    slug = request.GET.get("program")
    if slug:
        program = get_object_or_404(Program.objects.public(), slug=slug)
        needs = needs.filter(pair__program=program)
    shown = request.GET.get("show", "")
    if shown == "met":
        needs = needs.filter(status=Need.Status.MET)
    elif shown == "asked":
        needs = needs.filter(status__in=Need.ASKED_STATUSES)
    else:
        shown = ""
    page = Paginator(needs.order_by("-created_at", "-pk"), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "needs/public_board.html", {"page": page, "program": program, "shown": shown})
