"""/reports/: the dashboard, the annual summary workbook and its CSV sheets, and the
printable year-end report, for department staff (their province), office officers
(their office) and union officers (their programs).

Everything is computed by programs.reports within the user's scope; each page and
download runs a fixed number of queries whatever the size of the data.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobs import runner as jobs
from programs.forms.reports import ReportFilterForm
from programs.jobs import ANNUAL_SUMMARY
from programs.models import Pair, Review
from programs.querysets import QUIET_AFTER_DAYS
from programs.reports import cache as report_cache
from programs.reports import charts, figures
from programs.reports.letterhead import letterhead
from programs.reports.params import report_params, report_params_or_404
from programs.reports.workbook import SHEETS, annual_sheets, csv_response, sheet_titles
from schools.scope import scope_for
from twinning.lib.money import format_vnd
from twinning.lib.schoolyear import display_school_year, parse_school_year
from twinning.routers import reading_from_replica


def reports_required(view):
    """Logged in (else the login page) and department staff, office officer or union
    officer (else 403)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).can_see_reports:
            raise PermissionDenied("reports are for department staff, office officers and union officers")
        return view(request, *args, **kwargs)

    return wrapper


def strict_params(request):
    """The program and year of a download: a bad year is a 404, not a silent default."""
    params = report_params_or_404(request.user, request.GET)
    if params.year_error:
        raise Http404("bad school year")
    return params


def _filename(params, suffix):
    return f"bao-cao-tong-ket-{params.program.slug}-{params.year}{suffix}"


def _report(user, program, year):
    """The report's figures, kept in the cache until any of them may have changed."""

    def compute():
        with reading_from_replica():
            return figures.build_report(user, program, year).for_pages()

    return report_cache.kept(compute, user, program, year)


@require_safe
@reports_required
def dashboard(request):
    params = report_params(request.user, request.GET)
    if params is None:
        return render(request, "reports/dashboard_empty.html", {})
    if params.year_error:
        messages.warning(request, params.year_error)
    report = _report(request.user, params.program, params.year)
    support_rows = report.support_by_kind
    context = {
        "params": params,
        "unit_page": Paginator(report.units, figures.UNIT_ROWS_PER_PAGE).get_page(request.GET.get("units_page")),
        "form": ReportFilterForm(params),
        "report": report,
        "month_chart": charts.month_chart(report.months),
        "kind_chart": charts.bar_chart(report.kinds, ("confirmed", "reported")),
        "support_chart": charts.bar_chart(support_rows, ("total",), value_text=lambda row: format_vnd(row["total"])),
        "sheets": [(slug, sheet_titles()[slug]) for slug in SHEETS],
        "quiet_days": QUIET_AFTER_DAYS,
        "pair_statuses": Pair.Status.choices,
        "gap_trends": outcome_trends(request.user, params.program, params.year),
    }
    return render(request, "reports/dashboard.html", context)


def outcome_trends(user, program, year):
    """How many pairs in the user's scope narrowed, held or widened each indicator's gap."""
    from outcomes.reads import trend_counts

    return trend_counts(figures.scoped_pairs(user, program, year), year)


@require_POST
@reports_required
def annual_summary_xlsx(request):
    """Starts the annual summary workbook as a background job and shows its progress
    (a national workbook takes longer than a request may)."""
    params = report_params_or_404(request.user, request.POST)
    if params.year_error:
        raise Http404("bad school year")
    title = _("Annual summary %(program)s, school year %(year)s (Excel)") % {
        "program": params.program.display_name,
        "year": params.year_display,
    }
    job = jobs.start(request.user, ANNUAL_SUMMARY, title, {"program": params.program.slug, "year": params.year})
    return redirect("jobs:detail", pk=job.pk)


@require_safe
@reports_required
def annual_summary_csv(request, sheet):
    if sheet not in SHEETS:
        raise Http404("no such sheet")
    params = strict_params(request)
    with reading_from_replica():
        sheets = annual_sheets(request.user, params.program, params.year, only=sheet)
    return csv_response(sheets[0], _filename(params, f"-{sheet}.csv"))


@require_safe
@reports_required
def annual_report(request, slug, year):
    """The printable year-end report (A4, the layout of a Vietnamese official report);
    the browser's Print → Save as PDF gives the document for the conference."""
    try:
        year = parse_school_year(year)
    except Exception:
        raise Http404("bad school year") from None
    data = request.GET.copy()
    data["program"], data["year"] = slug, year
    params = report_params_or_404(request.user, data)
    program = params.program
    report = _report(request.user, program, year)
    commendations = (
        Review.objects.visible_to(request.user)
        .filter(pair__program=program, school_year=year, commended=True)
        .select_related("pair__mentor", "pair__mentee")
        .prefetch_related("commendation_activities")
        .order_by("pair__mentor__name", "pair__mentee__name")
    )
    context = {
        "params": params,
        "program": program,
        "report": report,
        "year_display": display_school_year(year),
        "commendations": commendations,
        "gap_trends": outcome_trends(request.user, program, year),
        **letterhead(request.user, program),
    }
    return render(request, "reports/annual_report.html", context)
