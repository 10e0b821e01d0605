"""3. Import: a sheet of schools through the workspace import service, next to
django-import-export's default ``import_data`` and a raw ``bulk_create`` of the same rows."""

from __future__ import annotations

import time

from benchmarks.national_parts import BENCH_PREFIX
from benchmarks.national_parts.data import Cast


def _delete_units(prefix: str) -> None:
    """Deletes the units whose code starts with ``prefix`` (a run's imported schools),
    their memberships and placements, without the ORM's cascade collection."""
    from schools.models import Membership, Organization, Placement

    units = Organization.objects.filter(code__startswith=prefix)
    Membership.objects.filter(organization__in=units).delete()
    for queryset in (Placement.objects.filter(organization__in=units), units):
        queryset._raw_delete(queryset.db)


def _school_rows(prefix: str, n: int):
    """``n`` (code, name) rows of new schools, their codes starting with ``prefix``."""
    return [(f"{prefix}{i:06d}", f"Trường Tiểu học đo nhập {prefix}{i:06d}") for i in range(n)]


def import_service(user, rows, out=print) -> dict:
    """Imports ``rows`` (code, name) as schools through the workspace service, as the
    workspace does: read the sheet, check its columns, preview (dry run), confirm. A
    refusal of the whole sheet is reported and the sheet imported in parts of MAX_ROWS."""
    from programs.import_resources import resource_for
    from programs.services import imports
    from tests.helpers import xlsx_bytes

    resource = resource_for("schools", user)
    header = [str(resource.fields[name].column_name) for name in ("code", "name", "level")]

    def sheet_bytes(part):
        return xlsx_bytes([header, *([code, name, "Tiểu học"] for code, name in part)])

    phases = {"read": 0.0, "preview": 0.0, "confirm": 0.0}

    def one_sheet(content):
        start = time.perf_counter()
        sheet = imports.read_sheet(content)
        if hasattr(imports, "check_columns"):
            imports.check_columns(sheet, "schools", user)
        middle = time.perf_counter()
        resource, result = imports.import_run(user=user, kind="schools", sheet=sheet, dry_run=True)
        report = imports.import_report(resource, result, sheet)
        if not report["ok"]:
            raise imports.SheetError(f"preview refused the sheet: {report['errors'][:3]}")
        end = time.perf_counter()
        imports.import_run(user=user, kind="schools", sheet=sheet, dry_run=False)
        phases["read"] += middle - start
        phases["preview"] += end - middle
        phases["confirm"] += time.perf_counter() - end

    # The workbook is made before the clock starts: writing it is not the import's work.
    content = sheet_bytes(rows)
    info = {"refused": "", "refused_after": 0.0, "parts": 1, "phases": phases}
    start = time.perf_counter()
    try:
        one_sheet(content)
    except imports.SheetError as error:
        info["refused"] = str(error)
        info["refused_after"] = time.perf_counter() - start
        limit = getattr(imports, "MAX_ROWS", 1000)
        parts = [sheet_bytes(rows[i : i + limit]) for i in range(0, len(rows), limit)]
        info["parts"] = len(parts)
        phases.update(read=0.0, preview=0.0, confirm=0.0)
        start = time.perf_counter()
        for part in parts:
            one_sheet(part)
    info["seconds"] = time.perf_counter() - start
    return info


def import_admin_resource(office, rows) -> dict:
    """django-import-export's default import_data with the admin's OrganizationResource:
    a dry run (the admin's preview), then for real (its confirmation)."""
    import tablib

    from schools.resources import OrganizationResource

    resource = OrganizationResource()
    names = ("code", "name", "kind", "level", "parent")
    headers = [str(resource.fields[name].column_name) for name in names]
    dataset = tablib.Dataset(*([code, name, "Trường", "Tiểu học", office.code] for code, name in rows), headers=headers)
    start = time.perf_counter()
    errors = 0
    for dry_run in (True, False):
        result = OrganizationResource().import_data(dataset, dry_run=dry_run, use_transactions=True)
        errors = len(result.invalid_rows) + len(result.row_errors()) + len(result.base_errors)
        if errors:
            break
    return {"seconds": time.perf_counter() - start, "errors": errors}


def import_bulk_create(office, rows) -> dict:
    """The same schools by one raw ``bulk_create``: the floor the imports are compared with."""
    from schools.models import Organization
    from twinning.lib.text import fold

    start = time.perf_counter()
    Organization.objects.bulk_create(
        (
            Organization(
                kind="school",
                code=code,
                name=name,
                short_name=name.replace("Trường ", ""),
                slug=code.lower(),
                level="primary",
                parent=office,
                area_id=office.area_id,
                province_id=office.province_id,
                search_text=fold(f"{name} {code}"),
            )
            for code, name in rows
        ),
        batch_size=2000,
    )
    return {"seconds": time.perf_counter() - start}


def bench_import(cast: Cast, n_rows=5000, out=print, admin_rows=None) -> dict:
    """Imports ``n_rows`` new schools of the officer's office three ways (raw bulk_create,
    the workspace service, import-export), deleting them after each; prints a line per
    way as soon as it is measured and returns {way: its figures}. import-export, a
    hundred rows a second, is measured on ``admin_rows`` of them (default: at most
    2 000); the ratios compare rates, rows per second."""
    from django.utils import translation

    from schools.models import Membership

    office = Membership.objects.filter(user=cast.officer).select_related("organization").first().organization
    admin_rows = admin_rows or min(n_rows, 2000)
    results = {}
    out(f"import of {n_rows} schools {'rows':>25} {'rows/s':>9} {'seconds':>9} {'× bulk_create':>14}")
    with translation.override("vi"):
        # bulk_create first: the others are compared with it, and each line is printed
        # as soon as it is measured (the service may take minutes at national scale).
        for label, prefix, rows_wanted, run in (
            ("raw bulk_create", "B", n_rows, lambda rows: import_bulk_create(office, rows)),
            ("workspace import service", "I", n_rows, lambda rows: import_service(cast.officer, rows, out)),
            (
                "import-export import_data (admin resource)",
                "X",
                admin_rows,
                lambda rows: import_admin_resource(office, rows),
            ),
        ):
            prefix = BENCH_PREFIX + prefix
            _delete_units(prefix)
            try:
                info = run(_school_rows(prefix, rows_wanted))
            except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
                info = {"seconds": float("nan"), "error": f"{type(error).__name__}: {error}"}
            finally:
                _delete_units(prefix)
            info["rows"] = rows_wanted
            results[label] = info
            _print_line(out, label, info, results["raw bulk_create"])
    return results


def _print_line(out, label: str, info: dict, bulk: dict) -> None:
    seconds = info["seconds"]
    rate = info["rows"] / seconds if seconds else float("nan")
    bulk_rate = bulk["rows"] / bulk["seconds"] if bulk.get("seconds") else float("nan")
    note = ""
    if info.get("phases"):
        note = "  (" + ", ".join(f"{name} {value:.1f} s" for name, value in info["phases"].items()) + ")"
    if info.get("refused"):
        note += (
            f"  (one sheet refused after {info['refused_after']:.1f} s: {info['refused'][:70]}; "
            f"imported in {info['parts']} parts)"
        )
    if info.get("errors"):
        note += f"  ({info['errors']} rows with errors)"
    if info.get("error"):
        note += f"  FAILED: {info['error'][:120]}"
    ratio = bulk_rate / rate if rate else float("nan")
    out(f"  {label:<44} {info['rows']:>6} {rate:>9.0f} {seconds:>9.2f} {ratio:>13.1f}×{note}")
