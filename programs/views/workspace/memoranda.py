"""Memoranda of understanding in the workspace: list, record, edit, and the scan,
which is only ever downloaded through ``memorandum_scan`` (scope-checked)."""

import os

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs.forms.memoranda import MemorandumFilterForm, MemorandumForm, SignatoryFormSet
from programs.models import Memorandum, Pair
from programs.services.memoranda import memorandum_save
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from programs.views.workspace.rows import edit_with_rows
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.text import fold
from twinning.lib.uploads import content_type_for
from twinning.once import submitted_once

PAGE_SIZE = 25
EXPIRING_DAYS = 90


# A search reads at most this many words (a full school name has five or six).
SEARCH_WORDS = 8


def search_q(text):
    """Memoranda in which every word of ``text`` is in the title, number or place, or in
    the name or code of a side of one of its pairs (without diacritics for the sides).
    One subquery per word over the memorandum–pair links, never a join per word: six
    words cost six index lookups, not a product of six joins."""
    through = Memorandum.pairs.through
    condition = Q()
    for word in text.split()[:SEARCH_WORDS]:
        # Units named by the word (the trigram index on PostgreSQL), their pairs, those
        # pairs' memoranda: each step an indexed IN, no join over every link.
        units = Organization.objects.filter(search_text__contains=fold(word)).values("pk")
        pairs = Pair.objects.filter(Q(mentor_id__in=units) | Q(mentee_id__in=units)).values("pk")
        sides = through.objects.filter(pair_id__in=pairs).values("memorandum_id")
        condition &= (
            Q(title__icontains=word) | Q(reference_number__icontains=word) | Q(place__icontains=word) | Q(pk__in=sides)
        )
    return condition


@require_safe
@staff_required
def memorandum_list(request):
    filters = MemorandumFilterForm(request.GET or None)
    memoranda = (
        Memorandum.objects.visible_to(request.user)
        .select_related("program")
        .prefetch_related("pairs__mentor", "pairs__mentee")
        .order_by("-signed_on", vi_order("title"))
    )
    if filters.is_valid():
        if filters.cleaned_data["expiring"]:
            memoranda = memoranda.expiring_within(EXPIRING_DAYS).order_by("valid_until")
        memoranda = memoranda.filter(search_q(filters.cleaned_data["q"]))
    page = Paginator(memoranda, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "can_record": scope_for(request.user).can_manage_pairs}
    return render(request, "workspace/memoranda/list.html", context)


def _edit(request, memorandum, *, done, initial=None):
    form, formset, saved = edit_with_rows(
        request,
        instance=memorandum,
        form_class=MemorandumForm,
        formset_class=SignatoryFormSet,
        prefix="signatories",
        initial=initial,
        save=lambda memo, data, rows: memorandum_save(
            user=request.user, memorandum=memo, pairs=data["pairs"], signatories=rows
        ),
    )
    if saved:
        messages.success(request, done)
        return redirect("workspace:memorandum-detail", code=saved.code)
    context = {"form": form, "formset": formset, "memorandum": memorandum if memorandum.pk else None}
    return render(request, "workspace/memoranda/form.html", context)


@staff_required
@submitted_once
def memorandum_new(request):
    if not scope_for(request.user).can_manage_pairs:
        raise PermissionDenied("officers and department staff only")
    initial = {}
    # From a pair's page: that pair and its program are filled in.
    pair = Pair.objects.editable_by(request.user).filter(code=request.GET.get("pair") or "").first()
    if pair is not None:
        initial = {"program": pair.program_id, "pairs": [pair]}
    return _edit(request, Memorandum(), initial=initial, done=_("The memorandum is recorded."))


@require_safe
@staff_required
def memorandum_detail(request, code):
    memorandum = get_for_user(request, Memorandum.objects.select_related("program", "created_by"), code=code)
    pairs = Pair.objects.visible_to(request.user).filter(memoranda=memorandum).select_related("mentor", "mentee")
    context = {
        "memorandum": memorandum,
        "signatories": memorandum.signatories.select_related("organization"),
        "pairs": pairs,
        "hidden_pairs": memorandum.pairs.count() - len(pairs),
        "can_edit": Memorandum.objects.editable_by(request.user).filter(pk=memorandum.pk).exists(),
        "scan_kind": os.path.splitext(memorandum.scan.name)[1].lstrip(".").upper() if memorandum.scan else "",
    }
    return render(request, "workspace/memoranda/detail.html", context)


@staff_required
def memorandum_edit(request, code):
    memorandum = get_for_user_rw(request, Memorandum.objects.select_related("program"), code=code)
    return _edit(request, memorandum, done=_("The memorandum is saved."))


@require_safe
@staff_required
def memorandum_scan(request, code):
    """The scanned memorandum, to the users who may see the memorandum (never from a
    media URL). Shown inline (PDF viewer or image), never cached by shared caches."""
    memorandum = get_for_user(request, Memorandum.objects.all(), code=code)
    if not memorandum.scan:
        raise Http404
    try:
        handle = memorandum.scan.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    ext = os.path.splitext(memorandum.scan.name)[1].lower()
    response = FileResponse(
        handle, content_type=content_type_for(memorandum.scan.name), filename=f"bien-ban-ghi-nho-{memorandum.code}{ext}"
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
