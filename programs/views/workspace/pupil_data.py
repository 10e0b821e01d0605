"""/workspace/pupil-data/: a request about one child's data (Law on Personal Data
Protection, 2026), answered by department staff in the portal: find every private
note that names the child in the department's scope, show it, correct it or erase it.
Every note shown, corrected or erased is logged (PrivateNoteAccess)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programs.models import Donation, PrivateNoteAccess
from programs.services.donations import donation_notes_erase
from programs.views.workspace.access import staff_required
from schools.scope import scope_for
from twinning.lib.text import nfc

MAX_RESULTS = 50


class PupilSearchForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("The child's name, as written in the notes"),
        min_length=3,
        max_length=100,
        help_text=gettext_lazy("E.g. “Nguyễn Văn An”. Every note of your province that holds it is listed."),
    )


class NoteForm(forms.Form):
    private_note = forms.CharField(
        label=gettext_lazy("Private note about beneficiaries"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def _department_only(request):
    scope = scope_for(request.user)
    if not (scope.is_department or scope.is_superuser):
        raise PermissionDenied("department staff only")


def _back(request):
    """Back to the search the user came from (only ever this page: no open redirect)."""
    back = request.POST.get("back") or ""
    return back if back.startswith(reverse("workspace:pupil-data")) else reverse("workspace:pupil-data")


def _notes(user):
    return Donation.objects.private_visible_to(user).exclude(private_note="")


@staff_required
def pupil_data(request):
    _department_only(request)
    form = PupilSearchForm(request.GET or None)
    results = None
    if form.is_valid():
        name = nfc(form.cleaned_data["name"]).strip()
        results = list(
            _notes(request.user)
            .filter(private_note__icontains=name)
            .select_related("pair__mentor", "pair__mentee", "recipient", "donor_org")
            .order_by("-given_on", "pk")[:MAX_RESULTS]
        )
        PrivateNoteAccess.objects.bulk_create(
            [PrivateNoteAccess(user=request.user, donation=donation) for donation in results]
        )
    return render(request, "workspace/pupil_data.html", {"form": form, "results": results, "limit": MAX_RESULTS})


@require_POST
@staff_required
def pupil_note_correct(request, code):
    _department_only(request)
    donation = get_object_or_404(_notes(request.user), code=code)
    form = NoteForm(request.POST)
    if form.is_valid():
        with transaction.atomic():
            donation.private_note = nfc(form.cleaned_data["private_note"]).strip()
            if not donation.private_note:
                donation.note_consent = ""
            donation._history_user = request.user
            donation._change_reason = _("Corrected at the request of a pupil's family")
            donation.save(update_fields=["private_note", "note_consent"])
            PrivateNoteAccess.objects.create(
                user=request.user, donation=donation, action=PrivateNoteAccess.Action.CORRECT
            )
        messages.success(request, _("The note was corrected."))
    return redirect(_back(request))


@require_POST
@staff_required
def pupil_note_erase(request, code):
    """Erases the note (and the consent) from the donation and from all its earlier
    versions in the change history."""
    _department_only(request)
    donation = get_object_or_404(_notes(request.user), code=code)
    with transaction.atomic():
        donation_notes_erase(pks=[donation.pk])
        PrivateNoteAccess.objects.create(user=request.user, donation=donation, action=PrivateNoteAccess.Action.ERASE)
    messages.success(request, _("The note was erased, from its history too."))
    return redirect(_back(request))
