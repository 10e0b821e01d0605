"""Registering twinning pairs and answering them.

A pair registered by an office officer is *proposed*; the officer of the other side
(or department staff of the province) accepts or declines it with a reason. Department
staff, and an officer who manages both sides, register it *active* directly. The
workspace views, the spreadsheet import and admin actions all go through these
functions.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import notices
from programs.models import Pair, Program
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.text import nfc


def _duplicate_message():
    return _("This pair is already registered in this program.")


def _existing(program, mentor, mentee):
    return Pair.objects.exclude(status=Pair.Status.DECLINED).filter(program=program, mentor=mentor, mentee=mentee)


def _office_of(organization: Organization) -> Organization:
    """The body answering for a unit: itself for a managing body, a cluster or a
    department, its managing body for a school."""
    if organization.kind == Organization.Kind.SCHOOL and organization.parent_id:
        return organization.parent
    return organization


def _registering_unit(scope, own_side: Organization) -> Organization | None:
    """The unit on whose behalf the user registers a pair with ``own_side``: the side
    itself when the user is its officer, else its managing body or its cluster when
    the user is an officer of that, else the user's department."""
    if scope.is_superuser:
        return _office_of(own_side)
    if own_side.pk in scope.officer_ids:
        return own_side
    if own_side.parent_id in scope.manager_ids:
        return own_side.parent
    if own_side.cluster_id and own_side.cluster_id in scope.cluster_ids:
        return own_side.cluster
    return Organization.objects.filter(pk__in=scope.department_ids).order_by("pk").first()


def matching_partnership(*, program: Program, mentor: Organization, mentee: Organization) -> Pair | None:
    """The office partnership a school pair naturally belongs to: the one between the
    two schools' offices in the same program, if it exists (and was not declined)."""
    if mentor.kind != Organization.Kind.SCHOOL or not (mentor.parent_id and mentee.parent_id):
        return None
    if mentor.parent_id == mentee.parent_id:
        return None
    return (
        Pair.objects.exclude(status=Pair.Status.DECLINED)
        .filter(program=program, mentor_id=mentor.parent_id, mentee_id=mentee.parent_id)
        .first()
    )


@transaction.atomic
def pair_register(
    *,
    user,
    program: Program,
    mentor: Organization,
    mentee: Organization,
    parent: Pair | None = None,
    started_on: datetime.date | None = None,
    note: str = "",
) -> Pair:
    """Registers a pair on behalf of the user's side and returns it.

    One side must be a unit the user manages (``mentor`` errors otherwise). The pair is
    proposed, unless the user may also answer for the other side (department staff of
    the province, an officer of both sides, a superuser): then it is active at once.
    Without ``parent``, a school pair joins the partnership of its two offices in the
    program when there is one. Raises ValidationError with the field at fault; a
    duplicate (even one inserted a moment earlier by someone else, caught by the
    database constraint) is reported on ``mentee``.
    """
    scope = scope_for(user)
    managed = _managed_sides(user, scope, program, mentor, mentee)
    own_side = mentor if mentor.pk in managed else mentee
    own_office = _registering_unit(scope, own_side)
    if parent is None:
        parent = matching_partnership(program=program, mentor=mentor, mentee=mentee)
    pair = Pair(
        program=program,
        mentor=mentor,
        mentee=mentee,
        parent=parent,
        started_on=started_on,
        note=nfc(note) if note else "",
        status=Pair.Status.PROPOSED,
        proposed_by=user,
        proposed_by_org=own_office,
    )
    if scope.is_superuser or managed == {mentor.pk, mentee.pk}:
        _activate_at_once(pair, user)
    # The duplicate check is ours (a message next to the field); clean() covers the
    # other constraints with field messages.
    pair.full_clean(validate_constraints=False)
    _check_not_paired(program, mentor, mentee)
    _insert(pair, user)
    if pair.status == Pair.Status.PROPOSED:
        notices.pair_proposed(pair, user)
    return pair


def _managed_sides(user, scope, program: Program, mentor: Organization, mentee: Organization) -> set[int]:
    """The ids of the sides the user manages; raises ValidationError when the program
    is not open to the user's registrations or the user manages neither side."""
    if not Program.objects.open_for_registration_by(user).filter(pk=program.pk).exists():
        raise ValidationError({"program": _("You cannot register pairs in this program.")})
    managed = set(
        Organization.objects.editable_by(user).filter(pk__in=[mentor.pk, mentee.pk]).values_list("pk", flat=True)
    )
    if not managed:
        raise ValidationError(
            {
                "mentor": _("At least one side must be a unit you manage.")
                if not scope.is_department
                else _("At least one side must be a unit of your province.")
            }
        )
    return managed


def _activate_at_once(pair: Pair, user) -> None:
    """Makes a new pair active, decided by its registrant (who answers for both
    sides), starting today unless a start date was given."""
    pair.status = Pair.Status.ACTIVE
    pair.decided_by = user
    pair.decided_at = timezone.now()
    pair.started_on = pair.started_on or timezone.localdate()


def _check_not_paired(program: Program, mentor: Organization, mentee: Organization) -> None:
    """Raises ValidationError on ``mentee`` when the two units are already paired in
    the program, either way round (a declined pair does not count)."""
    if _existing(program, mentor, mentee).exists():
        raise ValidationError({"mentee": _duplicate_message()})
    reverse = _existing(program, mentee, mentor).first()
    if reverse is not None:
        raise ValidationError(
            {
                "mentee": _("These two units are already paired in this program the other way round (%(pair)s).")
                % {"pair": reverse}
            }
        )


def _insert(pair: Pair, user) -> None:
    """Saves the new pair; a duplicate inserted by someone else since the check is
    reported as a duplicate, on ``mentee``."""
    pair._history_user = user
    try:
        with transaction.atomic():
            pair.save()
    except IntegrityError:
        # Someone registered the same pair between our check and our insert: the
        # database constraint programs_pair_unique_in_program refused the second one.
        if _existing(pair.program, pair.mentor, pair.mentee).exists():
            raise ValidationError({"mentee": _duplicate_message()}) from None
        raise


def _locked(pair: Pair) -> Pair:
    return Pair.objects.select_for_update().select_related("mentor", "mentee").get(pk=pair.pk)


def _decide(pair: Pair, user, status: str, reason: str = "") -> Pair:
    """Records the answer to a proposal (who, when, why) and saves it."""
    pair.status = status
    pair.decided_by = user
    pair.decided_at = timezone.now()
    pair.decision_reason = reason
    _save(pair, user, reason)
    return pair


def _save(pair: Pair, user, reason: str = ""):
    pair._history_user = user
    if reason:
        pair._change_reason = reason
    pair.full_clean(validate_constraints=False)
    pair.save()


def memorandum_start(pair: Pair) -> datetime.date | None:
    """The day the memoranda covering the pair (or its partnership) make it start: the
    earliest date they take effect, else the earliest signing date; None without one."""
    from programs.models import Memorandum

    rows = list(
        Memorandum.objects.filter(pairs__in=[p for p in (pair.pk, pair.parent_id) if p]).values_list(
            "valid_from", "signed_on"
        )
    )
    effective = [valid_from for valid_from, _signed in rows if valid_from]
    signed = [signed_on for _valid, signed_on in rows if signed_on]
    return min(effective or signed, default=None)


@transaction.atomic
def pair_accept(*, user, pair: Pair) -> Pair:
    """The other side (or department staff) accepts a proposed pair: it becomes active
    from its registered start date, else from the day its memorandum takes effect,
    else from today (the acceptance)."""
    pair = _locked(pair)
    if not Pair.objects.answerable_by(user).filter(pk=pair.pk).exists():
        raise ValidationError(_("This pair is no longer waiting for your answer."))
    pair.started_on = pair.started_on or memorandum_start(pair) or timezone.localdate()
    return _decide(pair, user, Pair.Status.ACTIVE)


def _reason(reason: str) -> str:
    reason = nfc(reason or "")
    if not reason:
        raise ValidationError({"reason": _("Write the reason: the other side reads it.")})
    return reason


@transaction.atomic
def pair_decline(*, user, pair: Pair, reason: str) -> Pair:
    """The other side (or department staff) declines a proposed pair, saying why. The
    same two units may be registered again later."""
    reason = _reason(reason)
    pair = _locked(pair)
    if not Pair.objects.answerable_by(user).filter(pk=pair.pk).exists():
        raise ValidationError(_("This pair is no longer waiting for your answer."))
    return _decide(pair, user, Pair.Status.DECLINED, reason)


def can_withdraw(user, pair: Pair) -> bool:
    """The registering side may withdraw its proposal while nobody has answered it."""
    return (
        pair.status == Pair.Status.PROPOSED
        and pair.proposed_by_org_id is not None
        and Organization.objects.editable_by(user).filter(pk=pair.proposed_by_org_id).exists()
    )


@transaction.atomic
def pair_withdraw(*, user, pair: Pair, reason: str) -> Pair:
    """The registering side takes back its proposal (a wrong school, a duplicate);
    the pair is kept as declined, with the reason, so the other side sees why."""
    reason = _reason(reason)
    pair = _locked(pair)
    if not can_withdraw(user, pair):
        raise ValidationError(_("Only a proposal of your own side that has not been answered can be withdrawn."))
    return _decide(
        pair, user, Pair.Status.DECLINED, _("Withdrawn by the registering side: %(reason)s") % {"reason": reason}
    )


@transaction.atomic
def pair_end(*, user, pair: Pair, reason: str, ended_on: datetime.date | None = None) -> Pair:
    """Ends an active pair on ``ended_on`` (today by default), saying why. Its history,
    activities and donations stay."""
    reason = _reason(reason)
    pair = _locked(pair)
    if pair.status != Pair.Status.ACTIVE:
        raise ValidationError(_("Only an active pair can be ended."))
    if not Pair.objects.editable_by(user).filter(pk=pair.pk).exists():
        raise ValidationError(_("You cannot end this pair."))
    ended_on = ended_on or timezone.localdate()
    if pair.started_on and ended_on < pair.started_on:
        raise ValidationError({"ended_on": _("A pair cannot end before it starts.")})
    pair.status = Pair.Status.ENDED
    pair.ended_on = ended_on
    pair.decision_reason = reason
    _save(pair, user, reason)
    return pair


@transaction.atomic
def pair_update(*, user, pair: Pair, parent: Pair | None, started_on: datetime.date | None, note: str = "") -> Pair:
    """Changes what may change after registration: the office partnership, the start
    date and the note. (The program and the two sides are the pair itself: decline or
    end it and register the right one.)"""
    pair = _locked(pair)
    pair.parent = parent
    pair.started_on = started_on
    pair.note = (note or "").strip()
    _save(pair, user)
    return pair


def status_history(pair: Pair) -> list[dict]:
    """The pair's status changes, oldest first: [{"when", "who", "status",
    "status_label", "reason"}], from its simple_history records (one query)."""
    events = []
    previous = None
    for record in pair.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status == previous:
            continue
        who = record.history_user
        events.append(
            {
                "when": record.history_date,
                "who": (who.get_full_name() or who.username) if who else "",
                "status": record.status,
                "status_label": Pair.Status(record.status).label if record.status in Pair.Status.values else "",
                "reason": record.history_change_reason or "",
            }
        )
        previous = record.status
    return events
