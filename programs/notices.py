"""Who is told what waits for them (notifications.services.notify), decided by the
same rules that let them act: the people of the two sides, their managing bodies,
clusters and Departments are the candidates, and each is kept if the rule of the step
(``answerable_by``, ``confirmable_by``…) gives them the object. Called by the services
of pairs, activities, plans and reviews when something starts to wait."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from notifications.models import Notification
from notifications.services import notify
from schools.models import Membership, Organization
from twinning.lib.schoolyear import display_school_year

Kind = Notification.Kind


def candidates(pair):
    """The people holding a role today in either side, their managing bodies and
    clusters, and the Departments of their provinces."""
    units, provinces = set(), set()
    for side in (pair.mentor, pair.mentee):
        units.update(pk for pk in (side.pk, side.parent_id, side.cluster_id) if pk)
        if side.province_id:
            provinces.add(side.province_id)
    held = Membership.objects.current().filter(
        Q(organization__in=units)
        | Q(organization__kind=Organization.Kind.DEPARTMENT, organization__province_id__in=provinces)
    )
    return get_user_model().objects.filter(is_active=True, pk__in=held.values("user_id"))


def _waiting_for(obj, rule: str, pair, actor):
    manager = type(obj).objects
    return [
        user
        for user in candidates(pair)
        if user.pk != actor.pk and getattr(manager, rule)(user).filter(pk=obj.pk).exists()
    ]


def pair_name(pair) -> str:
    return f"{pair.mentor.display_name} → {pair.mentee.display_name}"


def pair_proposed(pair, actor):
    link = reverse("workspace:pair-detail", kwargs={"code": pair.code})
    notify(Kind.PAIR_TO_ANSWER, _waiting_for(pair, "answerable_by", pair, actor), subject=pair_name(pair), link=link)


def activity_reported(activity, actor):
    link = reverse("workspace:activity-detail", kwargs={"code": activity.code})
    users = _waiting_for(activity, "confirmable_by", activity.pair, actor)
    notify(Kind.ACTIVITY_TO_CONFIRM, users, subject=activity.title, link=link)


def activity_returned(activity, actor):
    link = reverse("workspace:activity-detail", kwargs={"code": activity.code})
    users = _waiting_for(activity, "editable_by", activity.pair, actor)
    notify(Kind.ACTIVITY_RETURNED, users, subject=activity.title, link=link)


def _plan(plan, actor, rule, kind):
    link = reverse("workspace:plan-detail", kwargs={"code": plan.pair.code, "year": plan.school_year})
    subject = f"{pair_name(plan.pair)} ({display_school_year(plan.school_year)})"
    notify(kind, _waiting_for(plan, rule, plan.pair, actor), subject=subject, link=link)


def plan_submitted(plan, actor):
    _plan(plan, actor, "approvable_by", Kind.PLAN_TO_APPROVE)


def plan_returned(plan, actor):
    _plan(plan, actor, "editable_by", Kind.PLAN_RETURNED)


def _review(review, actor, rule, kind):
    link = reverse("workspace:review-detail", kwargs={"code": review.pair.code, "year": review.school_year})
    subject = f"{pair_name(review.pair)} ({display_school_year(review.school_year)})"
    notify(kind, _waiting_for(review, rule, review.pair, actor), subject=subject, link=link)


def review_submitted(review, actor):
    _review(review, actor, "forwardable_by", Kind.REVIEW_TO_FORWARD)


def review_returned(review, actor):
    _review(review, actor, "writable_by", Kind.REVIEW_RETURNED)


def review_forwarded(review, actor):
    _review(review, actor, "ratable_by", Kind.REVIEW_TO_RATE)


# A quiet pair is told again to the same person after this many days at the earliest.
QUIET_REMINDER_DAYS = 30


def quiet_pairs() -> int:
    """Tells the principals and officers of both sides of each pair quiet for
    QUIET_AFTER_DAYS (no activity, see ``PairQuerySet.quiet``), at most once every
    QUIET_REMINDER_DAYS per person and pair. Run daily (``manage.py notify_quiet_pairs``).
    Returns how many notifications were made."""
    import datetime

    from django.utils import timezone

    from programs.models import Pair

    since = timezone.now() - datetime.timedelta(days=QUIET_REMINDER_DAYS)
    made = 0
    for pair in Pair.objects.quiet().select_related("mentor", "mentee").iterator(chunk_size=500):
        link = reverse("workspace:pair-detail", kwargs={"code": pair.code})
        told = set(
            Notification.objects.filter(kind=Kind.QUIET_PAIR, link=link, created_at__gte=since).values_list(
                "user_id", flat=True
            )
        )
        users = [
            user
            for user in candidates(pair)
            if user.pk not in told and Pair.objects.review_writable_by(user).filter(pk=pair.pk).exists()
        ]
        made += len(notify(Kind.QUIET_PAIR, users, subject=pair_name(pair), link=link))
    return made
