"""A pair's plan for a school year: drafted by either principal or an officer,
submitted, then accepted or returned (with a comment) by an officer of either side's
office or the department. A returned plan is changed and submitted again; an accepted
plan can be reopened by returning it.

draft ──submit──▶ submitted ──accept──▶ accepted
  ▲                   │                     │
  └──── returned ◀────┴──────return─────────┘
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs import notices
from programs.models import Pair, Plan
from programs.services import deadlines
from programs.services.locking import lock_status
from programs.summaries import recount_once

EDITABLE_PLAN_STATUSES = (Plan.Status.DRAFT, Plan.Status.RETURNED)


@transaction.atomic
def plan_create(*, pair: Pair, school_year: str, user, note: str = "") -> Plan:
    """Starts a draft plan for a pair and a school year."""
    plan = Plan(pair=pair, school_year=school_year, note=note, created_by=user, status=Plan.Status.DRAFT)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_save_items(*, plan: Plan, formset, user, note: str | None = None) -> Plan:
    """Saves the items edited in a plan item formset (already valid)."""
    if plan.status not in EDITABLE_PLAN_STATUSES:
        raise ValidationError(
            _("This plan has been submitted; it can be changed only after the managing body returns it.")
        )
    if note is not None:
        plan.note = note
        plan.full_clean()
        plan.save()
    items = formset.save(commit=False)
    with recount_once():  # the pair's figures, once for all the items
        for obj in formset.deleted_objects:
            obj.delete()
        for item in items:
            item.plan = plan
            item.full_clean()
            item.save()
    return plan


@transaction.atomic
def plan_submit(*, plan: Plan, user) -> Plan:
    lock_status(plan)
    if plan.status not in EDITABLE_PLAN_STATUSES:
        raise ValidationError(_("This plan has already been submitted."))
    if not plan.items.exists():
        raise ValidationError(_("Add at least one planned activity before submitting the plan."))
    deadlines.check_hand_in(plan, "plan")
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_by = user
    deadlines.mark_hand_in(plan)
    plan.full_clean()
    plan.save()
    notices.plan_submitted(plan, user)
    return plan


@transaction.atomic
def plan_accept(*, plan: Plan, user, comment: str = "") -> Plan:
    lock_status(plan)
    if plan.status == Plan.Status.ACCEPTED:
        raise ValidationError(_("This plan had already been accepted."))
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be accepted."))
    plan.status = Plan.Status.ACCEPTED
    plan.reviewed_by = user
    plan.reviewed_at = timezone.now()
    plan.review_comment = (comment or "").strip()
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_return(*, plan: Plan, user, comment: str) -> Plan:
    lock_status(plan)
    if plan.status not in (Plan.Status.SUBMITTED, Plan.Status.ACCEPTED):
        raise ValidationError(_("Only a submitted or accepted plan can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should be changed in the plan.")})
    plan.status = Plan.Status.RETURNED
    plan.reviewed_by = user
    plan.reviewed_at = timezone.now()
    plan.review_comment = comment
    plan.full_clean()
    plan.save()
    notices.plan_returned(plan, user)
    return plan
