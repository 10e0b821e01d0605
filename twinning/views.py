"""Site-wide views: the home page, health check and error pages."""

from django.db import connection
from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from programs.models import Activity, Donation, Pair, Program
from programs.querysets import count_subquery, units_taking_part_in
from programs.views.public import first_photo as _first_photo
from schools.models import Organization
from twinning.lib.cache import cached_for_visitors, public_figures
from twinning.lib.schoolyear import current_school_year

LATEST_ACTIVITIES = 6


def _home_figures(school_year):
    """Each public program with its totals, and the site-wide totals: counts over
    every public pair and activity, so they are kept PUBLIC_FIGURES_SECONDS in the cache."""
    public_pairs = Pair.objects.public()
    programs = list(
        Program.objects.public()
        .prefetch_related("organizers")
        .annotate(
            pair_count=count_subquery(public_pairs, "program"),
            office_pair_count=count_subquery(public_pairs.office_partnerships(), "program"),
            school_pair_count=count_subquery(public_pairs.school_pairs(), "program"),
            activity_count=count_subquery(Activity.objects.public(), "pair__program"),
            support_total=Coalesce(
                Subquery(
                    Donation.objects.public()
                    .filter(program=OuterRef("pk"), nature=Donation.Nature.MONEY)
                    .order_by()
                    .values("program")
                    .annotate(total=Sum("amount"))
                    .values("total")[:1]
                ),
                Value(0),
            ),
            # Gifts in kind are never added to the money, nor their quantities to one
            # another (35 computers and 1 200 books are not 1 235 of anything): the
            # number of gifts in kind is counted, whatever each one gave.
            in_kind_items=count_subquery(Donation.objects.public().filter(nature=Donation.Nature.IN_KIND), "program"),
        )
    )
    totals = {
        "pairs": sum(program.pair_count for program in programs),
        "schools": units_taking_part_in(public_pairs, Organization.objects.schools()).count(),
        "activities_this_year": Activity.objects.public().in_school_year(school_year).count(),
        "activities": sum(program.activity_count for program in programs),
        "support": sum(program.support_total for program in programs),
        # The number of gifts in kind (records), not a sum of unlike quantities.
        "in_kind_items": sum(program.in_kind_items for program in programs),
    }
    return programs, totals


@require_safe
@cached_for_visitors
def home(request):
    """The public home page: each public movement with its phase, organizers and
    totals, the site-wide totals and the latest public activities with a photo.
    A fixed number of queries whatever the data size (tests/public/test_queries.py)."""
    school_year = current_school_year()
    programs, totals = public_figures(lambda: _home_figures(school_year), "home", school_year)
    latest = list(
        Activity.objects.public()
        .select_related("pair__mentor", "pair__mentee", "host")
        .prefetch_related("photos")
        .order_by("-happened_on", "-pk")[:LATEST_ACTIVITIES]
    )
    context = {
        "programs": programs,
        "totals": totals,
        "latest_activities": latest,
        "school_year": school_year,
        "og": {
            "title": gettext("Kết nghĩa – school twinning"),
            "description": gettext(
                "Twinning of schools, professional clusters and Departments: pairs, memoranda, exchange activities "
                "and support, in one place."
            ),
            "image": _first_photo(latest),
        },
    }
    return render(request, "home.html", context)


def healthz(request):
    """For the load balancer: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # Without the request's context: the context processors read the database,
    # which may be what failed.
    return HttpResponseServerError(render_to_string("500.html"))


def permission_denied(request, exception):
    """403. A signed-in person who holds no role any more (a district office's officer
    since 1 July 2025, when the offices ceased) is told which roles ended and when,
    rather than that their role does not allow the action."""
    from schools.models import Membership
    from schools.scope import scope_for

    ended = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not scope_for(user).is_staff_member:
        ended = list(
            Membership.objects.filter(user=user, valid_until__lt=timezone.localdate())
            .select_related("organization")
            .order_by("-valid_until")[:5]
        )
    return render(request, "403.html", {"ended_roles": ended}, status=403)
