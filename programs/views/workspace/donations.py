"""Sponsorship records in the workspace: list, record, see, change, delete, and the
receipt scan.

The private note about beneficiaries and the receipt scan are shown only to users
in ``Donation.objects.private_visible_to`` (the two sides' school staff, their offices,
the department); everybody else who sees the donation sees the amounts only.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programs.forms.donations import DonationForm
from programs.models import Donation, PrivateNoteAccess
from programs.services import donations as services
from programs.support import support_of
from programs.views.workspace.access import get_for_user, get_for_user_rw, pair_opens, staff_required
from programs.views.workspace.recording import (
    may_record,
    pair_param,
    person_name,
    pick_pair,
    recent_school_years,
    school_year_param,
)
from schools.scope import scope_for
from twinning.lib.uploads import content_type_for
from twinning.once import submitted_once

PAGE_SIZE = 25


def _can_see_private(user, donation) -> bool:
    return Donation.objects.private_visible_to(user).filter(pk=donation.pk).exists()


@staff_required
@require_safe
def donation_list(request):
    """The donations the user sees, newest first, with the total of what is listed.
    Four queries whatever the number of donations."""
    donations = Donation.objects.visible_to(request.user)
    pair = pair_param(request)
    if pair:
        donations = donations.filter(pair=pair)
    year = school_year_param(request)
    if year:
        donations = donations.in_school_year(year)
    kind = request.GET.get("kind", "")
    if kind in Donation.Kind.values:
        donations = donations.filter(kind=kind)
    else:
        kind = ""
    # Money and gifts in kind apart, and the number of records, in one grouped query.
    totals = support_of(donations)
    listed = donations.select_related("pair__mentor", "pair__mentee", "donor_org", "recipient").order_by(
        "-given_on", "-pk"
    )
    paginator = Paginator(listed, PAGE_SIZE)
    paginator.count = totals.records  # counted with the total above: not twice
    context = {
        "page": paginator.get_page(request.GET.get("page")),
        "pair": pair,
        "year": year,
        "kind": kind,
        "year_choices": recent_school_years(),
        "kinds": Donation.Kind.choices,
        "total": totals,
        "count": totals.records,
        "can_record": may_record(request.user),
    }
    return render(request, "workspace/donation_list.html", context)


@staff_required
@submitted_once
def donation_new(request):
    pair, response = pick_pair(request, "workspace:donation-new", _("Record support"))
    if response:
        return response
    if request.method == "POST":
        form = DonationForm(request.POST, request.FILES, pair=pair)
        if form.is_valid():
            donation = services.donation_record(donation=form.save(commit=False), pair=pair, user=request.user)
            messages.success(request, _("The support was recorded."))
            return redirect("workspace:donation-detail", code=donation.code)
    else:
        form = DonationForm(pair=pair, initial={"given_on": timezone.localdate()})
    return render(request, "workspace/donation_form.html", {"form": form, "pair": pair, "donation": None})


def _queryset():
    return Donation.objects.select_related(
        "program",
        "pair__program",
        "pair__mentor",
        "pair__mentee",
        "donor_org",
        "recipient",
        "recorded_by",
        "recorded_by_org",
    )


@staff_required
@require_safe
def donation_detail(request, code):
    donation = get_for_user(request, _queryset(), code=code)
    can_see_private = _can_see_private(request.user, donation)
    if can_see_private and donation.private_note and scope_for(request.user).is_department:
        PrivateNoteAccess.objects.create(user=request.user, donation=donation)
    context = {
        "donation": donation,
        "pair": donation.pair,
        "can_see_private": can_see_private,
        "can_edit": Donation.objects.editable_by(request.user).filter(pk=donation.pk).exists(),
        "recorded_by": person_name(donation.recorded_by),
        # A donation to a school may sit on its office partnership, which the school's
        # principal does not see: no link to a page that would be a 404.
        "pair_opens": pair_opens(request.user, donation.pair_id),
    }
    return render(request, "workspace/donation_detail.html", context)


@staff_required
def donation_edit(request, code):
    donation = get_for_user_rw(request, _queryset(), code=code)
    if donation.pair is None:
        # Records outside a pair (a district's own students) are kept by the office in
        # the administration; this form is a pair's.
        raise Http404
    show_private = _can_see_private(request.user, donation)
    if request.method == "POST":
        form = DonationForm(
            request.POST, request.FILES, instance=donation, pair=donation.pair, show_private=show_private
        )
        if form.is_valid():
            services.donation_update(
                donation=form.save(commit=False),
                user=request.user,
                remove_receipt=form.cleaned_data.get("remove_receipt", False) and not request.FILES.get("receipt"),
            )
            messages.success(request, _("The changes were saved."))
            return redirect("workspace:donation-detail", code=code)
    else:
        form = DonationForm(instance=donation, pair=donation.pair, show_private=show_private)
    context = {"form": form, "pair": donation.pair, "donation": donation}
    return render(request, "workspace/donation_form.html", context)


@staff_required
@require_POST
def donation_delete(request, code):
    donation = get_for_user_rw(request, _queryset(), code=code)
    pair = donation.pair
    services.donation_delete(donation=donation, user=request.user)
    messages.success(request, _("The record was deleted."))
    if pair is not None:
        return redirect("workspace:pair-timeline", code=pair.code)
    return redirect("workspace:donation-list")


@staff_required
@require_safe
def donation_receipt(request, code):
    """The receipt scan, to those who may read the donation's private details."""
    donation = get_for_user(request, Donation.objects.private_visible_to(request.user), code=code)
    if not donation.receipt:
        raise Http404
    try:
        handle = donation.receipt.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type_for(donation.receipt.name))
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response
