"""Workflows of the needs board: post a need, pledge, withdraw, confirm what arrived
(which records the donation in kind or links the activity), close, open to other
donors. Each keeps the need's pledged and received quantities and its status current
(``_refresh``), so lists read them instead of summing pledges."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needs import notices
from needs.models import Need, Pledge
from programs.models import Activity, Donation, Pair
from programs.services.donations import donation_record
from schools.models import Organization
from schools.scope import scope_for

# The kind of support record a need's gift becomes.
DONATION_KIND = {
    Need.Kind.EQUIPMENT: Donation.Kind.EQUIPMENT,
    Need.Kind.BOOKS: Donation.Kind.BOOKS,
}


def pledge_donor_choices(*, user, need: Need):
    """The units the user may pledge for: the helping side when they act for it; for
    a need open to other donors, the units they act for in the helped school's
    province (never the helped school itself). A query set of Organization."""
    scope = scope_for(user)
    pair = need.pair
    ids = set()
    if scope.acts_for(pair.mentor):
        ids.add(pair.mentor_id)
    if need.open_to_others:
        own = scope.principal_school_ids | scope.manager_ids | scope.cluster_ids | scope.department_ids
        ids |= set(
            Organization.objects.filter(pk__in=own, province_id=pair.mentee.province_id).values_list("pk", flat=True)
        )
        if scope.is_superuser:
            ids.add(pair.mentor_id)
    ids.discard(pair.mentee_id)
    return Organization.objects.filter(pk__in=ids).order_by("name")


def receivable(pledge: Pledge) -> int:
    """The most that may be confirmed as received of ``pledge``: what it pledged, and
    no more than the need still lacks."""
    need = pledge.need
    return max(min(pledge.quantity, need.quantity - need.received_quantity), 0)


def too_much_received(pledge: Pledge, quantity: int | None) -> str:
    """Why ``quantity`` cannot be confirmed as received of ``pledge`` (naming the
    field), or "" when it can."""
    need = pledge.need
    if quantity is None:
        return ""
    if quantity > pledge.quantity:
        return _("Quantity received: at most the %(n)s %(unit)s pledged can be confirmed.") % {
            "n": pledge.quantity,
            "unit": need.unit_label,
        }
    still = max(need.quantity - need.received_quantity, 0)
    if quantity > still:
        return _("Quantity received: only %(n)s %(unit)s of this need are still to be received.") % {
            "n": still,
            "unit": need.unit_label,
        }
    return ""


def _refresh(need: Need, user) -> Need:
    """Recomputes the pledged and received quantities and the status, and saves."""
    pledged = received = 0
    for pledge in need.pledges.all():
        pledged += pledge.counted_quantity
        if pledge.status == Pledge.Status.RECEIVED:
            received += pledge.received_quantity or 0
    need.pledged_quantity, need.received_quantity = pledged, received
    need.status = need.computed_status()
    need._history_user = user
    need.save()
    return need


def _locked(need: Need) -> Need:
    """The need, re-read under a row lock: two pledges at once cannot both take the
    last of it."""
    return (
        Need.objects.select_for_update().select_related("pair__mentor", "pair__mentee", "pair__program").get(pk=need.pk)
    )


@transaction.atomic
def need_post(*, need: Need, pair: Pair, user) -> Need:
    """Saves a new need (built by the form) for ``pair``."""
    if pair.status != Pair.Status.ACTIVE:
        raise ValidationError(_("This pair is not active, so nothing can be recorded for it."))
    need.pair = pair
    need.posted_by = user
    need.status = Need.Status.OPEN
    need.full_clean()
    need._history_user = user
    need.save()
    notices.need_posted(need, user)
    return need


# What the need's form changes; everything else (status, quantities pledged and
# received, the pair) is kept as it stands in the database.
EDITABLE_FIELDS = ("kind", "title", "subject", "quantity", "unit_label", "needed_by", "description", "is_public")


@transaction.atomic
def need_update(*, need: Need, user) -> Need:
    """Saves the changes made in the form (``need``, not saved) to the need re-read
    under a row lock, so that a pledge or a receipt at the same moment is neither
    lost nor counted against a quantity it did not see; the status follows the new
    quantity, which cannot fall below what has already arrived."""
    locked = _locked(need)
    for name in EDITABLE_FIELDS:
        setattr(locked, name, getattr(need, name))
    locked.full_clean()
    if locked.quantity < locked.received_quantity:
        raise ValidationError(
            {
                "quantity": _("Quantity: %(n)s %(unit)s have already been received; the need cannot be smaller.")
                % {"n": locked.received_quantity, "unit": locked.unit_label}
            }
        )
    locked._history_user = user
    locked.save()
    return _refresh(locked, user)


@transaction.atomic
def need_close(*, need: Need, user, reason: str = "") -> Need:
    need = _locked(need)
    if need.status == Need.Status.CLOSED:
        raise ValidationError(_("This need is already closed."))
    need.status = Need.Status.CLOSED
    need.closed_reason = reason.strip()[:300]
    need._history_user = user
    need.save()
    return need


@transaction.atomic
def need_reopen(*, need: Need, user) -> Need:
    need = _locked(need)
    if need.status != Need.Status.CLOSED:
        raise ValidationError(_("This need is not closed."))
    need.status = Need.Status.OPEN
    need.closed_reason = ""
    return _refresh(need, user)


@transaction.atomic
def need_set_open_to_others(*, need: Need, user, value: bool) -> Need:
    need = _locked(need)
    need.open_to_others = value
    need._history_user = user
    need.save()
    return need


@transaction.atomic
def pledge_make(
    *,
    need: Need,
    user,
    donor_org: Organization,
    quantity: int,
    note: str = "",
    expected_on: datetime.date | None = None,
) -> Pledge:
    """Records a pledge of ``quantity`` (at most what is not pledged yet)."""
    need = _locked(need)
    if need.status in (Need.Status.CLOSED, Need.Status.MET):
        raise ValidationError(_("This need is no longer open to pledges."))
    if donor_org.pk not in set(pledge_donor_choices(user=user, need=need).values_list("pk", flat=True)):
        raise ValidationError({"donor_org": _("You cannot pledge on behalf of this unit.")})
    if quantity > need.remaining:
        raise ValidationError(
            {
                "quantity": _("Only %(n)s %(unit)s are still needed: pledge at most that.")
                % {"n": need.remaining, "unit": need.unit_label}
            }
        )
    pledge = Pledge(
        need=need, donor_org=donor_org, quantity=quantity, note=note, expected_on=expected_on, pledged_by=user
    )
    pledge.full_clean()
    pledge._history_user = user
    pledge.save()
    _refresh(need, user)
    notices.need_pledged(pledge, user)
    return pledge


@transaction.atomic
def pledge_withdraw(*, pledge: Pledge, user) -> Pledge:
    need = _locked(pledge.need)
    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
    if pledge.status != Pledge.Status.PLEDGED:
        raise ValidationError(_("Only a pledge not received yet can be withdrawn."))
    pledge.status = Pledge.Status.WITHDRAWN
    pledge._history_user = user
    pledge.save()
    _refresh(need, user)
    return pledge


@transaction.atomic
def pledge_receive(
    *,
    pledge: Pledge,
    user,
    quantity: int,
    received_on: datetime.date,
    amount: int | None = None,
    activity: Activity | None = None,
) -> Pledge:
    """Confirms what arrived of a pledge. Goods: records the support in kind (a
    ``Donation`` of ``quantity`` items, its money value ``amount`` when given). Training
    or a demonstration lesson: links ``activity``, one of the pair's activities."""
    need = _locked(pledge.need)
    pledge = Pledge.objects.select_for_update().select_related("donor_org").get(pk=pledge.pk)
    pledge.need = need  # the need as locked: its received quantity is current
    if pledge.status != Pledge.Status.PLEDGED:
        raise ValidationError(_("This pledge was already received or withdrawn."))
    errors = _receipt_errors(pledge, quantity, received_on, activity)
    if errors:
        raise ValidationError(errors)
    pledge.status = Pledge.Status.RECEIVED
    pledge.received_quantity = quantity
    pledge.received_on = received_on
    pledge.received_by = user
    if need.is_met_by_activity:
        pledge.activity = activity
    else:
        pledge.donation = _receipt_donation(pledge, user, quantity, received_on, amount)
    pledge.full_clean()
    pledge._history_user = user
    pledge.save()
    _refresh(need, user)
    notices.need_received(pledge, user)
    return pledge


def _receipt_errors(pledge: Pledge, quantity, received_on, activity) -> dict:
    """{field: message} of what is wrong with a receipt of ``pledge`` (empty when
    nothing is): the quantity, the date it arrived, the activity it took place in."""
    need = pledge.need
    errors = {}
    if not quantity or quantity <= 0:
        errors["quantity"] = _("The quantity must be a whole number greater than 0.")
    else:
        problem = too_much_received(pledge, quantity)
        if problem:
            errors["quantity"] = problem
    if received_on is None:
        errors["received_on"] = _("Give the date it arrived.")
    elif received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be later than today: confirm what has arrived.")
    if need.is_met_by_activity:
        if activity is None:
            errors["activity"] = _("Choose the pair's activity in which this took place.")
        elif activity.pair_id != need.pair_id:
            errors["activity"] = _("This activity belongs to another pair.")
    return errors


def _receipt_donation(pledge: Pledge, user, quantity, received_on, amount) -> Donation:
    """Records the goods received of ``pledge`` as a donation in kind to the helped
    school, through ``donation_record``, and returns it."""
    need = pledge.need
    donation = Donation(
        kind=DONATION_KIND.get(need.kind, Donation.Kind.OTHER),
        nature=Donation.Nature.IN_KIND,
        amount=amount or None,
        quantity=quantity,
        unit_label=need.unit_label,
        given_on=received_on,
        donor_org=pledge.donor_org,
        recipient=need.pair.mentee,
        description=_("%(what)s (needs board, need %(code)s)") % {"what": need.title, "code": need.code},
    )
    try:
        return donation_record(donation=donation, pair=need.pair, user=user)
    except ValidationError as error:
        # The donation's own field names mean nothing on this form: say them plainly.
        raise ValidationError(" ".join(error.messages)) from None
