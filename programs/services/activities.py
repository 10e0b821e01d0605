"""Exchange activities: logged by one side of a pair, confirmed by the other.

draft ──report──▶ reported ──confirm──▶ confirmed
  ▲                  │  ▲
  └────withdraw──────┤  report (again, after changes)
                 return │
                     ▼  │
                   returned

The logging side may withdraw what it sent while it waits for the answer: the
activity becomes a draft again (only that side sees it, it counts nowhere), to be
changed and sent again or deleted. There is no "declined" state: the other side
returns an activity with a comment, it does not refuse it.

The logging side (``reported_by_org``) writes and may change the activity until it is
confirmed; the other side's principal or an officer in scope confirms it or returns it
with a comment. Who may do what is decided by the query sets
(``Activity.objects.editable_by`` / ``confirmable_by``) through which the views load
the activity; these functions keep the states consistent.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs import notices
from programs.models import Activity, Pair
from programs.services import photos as photo_services
from programs.services.locking import lock_status
from schools.models import Organization
from schools.scope import scope_for


def activity_sides_for(*, user, pair: Pair) -> list[Organization]:
    """The sides of ``pair`` the user may log activities for (none for read-only
    roles; both for department staff or an officer managing both schools)."""
    scope = scope_for(user)
    return [side for side in pair.sides() if scope.acts_for(side)]


def _save(activity: Activity, user) -> Activity:
    activity.full_clean()
    activity._history_user = user
    activity.save()
    if getattr(activity, "_newly_reported", False):
        activity._newly_reported = False
        notices.activity_reported(activity, user)
    return activity


def _mark_reported(activity: Activity) -> None:
    # The date is checked by Activity.clean() (full_clean in _save): an activity that
    # has not taken place yet belongs in the plan, as a draft or otherwise.
    activity.status = Activity.Status.REPORTED
    activity.reported_at = timezone.now()
    activity.return_comment = ""
    activity._newly_reported = True  # the other side is told once it is saved (_save)


@transaction.atomic
def activity_log(
    *,
    activity: Activity,
    user,
    reported_by_org: Organization,
    pending_photos=(),
    report: bool,
) -> Activity:
    """Saves a new activity (built by the form, not saved yet) for the side
    ``reported_by_org``, as a draft or reported, with its pending photos."""
    activity.created_by = user
    activity.reported_by_org = reported_by_org
    activity.status = Activity.Status.DRAFT
    if report:
        _mark_reported(activity)
    _save(activity, user)
    photo_services.photos_attach(activity=activity, pending=list(pending_photos), user=user)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user,
    pending_photos=(),
    remove_photo_codes=(),
    report: bool,
) -> Activity:
    """Saves changes the logging side made (the form has set the fields). ``report``
    sends a draft or returned activity (again) to the other side; an activity already
    reported stays reported."""
    lock_status(activity)
    if activity.status == Activity.Status.CONFIRMED:
        raise ValidationError(_("This activity has been confirmed and can no longer be changed."))
    if report and activity.status in (Activity.Status.DRAFT, Activity.Status.RETURNED):
        _mark_reported(activity)
    _save(activity, user)
    photo_services.photos_remove(activity=activity, codes=remove_photo_codes)
    photo_services.photos_attach(activity=activity, pending=list(pending_photos), user=user)
    return activity


@transaction.atomic
def activity_report(*, activity: Activity, user) -> Activity:
    """Sends a draft or returned activity to the other side for confirmation."""
    lock_status(activity)
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.RETURNED):
        raise ValidationError(_("Only a draft or a returned activity can be sent for confirmation."))
    _mark_reported(activity)
    return _save(activity, user)


@transaction.atomic
def activity_confirm(*, activity: Activity, user) -> Activity:
    """The other side confirms that the activity took place as reported."""
    lock_status(activity)
    if activity.status == Activity.Status.CONFIRMED:
        raise ValidationError(_("This activity had already been confirmed."))
    if activity.status != Activity.Status.REPORTED:
        raise ValidationError(_("Only an activity waiting for confirmation can be confirmed."))
    activity.status = Activity.Status.CONFIRMED
    activity.confirmed_by = user
    activity.confirmed_at = timezone.now()
    activity.return_comment = ""
    return _save(activity, user)


@transaction.atomic
def activity_return(*, activity: Activity, user, comment: str) -> Activity:
    """The other side sends the activity back to the logging side, saying why."""
    lock_status(activity)
    if activity.status != Activity.Status.REPORTED:
        raise ValidationError(_("Only an activity waiting for confirmation can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be changed, so the other school can fix it.")})
    activity.status = Activity.Status.RETURNED
    activity.return_comment = comment
    _save(activity, user)
    notices.activity_returned(activity, user)
    return activity


@transaction.atomic
def activity_withdraw(*, activity: Activity, user) -> Activity:
    """The logging side takes back an activity it sent, before the other side has
    answered: it becomes a draft again."""
    lock_status(activity)
    if activity.status == Activity.Status.CONFIRMED:
        raise ValidationError(_("The other school had already confirmed this activity: it can no longer be withdrawn."))
    if activity.status != Activity.Status.REPORTED:
        raise ValidationError(_("Only an activity waiting for confirmation can be withdrawn."))
    activity.status = Activity.Status.DRAFT
    activity.reported_at = None
    return _save(activity, user)


@transaction.atomic
def activity_delete(*, activity: Activity, user) -> None:
    """Deletes a draft (photos included). Activities sent to the other side are kept:
    they are part of the pair's record."""
    lock_status(activity)
    if activity.status != Activity.Status.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    photo_services.photos_remove(activity=activity, codes=list(activity.photos.values_list("code", flat=True)))
    activity._history_user = user
    activity.delete()


# --- history ------------------------------------------------------------------------

_STEP_LABELS = {
    "logged": gettext_lazy("Logged as a draft"),
    "logged_reported": gettext_lazy("Logged and sent for confirmation"),
    "reported": gettext_lazy("Sent for confirmation"),
    "resent": gettext_lazy("Corrected and sent for confirmation again"),
    "returned": gettext_lazy("Returned for changes"),
    "withdrawn": gettext_lazy("Withdrawn by its side, back to draft"),
    "confirmed": gettext_lazy("Confirmed"),
    "entered": gettext_lazy("Entered with the status “%(status)s”"),
}


def _step(kind: str, record, comment: str = "") -> dict:
    who = record.history_user
    return {
        "kind": kind,
        "label": _STEP_LABELS[kind],
        "when": record.history_date,
        "who": (who.get_full_name() or who.username) if who else "",
        "comment": comment,
    }


def activity_history(activity: Activity) -> list[dict]:
    """Every step of the activity, oldest first: logged, sent, returned (with the
    comment), withdrawn, sent again, confirmed — [{"kind", "label", "when", "who",
    "comment"}], from its change history (one query). Changes that keep the state
    (corrections of a draft) are not steps."""
    steps = []
    previous = None
    for record in activity.history.select_related("history_user").order_by("history_date", "history_id"):
        status = record.status
        if previous is None:
            if status == Activity.Status.DRAFT:
                steps.append(_step("logged", record))
            elif status == Activity.Status.REPORTED:
                steps.append(_step("logged_reported", record))
            else:
                # Entered already answered (the demo data, the admin): one honest step.
                step = _step("entered", record)
                step["label"] = step["label"] % {"status": Activity.Status(status).label}
                steps.append(step)
        elif status != previous:
            if status == Activity.Status.REPORTED:
                steps.append(_step("resent" if previous == Activity.Status.RETURNED else "reported", record))
            elif status == Activity.Status.RETURNED:
                steps.append(_step("returned", record, record.return_comment))
            elif status == Activity.Status.DRAFT:
                steps.append(_step("withdrawn", record))
            elif status == Activity.Status.CONFIRMED:
                steps.append(_step("confirmed", record))
        previous = status
    return steps
