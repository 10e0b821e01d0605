"""A pair's timeline in the workspace: its activities and donations in date order,
with thumbnails. ``templates/workspace/_pair_timeline.html`` renders the items and
is meant to be included in other pages (the workspace pair page) as well."""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs.models import Activity, ActivityPhoto, Donation, Pair, Plan
from programs.support import support_of_rows
from programs.views.workspace.access import get_for_user, staff_required
from twinning.lib.schoolyear import current_school_year, school_year_of

PAGE_SIZE = 30
THUMBS_PER_ACTIVITY = 3


@dataclass
class TimelineItem:
    kind: str  # "activity" or "donation"
    day: date
    obj: Activity | Donation

    @property
    def school_year(self) -> str:
        return school_year_of(self.day)


def timeline_items(activities, donations) -> list[TimelineItem]:
    """Activities and donations merged, newest first (by date, then by entry)."""
    items = [TimelineItem("activity", a.happened_on, a) for a in activities]
    items += [TimelineItem("donation", d.given_on, d) for d in donations]
    items.sort(key=lambda item: (item.day, item.obj.created_at), reverse=True)
    return items


def attach_thumbnails(items) -> None:
    """Loads the photos of the activities among ``items`` (one query) as
    ``activity.thumbs``, at most THUMBS_PER_ACTIVITY each, and how many more it has as
    ``activity.more_photos``."""
    activities = [item.obj for item in items if item.kind == "activity"]
    prefetch_related_objects(
        activities, Prefetch("photos", queryset=ActivityPhoto.objects.order_by("order", "pk"), to_attr="photo_list")
    )
    for activity in activities:
        activity.thumbs = activity.photo_list[:THUMBS_PER_ACTIVITY]
        activity.more_photos = len(activity.photo_list) - len(activity.thumbs)


@staff_required
@require_safe
def pair_timeline(request, code):
    """Seven queries whatever the number of activities, donations and photos (session,
    user, scope, pair, activities, donations, photos of the page) plus two small ones
    (may the user act, this year's plan)."""
    user = request.user
    pair = get_for_user(
        request,
        Pair.objects.select_related("program", "mentor", "mentee", "parent__mentor", "parent__mentee"),
        code=code,
    )
    activities = list(
        Activity.objects.visible_to(user).filter(pair=pair).select_related("host", "reported_by_org").order_by()
    )
    donations = list(
        Donation.objects.visible_to(user).filter(pair=pair).select_related("donor_org", "recipient").order_by()
    )
    page = Paginator(timeline_items(activities, donations), PAGE_SIZE).get_page(request.GET.get("page"))
    attach_thumbnails(page.object_list)
    counts = {status: 0 for status in Activity.Status.values}
    for activity in activities:
        counts[activity.status] += 1
    year = current_school_year()
    context = {
        "pair": pair,
        "page": page,
        "counts": counts,
        "support_total": support_of_rows(donations),
        "donation_count": len(donations),
        "can_act": pair.status == Pair.Status.ACTIVE and Pair.objects.actionable_by(user).filter(pk=pair.pk).exists(),
        "current_year": year,
        "current_plan": Plan.objects.filter(pair=pair, school_year=year).first(),
    }
    return render(request, "workspace/timeline.html", context)
