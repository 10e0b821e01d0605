"""/reports/…/: the rows behind each number of the dashboard.

Each list takes the dashboard's program and year plus the filters of the number it
explains (``unit``, ``status``, ``kind``, ``month``…) and applies them with the very
expressions the figures are computed with (programs.reports.figures), so a list
holds exactly as many rows as the number that links to it. An unknown filter value
is a 404 rather than a silently unfiltered list. Lists are paginated; each page runs
a fixed number of queries.
"""

import datetime

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs.models import Activity, ActivityKind, Donation, Pair, ReportingCalendar, Review
from programs.reports import figures
from programs.reports.params import report_params_or_404
from programs.reports.views import reports_required
from programs.resources import DONATION_CATEGORY_LABELS
from programs.services import deadlines
from programs.support import support_of
from programs.views.workspace.access import get_for_user, staff_required
from schools.models import Organization
from twinning.lib.schoolyear import school_year_bounds

PAGE_SIZE = 50


class Filters:
    """Reads the list's filters from the query string; ``labels`` describe them for
    the page heading."""

    def __init__(self, request):
        self.request = request
        self.params = report_params_or_404(request.user, request.GET)
        if self.params.year_error:
            raise Http404("bad school year")
        self.labels = []

    def get(self, name):
        return (self.request.GET.get(name) or "").strip()

    def choice(self, name, choices):
        """The value of ``name`` if it is one of ``choices`` ({value: label}), "" when
        absent; 404 for anything else."""
        value = self.get(name)
        if not value:
            return ""
        if value not in choices:
            raise Http404(f"bad {name}")
        self.labels.append(str(choices[value]))
        return value

    def unit(self, name="unit"):
        """The unit named by its slug, among the units of the user's pairs and
        donations in this program; 404 otherwise."""
        slug = self.get(name)
        if not slug:
            return None
        user, program = self.request.user, self.params.program
        year = self.params.year
        day = figures.structure_day(year)
        pairs = figures.with_units(figures.scoped_pairs(user, program, year), day=day)
        donations = figures.donations_with_units(Donation.objects.visible_to(user).filter(program=program), day)
        met = (
            Q(pk__in=pairs.values("mentor_unit"))
            | Q(pk__in=pairs.values("mentee_unit"))
            | Q(pk__in=donations.values("donor_unit"))
            | Q(pk__in=donations.values("recipient_unit"))
        )
        unit = get_object_or_404(Organization.objects.filter(met), slug=slug)
        self.labels.append(figures.unit_label(unit))
        return unit

    def pair(self, name="pair"):
        code = self.get(name)
        if not code:
            return None
        pair = get_for_user(
            self.request,
            Pair.objects.filter(program=self.params.program).select_related("mentor", "mentee"),
            code=code,
        )
        self.labels.append(str(pair))
        return pair


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template, filters, page, title, **extra):
    context = {
        "params": filters.params,
        "filters": filters.labels,
        "page": page,
        "title": title,
        "back": f"?{filters.params.query()}",
        **extra,
    }
    return render(request, template, context)


@require_safe
@reports_required
def pair_rows(request):
    f = Filters(request)
    user, program, year = request.user, f.params.program, f.params.year
    pairs = figures.with_units(
        figures.scoped_pairs(user, program, year), day=figures.structure_day(year)
    ).select_related("mentor", "mentee", "parent__mentor", "parent__mentee")
    unit = f.unit()
    if unit:
        pairs = pairs.filter(figures.unit_pair_q(unit.pk))
    partnership = f.pair("partnership")
    if partnership:
        pairs = pairs.filter(parent=partnership)
    status = f.choice("status", dict(Pair.Status.choices))
    if status:
        pairs = pairs.filter(status=status)
    level = f.choice("level", {"office": _("Partnerships between units"), **dict(Organization.Level.choices)})
    if level == "office":
        pairs = pairs.filter(mentor_kind=Organization.Kind.OFFICE)
    elif level:
        pairs = pairs.filter(mentor_kind=Organization.Kind.SCHOOL, mentor__level=level)
    kind = f.choice("kind", {"school": _("School pairs"), "office": _("Partnerships between units")})
    if kind:
        pairs = pairs.filter(mentor_kind=kind)
    if f.choice("quiet", {"1": _("quiet pairs")}):
        # As the figures count them: as of the year's last day, or today in the current year.
        quiet_day = min(timezone.localdate(), school_year_bounds(year)[1])
        pairs = pairs.filter(pk__in=Pair.objects.quiet(today=quiet_day).values("pk"))
    submitted = Review.objects.filter(school_year=year).submitted()
    calendar = ReportingCalendar.objects.filter(program=program, school_year=year).first()
    due = calendar.review_due if calendar else None
    reviews = {"submitted": _("year-end review submitted"), "missing": _("year-end review missing")}
    if due:
        reviews.update({"on_time": _("year-end review on time"), "late": _("year-end review late")})
    review = f.choice("review", reviews)
    if review == "submitted":
        pairs = pairs.filter(pk__in=submitted.values("pair_id"))
    elif review == "missing":
        pairs = pairs.exclude(pk__in=submitted.values("pair_id"))
    elif review in ("on_time", "late"):
        late = submitted.filter(first_submitted_at__gte=deadlines.day_after(due))
        on_time = submitted.exclude(pk__in=late.values("pk"))
        pairs = pairs.filter(pk__in=(late if review == "late" else on_time).values("pair_id"))
    if f.choice("plan", {"1": _("with a plan")}):
        pairs = pairs.filter(pk__in=figures.year_plan_items(user, program, year).values("plan__pair_id"))
    page = _page(request, pairs.order_by("mentor_kind", "mentor__name", "mentee__name", "pk"))
    rows = figures.page_rows(list(page.object_list), year, due)
    items = [(pair, rows[pair.pk]) for pair in page.object_list]
    return _render(request, "reports/rows_pairs.html", f, page, _("Twinning pairs"), items=items)


@require_safe
@reports_required
def activity_rows(request):
    f = Filters(request)
    activities = figures.with_units(
        figures.year_activities(request.user, f.params.program, f.params.year),
        "pair__",
        figures.structure_day(f.params.year),
    ).select_related("pair__mentor", "pair__mentee", "host")
    unit = f.unit()
    if unit:
        activities = activities.filter(figures.unit_pair_q(unit.pk))
    pair = f.pair()
    if pair:
        activities = activities.filter(pair=pair)
    status = f.choice(
        "status", {"reported": Activity.Status.REPORTED.label, "confirmed": Activity.Status.CONFIRMED.label}
    )
    if status:
        activities = activities.filter(status=status)
    kind = f.choice("kind", dict(ActivityKind.choices))
    if kind:
        activities = activities.filter(kind=kind)
    month_text = f.get("month")
    if month_text:
        month = _month(month_text, f.params.year)
        activities = activities.filter(happened_on__year=month.year, happened_on__month=month.month)
        f.labels.append(_("month %(month)s") % {"month": month.strftime("%m/%Y")})
    page = _page(request, activities.order_by("happened_on", "pk"))
    return _render(request, "reports/rows_activities.html", f, page, _("Activities"))


def _month(text, year):
    try:
        month = datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise Http404("bad month") from None
    first, last = school_year_bounds(year)
    if not first.replace(day=1) <= month <= last:
        raise Http404("month outside the school year")
    return month


@require_safe
@reports_required
def donation_rows(request):
    f = Filters(request)
    donations = figures.donations_with_units(
        figures.year_donations(request.user, f.params.program, f.params.year), figures.structure_day(f.params.year)
    ).select_related("pair__mentor", "pair__mentee", "donor_org", "recipient")
    unit = f.unit()
    role = f.choice(
        "role",
        {
            "given": _("given to other units"),
            "own": _("within the unit itself"),
            "received": _("received"),
        },
    )
    if role and not unit:
        raise Http404("a role needs a unit")
    if unit:
        if role:
            donations = donations.filter(figures.unit_donation_q(unit.pk, role))
        else:
            donations = donations.filter(Q(donor_unit=unit.pk) | Q(recipient_unit=unit.pk))
    donor = f.unit("donor")
    if donor:
        donations = donations.filter(donor_unit=donor.pk)
    recipient = f.unit("recipient")
    if recipient:
        donations = donations.filter(recipient_unit=recipient.pk)
    category = f.choice(
        "category",
        {
            figures.OTHER_UNIT: _("to another unit"),
            figures.OWN_UNIT: _("within the unit itself"),
            figures.OUTSIDE: _("from outside donors"),
            "not_own": _("to another unit or from outside donors"),
        },
    )
    if category == "not_own":
        donations = donations.exclude(category=figures.OWN_UNIT)
    elif category:
        donations = donations.filter(category=category)
    kind = f.choice("kind", {**dict(Donation.Kind.choices), "not_sponsorship": _("other than student sponsorship")})
    if kind == "not_sponsorship":
        donations = donations.exclude(kind=Donation.Kind.SPONSORSHIP)
    elif kind:
        donations = donations.filter(kind=kind)
    page = _page(request, donations.order_by("given_on", "pk"))
    total = support_of(donations)  # money and gifts in kind apart, one query
    return _render(
        request,
        "reports/rows_donations.html",
        f,
        page,
        _("Support"),
        total=total,
        categories=DONATION_CATEGORY_LABELS,
    )


@require_safe
@reports_required
def plan_item_rows(request):
    f = Filters(request)
    items = (
        figures.with_units(
            figures.year_plan_items(request.user, f.params.program, f.params.year),
            "plan__pair__",
            figures.structure_day(f.params.year),
        )
        .with_done()
        .select_related("plan__pair__mentor", "plan__pair__mentee")
    )
    unit = f.unit()
    if unit:
        items = items.filter(figures.unit_pair_q(unit.pk))
    pair = f.pair()
    if pair:
        items = items.filter(plan__pair=pair)
    done = f.choice("done", {"1": _("done"), "0": _("not done yet")})
    if done:
        items = items.filter(is_done=done == "1")
    page = _page(request, items.order_by("planned_month", "plan__pair__mentor__name", "order", "pk"))
    return _render(request, "reports/rows_plan_items.html", f, page, _("Plan items"))


@require_safe
@staff_required
def activity_detail(request, code):
    """One activity, read-only, for anyone who may see it (the reports' lists, the
    reviews and the commendations link here)."""
    activity = get_for_user(
        request,
        Activity.objects.select_related("pair__program", "pair__mentor", "pair__mentee", "host", "reported_by_org"),
        code=code,
    )
    return render(
        request,
        "reports/activity_detail.html",
        {"activity": activity, "photos": activity.photos.all(), "year": activity.school_year},
    )
