"""/workspace/reviews/: the year-end review of each pair, and the commendation list.

Either side's principal or the office officer writes and submits the review; the
office officer sends it on; department staff rate it and may commend the pair. Every
object is loaded through access.py within the user's scope.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from programs.forms.reports import ReportFilterForm
from programs.forms.reviews import RatingForm, ReviewForm
from programs.models import Pair, ReportingCalendar, Review
from programs.reports import figures
from programs.reports.params import report_params, report_params_or_404
from programs.reports.views import letterhead, reports_required
from programs.reports.workbook import Sheet, commendation_activities, csv_response, xlsx_response
from programs.resources import CommendationResource
from programs.services import deadlines
from programs.services import reviews as service
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.paging import narrow_page
from twinning.lib.schoolyear import display_school_year, parse_school_year

PAGE_SIZE = 50
# The list's tabs: review status of the pair's review for the year ("missing": none
# submitted yet, counting drafts).
TABS = ("all", "missing", "submitted", "forwarded", "rated")


def _year(pair, year):
    """The school year in the URL, if a review can exist for it; else 404."""
    try:
        year = parse_school_year(year)
    except ValidationError:
        raise Http404("bad school year") from None
    if year not in service.review_years(pair.program):
        raise Http404("no review for this school year")
    return year


def _detail_url(pair, year):
    return reverse("workspace:review-detail", args=[pair.code, year])


def _pair(request, code):
    return get_for_user(request, Pair.objects.select_related("program", "mentor", "mentee"), code=code)


def _review(request, code, year, editable=None):
    """The review of the pair ``code`` for ``year``: 404 outside the scope or when
    not written yet; with ``editable``, 403 when the user may not do that."""
    queryset = Review.objects.select_related("pair__program", "pair__mentor", "pair__mentee")
    lookup = {"pair__code": code, "school_year": year}
    if editable:
        return get_for_user_rw(request, queryset, editable=editable, **lookup)
    return get_for_user(request, queryset, **lookup)


SENT_STATUSES = ("submitted", "forwarded", "rated")


@require_safe
@staff_required
def review_list(request):
    params = report_params(request.user, request.GET)
    if params is None:
        return render(request, "workspace/review_list.html", {"params": None})
    year = params.year
    year_reviews = Review.objects.filter(school_year=year)
    # The pairs listed are read once as ids: the tabs count them and the page sorts
    # them without applying the scope again (``PairQuerySet.pinned``).
    listed = (
        Pair.objects.visible_to(request.user)
        .filter(program=params.program)
        .filter(Q(status=Pair.Status.ACTIVE) | Q(pk__in=year_reviews.values("pair_id")))
        .pinned(scope=scope_for(request.user))
    )
    tab_counts = _tab_counts(listed, year_reviews)
    tab = request.GET.get("tab") or "all"
    if tab not in TABS:
        raise Http404("bad tab")
    pairs = listed
    if tab == "missing":
        pairs = pairs.exclude(pk__in=year_reviews.filter(status__in=SENT_STATUSES).values("pair_id"))
    elif tab != "all":
        pairs = pairs.filter(pk__in=year_reviews.filter(status=tab).values("pair_id"))
    # The page is sorted and cut from the pairs alone; its reviews are read for it alone.
    page = narrow_page(
        pairs.select_related("mentor", "mentee").order_by(
            "mentor_kind", vi_order("mentor__name"), vi_order("mentee__name"), "pk"
        ),
        PAGE_SIZE,
        request.GET.get("page"),
        paginator_class=Paginator,
        count=tab_counts[tab],  # already counted for the tabs
    )
    calendar = deadlines.calendar_of(params.program, year)
    due = calendar.review_due if calendar else None
    _add_reviews(page, year_reviews, due)
    tabs = [
        ("all", _("All"), tab_counts["all"]),
        ("missing", _("Not submitted yet"), tab_counts["missing"]),
        *((status, Review.Status(status).label, tab_counts[status]) for status in SENT_STATUSES),
    ]
    context = {
        "params": params,
        "form": ReportFilterForm(params),
        "page": page,
        "tab": tab,
        "tabs": tabs,
        "can_see_reports": scope_for(request.user).can_see_reports,
        "calendar": calendar,
        "overdue": bool(due) and timezone.localdate() > due,
        "submitted_statuses": SENT_STATUSES,
    }
    return render(request, "workspace/review_list.html", context)


def _tab_counts(listed, year_reviews) -> dict:
    """The tabs' counts: the pairs listed, and their reviews of the year by status (two
    plain queries; grouping the pairs by a subquery per pair reads every review)."""
    counts = dict(
        year_reviews.filter(pair__in=listed.values("pk"))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    listed_count = listed.count()
    return {
        "all": listed_count,
        "missing": listed_count - sum(counts.get(status, 0) for status in SENT_STATUSES),
        **{status: counts.get(status, 0) for status in SENT_STATUSES},
    }


def _add_reviews(page, year_reviews, due) -> None:
    """Gives each pair of the page its review's status, rating and lateness (one query)."""
    page.object_list = list(page.object_list)
    found = {
        r["pair_id"]: r
        for r in year_reviews.filter(pair__in=[p.pk for p in page.object_list]).values(
            "pair_id", "status", "rating", "first_submitted_at"
        )
    }
    labels = dict(Review.Status.choices)
    ratings = dict(Review.Rating.choices)
    for pair in page.object_list:
        review = found.get(pair.pk, {})
        pair.review_status = review.get("status")
        pair.review_rating = review.get("rating")
        pair.review_late = ReportingCalendar.is_late(review.get("first_submitted_at"), due)
        pair.review_status_label = labels.get(pair.review_status, _("Not written"))
        pair.review_rating_label = ratings.get(pair.review_rating, "")


def _deadline_context(pair, year, obj, what):
    """The deadline of the year's plan or review, and whether ``obj`` was late."""
    calendar = deadlines.calendar_of(pair.program, year)
    return {"calendar": calendar, "deadline": deadlines.lateness(obj, calendar, what)}


@require_safe
@staff_required
def review_detail(request, code, year):
    pair = _pair(request, code)
    year = _year(pair, year)
    review = (
        Review.objects.visible_to(request.user)
        .select_related("written_by", "submitted_by", "forwarded_by", "rated_by")
        .filter(pair=pair, school_year=year)
        .first()
    )
    user = request.user
    writable = pair.status == Pair.Status.ACTIVE and Pair.objects.review_writable_by(user).filter(pk=pair.pk).exists()
    status = review.status if review else None
    context = {
        "pair": pair,
        "year": year,
        "year_display": display_school_year(year),
        "review": review,
        "figures": figures.page_rows([pair], year)[pair.pk],
        "activities": service.review_activities(pair, year).select_related("host"),
        "commendation_activities": review.commendation_activities.all() if review and review.commended else [],
        "can_write": writable and status in (None, Review.Status.DRAFT),
        "can_submit": writable and status == Review.Status.DRAFT,
        "can_reopen": writable and status == Review.Status.SUBMITTED,
        "can_forward": status == Review.Status.SUBMITTED
        and Review.objects.forwardable_by(user).filter(pk=review.pk).exists(),
        "can_rate": status in (Review.Status.FORWARDED, Review.Status.RATED)
        and Review.objects.ratable_by(user).filter(pk=review.pk).exists(),
        "can_return": review is not None and _may_return(user, review),
        "other_years": [y for y in reversed(service.review_years(pair.program)) if y != year],
        **_deadline_context(pair, year, review, "review"),
    }
    return render(request, "workspace/review_detail.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
def review_edit(request, code, year):
    pair = get_for_user_rw(
        request,
        Pair.objects.select_related("program", "mentor", "mentee"),
        editable=Pair.objects.review_writable_by,
        code=code,
    )
    year = _year(pair, year)
    review = Review.objects.writable_by(request.user).filter(pair=pair, school_year=year).first()
    if review and review.status != Review.Status.DRAFT:
        messages.error(request, _("This review has been submitted and can no longer be changed."))
        return redirect(_detail_url(pair, year))
    if pair.status != Pair.Status.ACTIVE and review is None:
        raise PermissionDenied("only active pairs write reviews")
    submitting = request.method == "POST" and "submit" in request.POST
    form = ReviewForm(request.POST or None, instance=review, submitting=submitting)
    if request.method == "POST" and form.is_valid():
        try:
            review = service.review_save(pair=pair, school_year=year, user=request.user, **form.cleaned_data)
            if submitting:
                service.review_submit(review=review, user=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if submitting:
                messages.success(
                    request, _("The review has been submitted. The managing body can now send it on to the Department.")
                )
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect(_detail_url(pair, year))
    context = {"pair": pair, "year": year, "year_display": display_school_year(year), "form": form, "review": review}
    return render(request, "workspace/review_form.html", context)


def _add_errors(form, error):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _may_return(user, review) -> bool:
    """The office returns a submitted review; the Department one sent on to it."""
    if review.status == Review.Status.SUBMITTED:
        return Review.objects.forwardable_by(user).filter(pk=review.pk).exists()
    if review.status == Review.Status.FORWARDED:
        return Review.objects.ratable_by(user).filter(pk=review.pk).exists()
    return False


@require_POST
@staff_required
def review_return(request, code, year):
    review = _review(request, code, year)
    if not _may_return(request.user, review):
        raise PermissionDenied("may not return this review")
    try:
        service.review_return(review=review, user=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The review was returned for changes; its writers are told."))
    return redirect(_detail_url(review.pair, review.school_year))


def _transition(request, code, year, editable, action, success):
    review = _review(request, code, year, editable=editable)
    try:
        action(review=review, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(_detail_url(review.pair, review.school_year))


@require_POST
@staff_required
def review_submit(request, code, year):
    return _transition(
        request,
        code,
        year,
        Review.objects.writable_by,
        service.review_submit,
        _("The review has been submitted. The managing body can now send it on to the Department."),
    )


@require_POST
@staff_required
def review_reopen(request, code, year):
    return _transition(
        request,
        code,
        year,
        Review.objects.writable_by,
        service.review_reopen,
        _("The review is a draft again and can be changed."),
    )


@require_POST
@staff_required
def review_forward(request, code, year):
    return _transition(
        request,
        code,
        year,
        Review.objects.forwardable_by,
        service.review_forward,
        _("The review has been sent to the department."),
    )


@require_http_methods(["GET", "POST"])
@staff_required
def review_rate(request, code, year):
    review = _review(request, code, year, editable=Review.objects.ratable_by)
    if review.status not in (Review.Status.FORWARDED, Review.Status.RATED):
        messages.error(request, _("Only a review sent to the department can be rated."))
        return redirect(_detail_url(review.pair, review.school_year))
    activities = service.review_activities(review)
    initial = {
        "rating": review.rating,
        "rating_comment": review.rating_comment,
        "commended": review.commended,
        "commendation": review.commendation,
        "commendation_activities": list(review.commendation_activities.values_list("pk", flat=True)),
    }
    form = RatingForm(request.POST or None, initial=initial, activities=activities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.review_rate(
                review=review,
                user=request.user,
                rating=data["rating"],
                rating_comment=data["rating_comment"],
                commended=data["commended"],
                commendation=data["commendation"],
                activities=data["commendation_activities"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The rating has been saved."))
            return redirect(_detail_url(review.pair, review.school_year))
    context = {
        "review": review,
        "pair": review.pair,
        "year_display": display_school_year(review.school_year),
        "form": form,
        "has_activities": activities.exists(),
    }
    return render(request, "workspace/review_rate.html", context)


# --- commendations -----------------------------------------------------------------


def _commendations(user, params):
    return (
        Review.objects.visible_to(user)
        .filter(pair__program=params.program, school_year=params.year, commended=True)
        .select_related("pair__mentor", "pair__mentee")
        .order_by(vi_order("pair__mentor__name"), vi_order("pair__mentee__name"), "pk")
    )


@require_safe
@reports_required
def commendation_list(request):
    params = report_params(request.user, request.GET)
    if params is None:
        return render(request, "reports/dashboard_empty.html", {})
    context = {
        "params": params,
        "form": ReportFilterForm(params),
        "reviews": _commendations(request.user, params).prefetch_related("commendation_activities"),
        **letterhead(request.user, params.program),
    }
    return render(request, "workspace/commendation_list.html", context)


def _commendation_sheet(request):
    params = report_params_or_404(request.user, request.GET)
    if params.year_error:
        raise Http404("bad school year")
    reviews = _commendations(request.user, params)
    resource = CommendationResource(activities=commendation_activities(reviews))
    return params, Sheet(slug="commendations", title=_("Commendations"), resource=resource, rows=reviews)


@require_safe
@reports_required
def commendation_xlsx(request):
    params, sheet = _commendation_sheet(request)
    return xlsx_response([sheet], f"khen-thuong-{params.program.slug}-{params.year}.xlsx")


@require_safe
@reports_required
def commendation_csv(request):
    params, sheet = _commendation_sheet(request)
    return csv_response(sheet, f"khen-thuong-{params.program.slug}-{params.year}.csv")
