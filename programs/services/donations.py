"""Sponsorship records: support given or received within a pair (đỡ đầu, suất quà,
học bổng, thiết bị, sách). Recorded by a principal of either side or an officer in
scope; the amount is whole đồng; the private note about beneficiaries stays inside
the two sides, their offices and the department."""

from django.core.files.storage import default_storage
from django.db import transaction

from programs.models import Donation, Pair
from schools.scope import scope_for


def _recording_side(user, pair: Pair):
    scope = scope_for(user)
    sides = [side for side in pair.sides() if scope.acts_for(side)]
    return sides[0] if len(sides) == 1 else None


@transaction.atomic
def donation_record(*, donation: Donation, pair: Pair, user) -> Donation:
    """Saves a new donation (built by the form, not saved yet) for ``pair``."""
    donation.pair = pair
    donation.program = pair.program
    donation.recorded_by = user
    donation.recorded_by_org = _recording_side(user, pair)
    donation.full_clean()
    donation._history_user = user
    donation.save()
    return donation


@transaction.atomic
def donation_update(*, donation: Donation, user, remove_receipt: bool = False) -> Donation:
    """Saves changes made in the form; ``remove_receipt`` deletes the stored scan."""
    old_receipt = Donation.objects.filter(pk=donation.pk).values_list("receipt", flat=True).first() or ""
    if remove_receipt:
        donation.receipt = ""
    donation.full_clean()
    donation._history_user = user
    donation.save()
    if old_receipt and old_receipt != donation.receipt.name:
        # Only the current scan is kept; the history keeps the record, not old files.
        transaction.on_commit(lambda: default_storage.delete(old_receipt))
    return donation


@transaction.atomic
def donation_delete(*, donation: Donation, user) -> None:
    receipt = donation.receipt.name
    donation._history_user = user
    donation.delete()
    if receipt:
        transaction.on_commit(lambda: default_storage.delete(receipt))


@transaction.atomic
def donation_notes_erase(*, pks=None, given_before=None) -> int:
    """Erases the private note about sponsored children (and its consent) from the
    donations ``pks``, or from every donation given before ``given_before`` — and from
    every earlier version in their change history, deleted donations included.
    Returns how many donations had a note. The one place notes are erased: the daily
    erase_pupil_notes and a department answering a family's request both call it."""
    if (pks is None) == (given_before is None):
        raise ValueError("give pks or given_before")
    chosen = {"pk__in": pks} if pks is not None else {"given_on__lt": given_before}
    versions = {"id__in": pks} if pks is not None else {"given_on__lt": given_before}
    empty = {"private_note": "", "note_consent": ""}
    count = Donation.objects.filter(**chosen).exclude(**empty).update(**empty)
    Donation.history.filter(**versions).exclude(**empty).update(**empty)
    return count
