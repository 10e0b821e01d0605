"""Site-wide views: the home page, health check and error pages."""

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import render

from programs.models import Activity, Donation, Pair, Program
from twinning.lib.schoolyear import current_school_year


def _subquery_count(queryset, column="program"):
    return Coalesce(
        Subquery(
            queryset.filter(**{column: OuterRef("pk")})
            .order_by()
            .values(column)
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def home(request):
    """The public home page: each public program with its phase, organizers and
    totals. A fixed number of queries whatever the data size."""
    public_pairs = Pair.objects.public()
    programs = (
        Program.objects.public()
        .prefetch_related("organizers")
        .annotate(
            pair_count=_subquery_count(public_pairs),
            office_pair_count=_subquery_count(public_pairs.office_partnerships()),
            school_pair_count=_subquery_count(public_pairs.school_pairs()),
            activity_count=_subquery_count(Activity.objects.public(), "pair__program"),
            support_total=Coalesce(
                Subquery(
                    Donation.objects.public()
                    .filter(program=OuterRef("pk"))
                    .order_by()
                    .values("program")
                    .annotate(total=Sum("amount"))
                    .values("total")[:1]
                ),
                Value(0),
            ),
        )
    )
    school_ids = set()
    for mentor_id, mentee_id in public_pairs.school_pairs().values_list("mentor_id", "mentee_id"):
        school_ids.update((mentor_id, mentee_id))
    totals = {
        "pairs": public_pairs.count(),
        "schools": len(school_ids),
        "activities_this_year": Activity.objects.public().in_school_year(current_school_year()).count(),
        "support": Donation.objects.public().aggregate(total=Coalesce(Sum("amount"), Value(0)))["total"],
    }
    latest = (
        Activity.objects.public()
        .select_related("pair__mentor", "pair__mentee", "host")
        .prefetch_related("photos")
        .order_by("-happened_on", "-pk")[:6]
    )
    return render(
        request,
        "home.html",
        {"programs": programs, "totals": totals, "latest_activities": latest, "school_year": current_school_year()},
    )


def healthz(request):
    """For the load balancer: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)
