"""Import schools or pairs from a spreadsheet: download a template, upload, preview
every row (and every bad row by number, column and reason), confirm.

Between preview and confirmation the file waits in the default storage (shared by
all app servers); the session only remembers its name, the kind and the user.
Nothing is written before confirmation, and the confirmation re-checks the whole
sheet against the data as it is then.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobs import runner as jobs
from jobs.models import Job
from programs.forms.imports import ImportUploadForm
from programs.jobs import IMPORT, IMPORT_CHECK
from programs.services import imports as import_services
from programs.views.workspace.access import staff_required
from schools.scope import scope_for
from twinning.lib.codes import new_code

SESSION_KEY = "workspace_imports"


def _require_importer(request):
    if not scope_for(request.user).can_manage_pairs:
        raise PermissionDenied("officers and department staff only")


def _pending(request, token):
    """The pending import ``token`` of this user, or 404."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry.get("user") != request.user.pk:
        raise Http404
    return entry


def _forget(request, token):
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if entry:
        import_services.import_discard(entry["name"])


@staff_required
def import_start(request):
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user, initial={"kind": "schools"})
    if request.method == "POST" and form.is_valid():
        pending = request.session.get(SESSION_KEY, {})
        # One pending import per user and session: a new upload replaces the old one.
        for old in list(pending):
            _forget(request, old)
        import_services.import_sweep()  # uploads abandoned by anybody, a day old
        token = new_code()
        name = import_services.import_stash(content=form.content, extension=form.extension)
        entry = {
            "name": name,
            "kind": form.cleaned_data["kind"],
            "filename": form.cleaned_data["file"].name[:120],
            "user": request.user.pk,
        }
        if len(form.sheet.dataset) > CHECK_JOB_ROWS:
            # A province's sheet is checked by a background job: its page shows the
            # progress, then links to the preview, which shows what the job found.
            title = _("Check of %(kind)s from %(file)s") % {
                "kind": _kind_label(entry["kind"]),
                "file": entry["filename"],
            }
            job = jobs.start(request.user, IMPORT_CHECK, title, {**entry, "token": token})
            entry["check_job"] = str(job.pk)
            request.session[SESSION_KEY] = {token: entry}
            return redirect("jobs:detail", pk=job.pk)
        request.session[SESSION_KEY] = {token: entry}
        return redirect("workspace:import-preview", token=token)
    return render(request, "workspace/imports/start.html", {"form": form, "kinds": import_services.KINDS})


@require_safe
@staff_required
def import_template(request, kind):
    _require_importer(request)
    if kind not in import_services.KINDS:
        raise Http404
    content = import_services.template_workbook(kind, request.user)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    filename = "mau-nhap-truong.xlsx" if kind == "schools" else "mau-nhap-cap-ket-nghia.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _check(request, entry, *, dry_run):
    try:
        content = import_services.import_load(entry["name"])
    except (FileNotFoundError, OSError):
        raise Http404 from None
    sheet = import_services.read_sheet(content)
    resource, result = import_services.import_run(user=request.user, kind=entry["kind"], sheet=sheet, dry_run=dry_run)
    return import_services.shortened(import_services.import_report(resource, result, sheet))


def _preview_page(request, token, entry, report, status=200):
    """``report`` is shortened (import_services.shortened)."""
    context = {
        "token": token,
        "entry": entry,
        "report": report,
        "rows_hidden": report["row_count"] - len(report["rows"]),
        "errors_hidden": report["error_count"] - len(report["errors"]),
        "kind_label": _kind_label(entry["kind"]),
        "as_job": report["row_count"] > JOB_ROWS,
    }
    return render(request, "workspace/imports/preview.html", context, status=status)


def _kind_label(kind):
    return _("schools") if kind == "schools" else _("twinning pairs")


@require_safe
@staff_required
def import_preview(request, token):
    _require_importer(request)
    entry = _pending(request, token)
    if entry.get("check_job"):
        job = Job.objects.filter(pk=entry["check_job"], user=request.user).first()
        if job is None:
            raise Http404
        if job.status != Job.Status.DONE:  # still checking, or failed: its page says which
            return redirect("jobs:detail", pk=job.pk)
        report = job.result["report"]
    else:
        report = _check(request, entry, dry_run=True)
    # The confirmation runs as a job when the sheet is long (see import_confirm).
    rows = report["row_count"]
    if entry.get("rows") != rows:
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {**entry, "rows": rows}
        request.session[SESSION_KEY] = pending
    return _preview_page(request, token, entry, report)


# A sheet longer than this is imported by a background job (with a progress bar)
# rather than inside the request; one longer than CHECK_JOB_ROWS is also checked
# (previewed) by one.
JOB_ROWS = 200
CHECK_JOB_ROWS = 2000


@require_POST
@staff_required
def import_confirm(request, token):
    _require_importer(request)
    entry = _pending(request, token)
    if entry.get("rows", 0) > JOB_ROWS:
        title = _("Import of %(kind)s from %(file)s") % {"kind": _kind_label(entry["kind"]), "file": entry["filename"]}
        job = jobs.start(
            request.user, IMPORT, title, {"name": entry["name"], "kind": entry["kind"], "filename": entry["filename"]}
        )
        pending = request.session.get(SESSION_KEY, {})
        pending.pop(token, None)  # the job owns the stashed file now
        request.session[SESSION_KEY] = pending
        return redirect("jobs:detail", pk=job.pk)
    report = _check(request, entry, dry_run=False)
    if not report["ok"]:
        # The data changed since the preview (or the sheet has nothing to import):
        # nothing was saved; show why.
        messages.error(request, _("Nothing was imported. Fix the rows below and upload the sheet again."))
        return _preview_page(request, token, entry, report)
    _forget(request, token)
    counts = report["counts"]
    messages.success(
        request,
        _("Import finished: %(new)s added, %(update)s updated, %(skip)s unchanged.")
        % {"new": counts["new"], "update": counts["update"], "skip": counts["skip"]},
    )
    return redirect("workspace:unit-list" if entry["kind"] == "schools" else "workspace:pair-list")


@require_POST
@staff_required
def import_cancel(request, token):
    _require_importer(request)
    _pending(request, token)
    _forget(request, token)
    messages.info(request, _("The import was cancelled; nothing was changed."))
    return redirect("workspace:import-start")
