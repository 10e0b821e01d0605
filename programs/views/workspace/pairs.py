"""Twinning pairs in the workspace: list, register, the pair page, and the answers
(accept, decline, withdraw, end) and edits the user's role allows."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from programs.forms.pairs import (
    PairEditForm,
    PairEndForm,
    PairFilterForm,
    PairReasonForm,
    PairRegisterForm,
    search_requested,
)
from programs.models import Activity, Donation, Pair, Program, WorkingGroup
from programs.services import pairs as pair_services
from programs.structure import attach_places
from programs.views.workspace import many
from programs.views.workspace.access import get_for_user, get_for_user_rw, pair_opens, staff_required
from programs.views.workspace.timeline import attach_thumbnails, timeline_items
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.paging import narrow_page
from twinning.once import submitted_once

PAGE_SIZE = 25
RECENT_TIMELINE = 8


SELECTED = ("program", "mentor__area", "mentee__area", "parent__program", "parent__mentor", "parent__mentee")


def _pairs():
    return Pair.objects.select_related(*SELECTED)


def _require_pair_manager(request):
    if not scope_for(request.user).can_manage_pairs:
        raise PermissionDenied("officers and department staff only")


def _detail(pair):
    return redirect("workspace:pair-detail", code=pair.code)


@staff_required
def pair_list(request):
    """The pairs the user sees, filtered and paginated (a fixed number of queries)."""
    filters = PairFilterForm(request.GET or None, user=request.user)
    # The pairs in sight are read once as ids when the scope is a subquery (an
    # officer's, PairQuerySet.pinned): the database then knows how few they are and
    # joins their sides by key instead of hashing every unit.
    in_sight = Pair.objects.visible_to(request.user).pinned(scope=scope_for(request.user))
    pairs = filters.apply(in_sight.select_related(*SELECTED, "health")).order_by(*filters.ordering())
    page = narrow_page(pairs, PAGE_SIZE, request.GET.get("page"))
    waiting = filters.is_valid() and filters.cleaned_data["waiting"]
    context = {
        "filters": filters,
        "page": page,
        "can_register": scope_for(request.user).can_manage_pairs,
        # The pairs waiting for the user's answer can be accepted together.
        "accept_many": waiting and any(pair.status == Pair.Status.PROPOSED for pair in page),
    }
    return render(request, "workspace/pairs/list.html", context)


@staff_required
@submitted_once
def pair_new(request):
    """Register an office partnership or a school pair (officers, department staff)."""
    _require_pair_manager(request)
    user = request.user
    if request.method == "POST" and search_requested(request.POST):
        # Looking a unit up is not registering: show the matches, no errors yet.
        initial = request.POST.dict()
        if initial.get("find") in PairRegisterForm.SIDES:
            initial.pop(initial["find"], None)  # a new search replaces that side's choice
        form = PairRegisterForm(initial=initial, user=user)
    elif request.method == "POST":
        form = PairRegisterForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pair = pair_services.pair_register(
                    user=user,
                    program=data["program"],
                    mentor=data["mentor"],
                    mentee=data["mentee"],
                    parent=data["parent"],
                    started_on=data["started_on"],
                    note=data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if pair.status == Pair.Status.ACTIVE:
                    messages.success(request, _("The pair %(pair)s is registered and active.") % {"pair": pair})
                else:
                    messages.success(
                        request,
                        _("The pair %(pair)s is registered. It becomes active when the other side accepts it.")
                        % {"pair": pair},
                    )
                return _detail(pair)
    else:
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in Pair.PAIRABLE_KINDS else "school"}
        program = Program.objects.open_for_registration_by(user).first()
        if program is not None:
            initial["program"] = program.pk
        parent = request.GET.get("parent")
        if parent:
            partnership = Pair.objects.visible_to(user).office_partnerships().filter(code=parent).first()
            if partnership is not None:
                initial.update(program=partnership.program_id, parent=partnership.pk)
        form = PairRegisterForm(initial=initial, user=user)
    return render(request, "workspace/pairs/new.html", {"form": form})


@staff_required
def pair_detail(request, code):
    """A pair as the workspace shows it: both sides, status history, memoranda,
    working groups, school pairs, activities and donations, with the actions the
    user may take."""
    user = request.user
    pair = get_for_user(
        request,
        _pairs().select_related("program", "mentor", "mentee", "proposed_by", "proposed_by_org", "decided_by"),
        code=code,
    )
    attach_places([pair])
    offices = {pair.mentor_id, pair.mentee_id} if pair.is_office_partnership else set()
    levels = [""]
    if not pair.is_office_partnership:
        # The working groups of the bodies that managed the two schools in the pair's time.
        offices = {place.parent_id for place in (pair.mentor_place, pair.mentee_place) if place} - {None}
        levels += [pair.mentor.level, pair.mentee.level]
    context = {
        "pair": pair,
        "history": pair_services.status_history(pair),
        "memoranda": pair.memoranda.prefetch_related("signatories__organization").order_by(
            "-signed_on", vi_order("title")
        ),
        "working_groups": WorkingGroup.objects.visible_to(user)
        .filter(program_id=pair.program_id, office_id__in=offices, level__in=levels)
        .select_related("office")
        .prefetch_related("members"),
        "school_pairs": _pairs().visible_to(user).filter(parent=pair).order_by(vi_order("mentor__name"))
        if pair.is_office_partnership
        else [],
        "timeline": _recent_timeline(user, pair),
        "can_record": pair.status == Pair.Status.ACTIVE
        and Pair.objects.actionable_by(user).filter(pk=pair.pk).exists(),
        "can_answer": Pair.objects.answerable_by(user).filter(pk=pair.pk).exists(),
        "can_manage": Pair.objects.editable_by(user).filter(pk=pair.pk).exists(),
        "can_withdraw": pair_services.can_withdraw(user, pair),
        "responding": _responding_side(pair),
        # A school pair's principal does not see the office partnership it sits in:
        # name it without a link to a page that would be a 404 for them.
        "parent_opens": pair_opens(user, pair.parent_id),
        "mentor_editable": scope_for(user).manages(pair.mentor),
        "mentee_editable": scope_for(user).manages(pair.mentee),
        "sides_open": set(
            Organization.objects.visible_to(user)
            .filter(pk__in=[pair.mentor_id, pair.mentee_id])
            .values_list("pk", flat=True)
        ),
    }
    return render(request, "workspace/pairs/detail.html", context)


def _recent_timeline(user, pair):
    """The latest activities and donations of the pair (at most RECENT_TIMELINE of
    each, newest first, with thumbnails); the whole timeline has its own page."""
    activities = Activity.objects.visible_to(user).filter(pair=pair).select_related("host", "reported_by_org")
    donations = Donation.objects.visible_to(user).filter(pair=pair).select_related("donor_org", "recipient")
    items = timeline_items(
        activities.order_by("-happened_on", "-pk")[:RECENT_TIMELINE],
        donations.order_by("-given_on", "-pk")[:RECENT_TIMELINE],
    )[:RECENT_TIMELINE]
    attach_thumbnails(items)
    return items


def _responding_side(pair):
    """The side whose answer a proposed pair waits for (for the sentence on the page)."""
    if pair.status != Pair.Status.PROPOSED or not pair.proposed_by_org_id:
        return None
    return pair.responding_org()


@staff_required
def pair_edit(request, code):
    pair = get_for_user_rw(request, _pairs(), code=code)
    form = PairEditForm(request.POST or None, instance=pair, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pair_services.pair_update(
                user=request.user, pair=pair, parent=data["parent"], started_on=data["started_on"], note=data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pair is saved."))
            return _detail(pair)
    return render(request, "workspace/pairs/edit.html", {"pair": pair, "form": form})


def _get_answerable(request, code):
    """The pair if the user may answer it; a pair already answered sends the user back
    to its page with a message; 403 for anybody else who sees it."""
    pair = get_for_user(request, _pairs(), code=code)
    if Pair.objects.answerable_by(request.user).filter(pk=pair.pk).exists():
        return pair, None
    if pair.status != Pair.Status.PROPOSED and Pair.objects.editable_by(request.user).filter(pk=pair.pk).exists():
        messages.info(request, _("This pair has already been answered."))
        return pair, _detail(pair)
    raise PermissionDenied("not the answering side")


@require_POST
@staff_required
def pair_accept(request, code):
    pair, done = _get_answerable(request, code)
    if done:
        return done
    try:
        pair = pair_services.pair_accept(user=request.user, pair=pair)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You accepted the pair %(pair)s. It is now active.") % {"pair": pair})
    return _detail(pair)


@require_POST
@staff_required
def pair_accept_many(request):
    """Accepts the pairs ticked on the list of pairs waiting for the user's answer. A
    pair that no longer waits for this user (answered or withdrawn meanwhile, or never
    theirs) is skipped and named with the reason; the others are accepted, each in its
    own transaction, exactly as one by one."""
    codes = many.chosen(request, "pairs")
    back = many.back_to(request, reverse("workspace:pair-list") + "?waiting=on")
    if not codes:
        messages.info(request, _("Tick the pairs to accept first."))
        return redirect(back)
    visible = {pair.code: pair for pair in _pairs().visible_to(request.user).filter(code__in=codes)}
    accepted, skipped = 0, []
    for code in codes:
        pair = visible.get(code)
        if pair is None:
            skipped.append((code, _("not found among the pairs you see")))
            continue
        try:
            pair_services.pair_accept(user=request.user, pair=pair)
            accepted += 1
        except ValidationError as error:
            skipped.append((f"{pair.mentor.display_name} → {pair.mentee.display_name}", " ".join(error.messages)))
    done = ngettext(
        "%(n)s pair was accepted and is now active.", "%(n)s pairs were accepted and are now active.", accepted
    )
    many.report(request, done=accepted, done_message=done, skipped=skipped)
    return redirect(back)


def _reason_action(request, pair, *, form_class, act, done, url_name, title, explanation, button):
    """The page of an answer that needs a reason (decline, withdraw, end): the form on
    GET; on a valid POST ``act(form.cleaned_data)`` (a service call), the message
    ``done`` and back to the pair; the service's errors stay on the form."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return _detail(pair)
    context = {
        "pair": pair,
        "form": form,
        "action": reverse(url_name, kwargs={"code": pair.code}),
        "title": title,
        "explanation": explanation,
        "button": button,
    }
    return render(request, "workspace/pairs/reason.html", context)


@staff_required
def pair_decline(request, code):
    pair, done = _get_answerable(request, code)
    if done:
        return done
    return _reason_action(
        request,
        pair,
        form_class=PairReasonForm,
        act=lambda data: pair_services.pair_decline(user=request.user, pair=pair, reason=data["reason"]),
        done=_("You declined the pair. The registering side sees your reason."),
        url_name="workspace:pair-decline",
        title=_("Decline the pair"),
        explanation=_("The registering side sees your reason. The two units can be registered again later."),
        button=_("Decline"),
    )


@staff_required
def pair_withdraw(request, code):
    pair = get_for_user(request, _pairs(), code=code)
    if not pair_services.can_withdraw(request.user, pair):
        if pair.status != Pair.Status.PROPOSED and Pair.objects.editable_by(request.user).filter(pk=pair.pk).exists():
            messages.info(request, _("This pair has already been answered."))
            return _detail(pair)
        raise PermissionDenied("not the registering side")
    return _reason_action(
        request,
        pair,
        form_class=PairReasonForm,
        act=lambda data: pair_services.pair_withdraw(user=request.user, pair=pair, reason=data["reason"]),
        done=_("You withdrew the proposal."),
        url_name="workspace:pair-withdraw",
        title=_("Withdraw the proposal"),
        explanation=_("The other side no longer needs to answer. It sees your reason."),
        button=_("Withdraw"),
    )


@staff_required
def pair_end(request, code):
    pair = get_for_user_rw(request, _pairs(), code=code)
    if pair.status != Pair.Status.ACTIVE:
        messages.info(request, _("Only an active pair can be ended."))
        return _detail(pair)
    return _reason_action(
        request,
        pair,
        form_class=PairEndForm,
        act=lambda data: pair_services.pair_end(
            user=request.user, pair=pair, reason=data["reason"], ended_on=data["ended_on"]
        ),
        done=_("The pair has ended. Its history, activities and support stay recorded."),
        url_name="workspace:pair-end",
        title=_("End the pair"),
        explanation=_("Both sides see the reason. Activities and support recorded so far stay."),
        button=_("End the pair"),
    )
