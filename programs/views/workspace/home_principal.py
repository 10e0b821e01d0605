"""Workspace home section for principals (and teachers, read-only): the school's
pairs with the partner's contact, this school year's plan and what is done, what
waits for this school's confirmation, what it still has to finish, and recent
activities. A fixed number of queries whatever the number of activities."""

from django.db.models import Count, Prefetch, Q

from programs.models import Activity, ActivityPhoto, Pair, Plan, PlanItem
from programs.querysets import COUNTED_ACTIVITY_STATUSES
from schools.models import Organization
from twinning.lib.collation import vi_key
from twinning.lib.schoolyear import current_school_year

WAITING_SHOWN = 10
RECENT_SHOWN = 6


def principal_section(request, scope):
    """Nine queries (besides the request's session, user and scope), whatever the
    number of pairs, activities and photos."""
    user = request.user
    year = current_school_year()
    school_ids = list(scope.school_ids)
    schools = list(Organization.objects.filter(pk__in=school_ids))
    pairs = _school_pairs(school_ids)
    _add_progress(pairs, user, scope, year)
    context = {
        "schools": schools,
        "pairs": pairs,
        "year": year,
        **_activity_lists(user, pairs, school_ids),
        "can_act": scope.is_principal,
        "has_active_pair": any(pair.status == Pair.Status.ACTIVE for pair in pairs),
    }
    return ("workspace/_home_principal.html", context)


def _school_pairs(school_ids) -> list:
    """The pairs of the user's schools but declined ones: active first, then the most
    recent programs, then by the helping side's name (one query)."""
    return sorted(
        Pair.objects.involving(school_ids)
        .exclude(status=Pair.Status.DECLINED)
        .select_related("program", "mentor", "mentee"),
        key=lambda pair: (pair.status != Pair.Status.ACTIVE, -pair.program.start_year, vi_key(pair.mentor.name)),
    )


def _add_progress(pairs, user, scope, year) -> None:
    """Sets on each pair its side and partner, this year's plan with the items done,
    and its activities confirmed and reported this year (three queries)."""
    plans = {
        plan.pair_id: plan
        for plan in Plan.objects.filter(pair__in=pairs, school_year=year).prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.with_done(), to_attr="item_list")
        )
    }
    counts = {}
    rows = (
        Activity.objects.visible_to(user)
        .filter(pair__in=pairs)
        .in_school_year(year)
        .order_by()
        .values_list("pair_id", "status")
        .annotate(n=Count("pk"))
    )
    for pair_id, status, n in rows:
        counts.setdefault(pair_id, {})[status] = n
    for pair in pairs:
        pair.our_side = pair.mentor if pair.mentor_id in scope.school_ids else pair.mentee
        pair.partner = pair.other_side(pair.our_side)
        pair.plan = plans.get(pair.pk)
        pair.done_count = sum(1 for item in pair.plan.item_list if item.is_done) if pair.plan else 0
        pair_counts = counts.get(pair.pk, {})
        pair.confirmed_count = pair_counts.get(Activity.Status.CONFIRMED, 0)
        pair.reported_count = pair_counts.get(Activity.Status.REPORTED, 0)


def _activity_lists(user, pairs, school_ids) -> dict:
    """The activities waiting for the user's confirmation, those the user still has to
    finish, and the recent ones of the school (four queries)."""
    related = ("pair__mentor", "pair__mentee", "reported_by_org")
    waiting = list(
        Activity.objects.confirmable_by(user).select_related(*related).order_by("reported_at", "pk")[:WAITING_SHOWN]
    )
    to_finish = list(
        Activity.objects.editable_by(user)
        .filter(status__in=(Activity.Status.DRAFT, Activity.Status.RETURNED))
        .select_related(*related)
        .order_by("-updated_at")[:WAITING_SHOWN]
    )
    # The school's pairs' activities, and those other pairs held at the school.
    recent = list(
        Activity.objects.visible_to(user)
        .filter(Q(pair__in=pairs) | Q(host_id__in=school_ids), status__in=COUNTED_ACTIVITY_STATUSES)
        .select_related(*related, "host")
        .prefetch_related(Prefetch("photos", queryset=ActivityPhoto.objects.order_by("order", "pk")))
        .order_by("-happened_on", "-pk")[:RECENT_SHOWN]
    )
    return {"waiting": waiting, "to_finish": to_finish, "recent": recent}
