"""The background jobs of the programs app (see jobs.runner): the annual summary
workbook of a program and school year, made for the user who asked, within their
scope as it stands when the job runs, reading from the replica when there is one."""

from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jobs.runner import JobFailed, Outcome, Progress, job_kind
from programs.reports.params import report_params_or_404
from programs.reports.workbook import annual_sheets, write_xlsx
from schools.scope import scope_for
from twinning.lib.schoolyear import display_school_year
from twinning.routers import reading_from_replica

ANNUAL_SUMMARY = "annual-summary"


def annual_summary_filename(program, year):
    return f"bao-cao-tong-ket-{program.slug}-{year}.xlsx"


def scope_label(user, program):
    """Whose data the workbook holds, in words: the user's unit(s)."""
    from programs.reports.letterhead import issuing_unit

    if scope_for(user).is_superuser:
        return _("all units")
    unit = issuing_unit(user, program)
    return unit.name if unit else ""


@job_kind(ANNUAL_SUMMARY)
def annual_summary(job, out, progress):
    user = job.user
    try:
        params = report_params_or_404(user, {"program": job.params.get("program"), "year": job.params.get("year")})
    except Http404:
        params = None
    if params is None or params.year_error or not scope_for(user).can_see_reports:
        raise JobFailed(_("You may no longer see the reports of this program."))
    program, year = params.program, params.year
    with reading_from_replica():
        progress(0, stage=_("Computing the figures"))
        sheets = annual_sheets(user, program, year)
        total = sum(sheet.count() for sheet in sheets)
        progress(0, total, _("Writing the sheets"))
        title = (
            program.name,
            _("school year %(year)s") % {"year": display_school_year(year)},
            _("scope: %(scope)s") % {"scope": scope_label(user, program)},
            _("made on %(date)s") % {"date": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")},
        )
        written = write_xlsx(sheets, out, title_lines=title, progress=progress)
    return Outcome(filename=annual_summary_filename(program, year), result={"rows": written})


IMPORT = "import"
IMPORT_CHECK = "import-check"


def _grouped(counts):
    """Row counts as people read them ("50.000")."""
    return {key: number_format(value, force_grouping=True) for key, value in counts.items()}


def _stashed_sheet(job):
    """The sheet the job's user uploaded, read again; JobFailed when the user may no
    longer import or the upload is gone or unreadable."""
    from programs.services import imports

    if not scope_for(job.user).can_manage_pairs:
        raise JobFailed(_("You may no longer import units or pairs."))
    Progress(job)(0, stage=_("Reading the sheet"))
    try:
        content = imports.import_load(job.params["name"])
    except (FileNotFoundError, OSError):
        raise JobFailed(_("The uploaded file is no longer kept. Upload the sheet again.")) from None
    try:
        return imports.read_sheet(content)
    except imports.SheetError as error:
        raise JobFailed(str(error)) from None


@job_kind(IMPORT_CHECK)
def check_sheet(job, out, progress):
    """The preview of a long sheet: every row checked as the import will check it,
    nothing written. The preview page shows the report kept in the job's result."""
    from django.urls import reverse

    from programs.services import imports

    params = job.params
    sheet = _stashed_sheet(job)
    progress(0, len(sheet.dataset), _("Checking the rows"))
    resource, result = imports.import_run(
        user=job.user, kind=params["kind"], sheet=sheet, dry_run=True, progress=progress
    )
    report = imports.shortened(imports.import_report(resource, result, sheet))
    if report["error_count"]:
        message = ngettext(
            "Checked: the sheet has %(n)s problem to fix before anything is imported.",
            "Checked: the sheet has %(n)s problems to fix before anything is imported.",
            report["error_count"],
        ) % {"n": number_format(report["error_count"], force_grouping=True)}
    else:
        counts = report["counts"]
        message = _("Checked: %(new)s to add, %(update)s to update, %(skip)s unchanged.") % _grouped(counts)
    return Outcome(
        result={
            "message": message,
            "link": reverse("workspace:import-preview", kwargs={"token": params["token"]}),
            "link_label": _("See the check and confirm"),
            "report": report,
        }
    )


@job_kind(IMPORT)
def import_sheet(job, out, progress):
    """A large sheet of schools or pairs, confirmed after its preview: every row or
    none, checked again against the data as it is now."""
    from django.urls import reverse

    from programs.services import imports

    user, params = job.user, job.params
    sheet = _stashed_sheet(job)
    progress(0, len(sheet.dataset), _("Importing the rows"))
    resource, result = imports.import_run(user=user, kind=params["kind"], sheet=sheet, dry_run=False, progress=progress)
    report = imports.import_report(resource, result, sheet)
    if not report["ok"]:
        raise JobFailed(
            _("Nothing was imported. Fix the rows below and upload the sheet again."),
            {"errors": report["errors"][:500], "error_count": len(report["errors"])},
        )
    imports.import_discard(params["name"])
    counts = report["counts"]
    schools = params["kind"] == "schools"
    return Outcome(
        result={
            "message": _("Import finished: %(new)s added, %(update)s updated, %(skip)s unchanged.") % _grouped(counts),
            "link": reverse("workspace:unit-list" if schools else "workspace:pair-list"),
            "link_label": _("See the units") if schools else _("See the twinning pairs"),
        }
    )
