"""The national benchmark (issue 11): a nation's movement on PostgreSQL, measured side by side.

Why: one portal may hold a whole country (about 50 000 schools, 25 000 pairs, 500 000
activities, 100 000 donations). This script builds that much SYNTHETIC data and prints, in
one run, how the portal's own pages and tools compare with what Django's admin, a raw
``bulk_create``, PostgreSQL ``COPY`` and a trivial view do over the same rows. Nothing is
asserted: the figures (and above all the ratios, on a shared machine) go in the note.

    make bench                                                    # the whole nation, 34 provinces
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twinning_bench .venv/bin/python benchmarks/national.py
    .venv/bin/python benchmarks/national.py --scale 0.05          # a quick run (5 % of the nation)
    .venv/bin/python benchmarks/national.py --one-province        # worst case: the nation in one province
    .venv/bin/python benchmarks/national.py --regenerate --only pages import

What it does, in order:

1. **Data.** Creates the database named by ``DATABASE_URL`` if missing (default
   ``postgres://postgres@127.0.0.1:5432/twinning_bench``, PostgreSQL only), migrates it, and
   runs ``generate_synthetic_data --public`` with ``--scale`` × (25 000 school pairs, so
   50 000 schools; 500 000 activities; 100 000 donations) spread over 34 synthetic
   provinces (``--one-province``: all in one). Data of the same size already there is
   reused (``--regenerate`` rebuilds it); the command runs ``ANALYZE`` after loading.
   The program is made public (``--public``) so the public site shows it: use a database
   kept for benchmarks. ``manage.py generate_synthetic_data --remove`` deletes it all.
2. **Pages.** Each public and staff page through Django's test client (DEBUG off, after one
   warm-up request): p50 and p95 server time of ``--repeat`` requests (fewer when a page
   takes longer than ``--page-budget`` seconds in all), queries and HTML size, next to the
   Django admin changelist over the same rows (as a superuser) and the ratio of the p95s.
   Staff pages are seen as department staff of the first province (``synthetic.sogd``),
   an office officer and a principal (accounts ``bench.*`` made by the script, no password).
3. **Import.** ``--import-rows`` schools (default 5 000) through the workspace import
   service (read, preview, confirm, as the workspace does; a sheet over the service's
   ``MAX_ROWS`` is refused, which is reported, then imported in parts of ``MAX_ROWS``),
   next to django-import-export's default ``import_data`` (dry run, then for real) with
   the admin's resource, and a raw ``bulk_create`` of the same rows. Imported rows are
   deleted afterwards. At national scale this is the longest section (December 2026, on
   the shared 2-core machine: about 6 minutes for the service and 9 for import-export at
   5 000 rows); ``--import-rows 500`` gives the rates in 2 minutes.
4. **Workbook.** The annual summary workbook through its view (in a forked process, so the
   peak resident memory is the workbook's: ``ru_maxrss`` of that process), next to
   ``COPY (SELECT …) TO STDOUT`` of the same querysets' rows.
5. **gunicorn.** Requests per second of the public home page and of ``/healthz/`` under
   gunicorn with 2 workers, from ``--threads`` client threads for ``--seconds`` each.

``--only`` runs some of the sections (``pages import workbook gunicorn``). The functions
are also run at a tiny scale by ``tests/test_bench_smoke.py``.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/twinning_bench"
NATION = {"pairs": 25_000, "activities": 500_000, "donations": 100_000, "provinces": 34}
SECTIONS = ("pages", "import", "workbook", "gunicorn")
PROGRAM_SLUG = "synthetic-du-lieu-gia-lap"  # generate_synthetic_data's program
BENCH_PREFIX = "SYN-B"  # codes of imported schools: generate_synthetic_data --remove deletes them too


def configure_environment(database_url: str) -> None:
    """Production-like settings for a run of this script (before django.setup())."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "national-benchmark-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # WhiteNoise warns once per process that collectstatic's folder is missing: it is not needed here.
    os.environ["PYTHONWARNINGS"] = "ignore:No directory at"
    warnings.filterwarnings("ignore", message="No directory at")


def plain_static_storage() -> None:
    """Static URLs without collectstatic's manifest (as benchmarks/public_timing.py does)."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def gunicorn_app():
    """WSGI application for gunicorn (``benchmarks.national:gunicorn_app()``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
    import django

    django.setup()
    plain_static_storage()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def ensure_database(database_url: str) -> None:
    """Creates the PostgreSQL database of ``database_url`` if it does not exist."""
    import psycopg2
    from psycopg2 import sql

    from twinning.lib.env import parse_database_url

    config = parse_database_url(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
                print(f"created database {config['NAME']}")
    finally:
        connection.close()


# --- 1. data ----------------------------------------------------------------------------


def targets(scale: float, one_province: bool) -> dict:
    wanted = {key: max(1, round(value * scale)) for key, value in NATION.items() if key != "provinces"}
    wanted["provinces"] = 1 if one_province else NATION["provinces"]
    return wanted


def current_counts() -> dict | None:
    from programs.models import Activity, Donation, Pair, Program
    from schools.models import Area

    program = Program.objects.filter(slug=PROGRAM_SLUG).first()
    if program is None:
        return None
    return {
        "pairs": Pair.objects.filter(program=program, parent__isnull=False).count(),
        "activities": Activity.objects.filter(pair__program=program).count(),
        "donations": Donation.objects.filter(program=program).count(),
        "provinces": Area.objects.filter(slug__startswith="synthetic-tinh-gia-lap", kind="province").count(),
        "public": program.is_public,
    }


def ensure_data(wanted: dict, regenerate: bool = False, verbosity: int = 1) -> float:
    """Generates the synthetic movement unless one of this size is there; returns the
    seconds spent generating (0 when reused)."""
    from django.core.management import call_command

    found = current_counts()
    if found is not None and not regenerate and found == {**wanted, "public": True}:
        if verbosity:
            print(f"reusing the synthetic data: {found}")
        return 0.0
    if found is not None:
        if verbosity:
            print(f"removing the synthetic data there ({found})")
        call_command("generate_synthetic_data", remove=True, verbosity=0)
    start = time.perf_counter()
    call_command(
        "generate_synthetic_data",
        pairs=wanted["pairs"],
        activities=wanted["activities"],
        donations=wanted["donations"],
        provinces=wanted["provinces"],
        public=True,
        verbosity=verbosity,
    )
    elapsed = time.perf_counter() - start
    if verbosity:
        print(f"generated in {elapsed:.0f} s (ANALYZE included)")
    return elapsed


@dataclass
class Cast:
    """Who and what the pages are measured with."""

    program: object
    year: str
    department: object  # synthetic.sogd
    officer: object
    principal: object
    superuser: object
    province: object
    pair: object
    school: object
    activity: object


def bench_cast() -> Cast:
    """The accounts of each role (made once, without password) and the rows shown."""
    from django.contrib.auth import get_user_model

    from programs.models import Activity, Pair, Program
    from schools.models import Membership, Organization
    from twinning.lib.schoolyear import current_school_year

    User = get_user_model()
    program = Program.objects.get(slug=PROGRAM_SLUG)
    department = User.objects.get(username="synthetic.sogd")
    dept_org = Membership.objects.filter(user=department).select_related("organization").first().organization
    pair = (
        Pair.objects.filter(program=program, parent__isnull=False, status="active", mentor__province=dept_org.area)
        .select_related("mentor", "mentee")
        .order_by("code")
        .first()
    )
    office = pair.mentor.parent

    def account(username, organization, role, **extra):
        user, created = User.objects.get_or_create(username=username, defaults=extra)
        if created:
            user.set_unusable_password()
            user.save()
        Membership.objects.get_or_create(user=user, organization=organization, role=role)
        return user

    superuser, created = User.objects.get_or_create(
        username="bench.admin", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        superuser.set_unusable_password()
        superuser.save()
    first = int(current_school_year()[:4]) - 1
    return Cast(
        program=program,
        year=f"{first}-{first + 1}",
        department=department,
        officer=account("bench.office", office, Membership.Role.OFFICE_OFFICER),
        principal=account("bench.principal", pair.mentor, Membership.Role.PRINCIPAL),
        superuser=superuser,
        province=dept_org.area,
        pair=pair,
        school=Organization.objects.get(pk=pair.mentor_id),
        activity=Activity.objects.public().filter(pair=pair).order_by("code").first()
        or Activity.objects.public().order_by("code").first(),
    )


# --- 2. pages ---------------------------------------------------------------------------


@dataclass
class Timing:
    p50: float
    p95: float
    queries: int
    kb: float
    status: int
    runs: int


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def time_page(client, url, repeat=10, budget=20.0) -> Timing:
    """p50/p95 of up to ``repeat`` requests after a warm-up one (at least 3 when the
    page is slow: stops once ``budget`` seconds are spent)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, caches, connection
    times, spent = [], 0.0
    for _ in range(max(1, repeat)):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        times.append(elapsed * 1000)
        spent += elapsed
        if spent > budget and len(times) >= min(3, repeat):
            break
    return Timing(
        p50=statistics.median(times),
        p95=percentile(times, 0.95),
        queries=len(queries),
        kb=len(response.content) / 1024,
        status=response.status_code,
        runs=len(times),
    )


def page_list(cast: Cast) -> list[tuple[str, str, object, str]]:
    """(label, url, user or None, admin changelist over the same rows)."""
    from django.contrib import admin

    from programs.models import Pair

    program, year = cast.program, cast.year
    per_page = admin.site._registry[Pair].list_per_page
    admin_last = max(1, math.ceil(Pair.objects.count() / per_page))
    pairs_admin = "/admin/programs/pair/"
    activities_admin = "/admin/programs/activity/"
    in_program = f"?program__id__exact={program.pk}"
    in_province = f"?mentor__province__id__exact={cast.province.pk}"
    report = f"?program={program.slug}&year={year}"
    school_q = quote(cast.school.name)
    units_admin = "/admin/schools/organization/"
    program_activities = activities_admin + f"?pair__program__id__exact={program.pk}"
    search_admin = pairs_admin + "?q=" + quote("giả lập 00012")
    dept, office, head = cast.department, cast.officer, cast.principal
    return [
        ("public home", "/", None, activities_admin),
        ("directory", "/pairs/", None, pairs_admin),
        ("directory search 'gia lap 00012'", "/pairs/?q=gia+lap+00012", None, search_admin),
        ("directory search 'truong'", "/pairs/?q=truong", None, pairs_admin + "?q=" + quote("trường")),
        ("directory last page", "/pairs/?page=1000000", None, pairs_admin + f"?p={admin_last}"),
        ("program page", program.get_absolute_url(), None, pairs_admin + in_program),
        ("pair page", cast.pair.get_absolute_url(), None, activities_admin + f"?q={school_q}"),
        ("school page", cast.school.get_absolute_url(), None, units_admin + f"?q={cast.school.code}"),
        ("activity page", cast.activity.get_absolute_url(), None, activities_admin + f"?q={cast.activity.code}"),
        ("department: workspace home", "/workspace/", dept, pairs_admin + in_province),
        ("department: pairs", "/workspace/pairs/", dept, pairs_admin + in_province),
        ("department: activities", "/workspace/activities/", dept, activities_admin),
        ("department: donations", "/workspace/donations/", dept, "/admin/programs/donation/"),
        ("department: units", "/workspace/units/", dept, units_admin + f"?province__id__exact={cast.province.pk}"),
        ("department: reviews", f"/workspace/reviews/?year={year}", dept, "/admin/programs/review/"),
        ("department: reports dashboard", "/reports/" + report, dept, program_activities),
        ("department: printable report", f"/reports/annual/{program.slug}/{year}/", dept, program_activities),
        ("office officer: workspace home", "/workspace/", office, pairs_admin + in_program),
        ("office officer: pairs", "/workspace/pairs/", office, pairs_admin + in_program),
        ("office officer: reports dashboard", "/reports/" + report, office, activities_admin),
        ("principal: workspace home", "/workspace/", head, activities_admin + f"?q={school_q}"),
        ("principal: activities", "/workspace/activities/", head, activities_admin + f"?q={school_q}"),
    ]


def bench_pages(cast: Cast, repeat=10, budget=20.0, out=print) -> list:
    from django.test import Client

    clients = {}

    def client_for(user):
        key = user.pk if user else None
        if key not in clients:
            clients[key] = Client()
            if user is not None:
                clients[key].force_login(user)
        return clients[key]

    admin_client = client_for(cast.superuser)
    admin_cache = {}
    rows = []
    out(
        f"{'page':<36} {'p50 ms':>8} {'p95 ms':>8} {'q':>4} {'kB':>6} | {'admin changelist':<44} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'q':>4} | {'p95 ratio':>9}"
    )
    for label, url, user, admin_url in page_list(cast):
        page = time_page(client_for(user), url, repeat, budget)
        if admin_url not in admin_cache:
            admin_cache[admin_url] = time_page(admin_client, admin_url, repeat, budget)
        adm = admin_cache[admin_url]
        flag = "" if page.status == 200 else f" [HTTP {page.status}]"
        aflag = "" if adm.status == 200 else f" [HTTP {adm.status}]"
        ratio = page.p95 / adm.p95 if adm.p95 else float("nan")
        out(
            f"{label:<36} {page.p50:>8.1f} {page.p95:>8.1f} {page.queries:>4} {page.kb:>6.0f} | "
            f"{(admin_url[:44]):<44} {adm.p50:>8.1f} {adm.p95:>8.1f} {adm.queries:>4} | {ratio:>8.1f}×{flag}{aflag}"
        )
        rows.append((label, url, page, admin_url, adm))
    return rows


# --- 3. import --------------------------------------------------------------------------


def _delete_units(prefix: str) -> None:
    from schools.models import Membership, Organization, Placement

    units = Organization.objects.filter(code__startswith=prefix)
    Membership.objects.filter(organization__in=units).delete()
    for queryset in (Placement.objects.filter(organization__in=units), units):
        queryset._raw_delete(queryset.db)


def _school_rows(prefix: str, n: int):
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

    def one_sheet(part):
        sheet = imports.read_sheet(sheet_bytes(part))
        if hasattr(imports, "check_columns"):
            imports.check_columns(sheet, "schools", user)
        resource, result = imports.import_run(user=user, kind="schools", sheet=sheet, dry_run=True)
        report = imports.import_report(resource, result, sheet)
        if not report["ok"]:
            raise imports.SheetError(f"preview refused the sheet: {report['errors'][:3]}")
        imports.import_run(user=user, kind="schools", sheet=sheet, dry_run=False)

    info = {"refused": "", "refused_after": 0.0, "parts": 1}
    start = time.perf_counter()
    try:
        one_sheet(rows)
    except imports.SheetError as error:
        info["refused"] = str(error)
        info["refused_after"] = time.perf_counter() - start
        limit = getattr(imports, "MAX_ROWS", 1000)
        parts = [rows[i : i + limit] for i in range(0, len(rows), limit)]
        info["parts"] = len(parts)
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


def bench_import(cast: Cast, n_rows=5000, out=print) -> dict:
    from django.utils import translation

    from schools.models import Membership

    office = Membership.objects.filter(user=cast.officer).select_related("organization").first().organization
    results = {}
    out(f"import of {n_rows} schools {'rows/s':>31} {'seconds':>9} {'× bulk_create':>14}")
    with translation.override("vi"):
        # bulk_create first: the others are compared with it, and each line is printed
        # as soon as it is measured (the service may take minutes at national scale).
        for label, prefix, run in (
            ("raw bulk_create", "B", lambda rows: import_bulk_create(office, rows)),
            ("workspace import service", "I", lambda rows: import_service(cast.officer, rows, out)),
            ("import-export import_data (admin resource)", "X", lambda rows: import_admin_resource(office, rows)),
        ):
            prefix = BENCH_PREFIX + prefix
            _delete_units(prefix)
            try:
                info = run(_school_rows(prefix, n_rows))
            except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
                info = {"seconds": float("nan"), "error": f"{type(error).__name__}: {error}"}
            finally:
                _delete_units(prefix)
            results[label] = info
            bulk = results["raw bulk_create"]["seconds"]
            seconds = info["seconds"]
            rate = n_rows / seconds if seconds else float("nan")
            note = ""
            if info.get("refused"):
                note = (
                    f"  (one sheet refused after {info['refused_after']:.1f} s: {info['refused'][:70]}; "
                    f"imported in {info['parts']} parts)"
                )
            if info.get("errors"):
                note += f"  ({info['errors']} rows with errors)"
            if info.get("error"):
                note += f"  FAILED: {info['error'][:120]}"
            ratio = seconds / bulk if bulk else float("nan")
            out(f"  {label:<44} {rate:>9.0f} {seconds:>9.2f} {ratio:>13.1f}×{note}")
    return results


# --- 4. workbook ------------------------------------------------------------------------


def _workbook_through_view(cast: Cast) -> tuple[int, str]:
    """Bytes of the annual workbook as the user gets it: the dashboard's button starts a
    background job (POST), and the job is run here, in this process, as a worker would."""
    from django.test import Client, override_settings

    from jobs.models import Job
    from jobs.runner import execute

    client = Client()
    client.force_login(cast.department)
    queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with override_settings(TASKS=queue):
        response = client.post("/reports/annual-summary.xlsx", {"program": cast.program.slug, "year": cast.year})
    if response.status_code != 302:
        raise RuntimeError(f"the workbook job was not started (HTTP {response.status_code})")
    job = Job.objects.filter(user=cast.department).latest("created_at")
    execute(str(job.pk))
    job.refresh_from_db()
    size = job.size or 0
    if job.file:
        job.file.delete(save=False)
    job.delete()
    return size, "background job"


def _forked(function):
    """Runs ``function`` in a forked child; returns (its result, seconds, peak RSS MiB of
    the child). Database connections are closed first so the child opens its own."""
    import pickle
    import resource

    from django.db import connections

    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        code = 0
        try:
            start = time.perf_counter()
            result = function()
            payload = (result, time.perf_counter() - start, None)
        except BaseException as error:  # noqa: BLE001
            payload, code = (None, 0.0, f"{type(error).__name__}: {error}"), 1
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(payload, pipe)
        os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _pid, _status, usage = os.wait4(pid, 0)
    result, seconds, error = pickle.loads(data)
    if error:
        raise RuntimeError(error)
    del resource
    return result, seconds, usage.ru_maxrss / 1024


def copy_same_rows(cast: Cast) -> tuple[float, int, int]:
    """COPY (SELECT …) TO STDOUT of the querysets behind the workbook's sheets; returns
    (seconds, bytes, rows). Building the querysets (and the figures they need) is not timed."""
    from django.db import connection

    from programs.reports.workbook import annual_sheets

    sheets = annual_sheets(cast.department, cast.program, cast.year)
    statements = []
    with connection.cursor() as cursor:
        for sheet in sheets:
            if hasattr(sheet.rows, "query"):
                sql, params = sheet.rows.query.sql_with_params()
                statements.append(cursor.mogrify(sql, params).decode())
    size = rows = 0
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for statement in statements:
            stream = io.BytesIO()
            cursor.copy_expert(f"COPY ({statement}) TO STDOUT WITH (FORMAT csv, HEADER)", stream)
            size += stream.tell()
            rows += stream.getvalue().count(b"\n") - 1
    return time.perf_counter() - start, size, rows


def bench_workbook(cast: Cast, fork=True, out=print) -> dict:
    from django.db import connection

    if fork and hasattr(os, "fork"):
        (size, how), seconds, peak = _forked(lambda: _workbook_through_view(cast))
        memory = f"peak RSS {peak:.0f} MiB (ru_maxrss of the forked process)"
    else:
        tracemalloc.start()
        start = time.perf_counter()
        size, how = _workbook_through_view(cast)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        memory = f"peak {peak:.0f} MiB (tracemalloc)"
    out(f"annual workbook ({how}): {seconds:8.2f} s, {size / 2**20:6.1f} MiB, {memory}")
    result = {"seconds": seconds, "bytes": size, "peak_mib": peak}
    if connection.vendor == "postgresql":
        copy_seconds, copy_bytes, copy_rows = copy_same_rows(cast)
        out(
            f"COPY of the same querysets:  {copy_seconds:8.2f} s, {copy_bytes / 2**20:6.1f} MiB CSV, {copy_rows} rows"
            f"  → workbook / COPY = {seconds / copy_seconds if copy_seconds else float('nan'):.0f}×"
        )
        result["copy_seconds"] = copy_seconds
    else:
        out("COPY: skipped (not PostgreSQL)")
    return result


# --- 5. gunicorn ------------------------------------------------------------------------


def _hammer(url: str, seconds: float, threads: int) -> tuple[float, int, int]:
    """Requests/s of ``threads`` threads requesting ``url`` for ``seconds``; (rate, ok, failed)."""
    ok, failed = [0] * threads, [0] * threads
    stop = time.perf_counter() + seconds

    def worker(index):
        while time.perf_counter() < stop:
            try:
                with urllib.request.urlopen(url, timeout=120) as response:
                    response.read()
                    ok[index] += response.status == 200
            except (urllib.error.URLError, OSError):
                failed[index] += 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - start
    return sum(ok) / elapsed, sum(ok), sum(failed)


def bench_gunicorn(paths=("/", "/healthz/"), seconds=15.0, threads=8, port=8765, out=print) -> dict:
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver"}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "benchmarks.national:gunicorn_app()",
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    results = {}
    try:
        deadline = time.perf_counter() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                if time.perf_counter() > deadline or server.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        for path in paths:
            _hammer(base + path, min(3.0, seconds), 2)  # warm both workers
            results[path] = _hammer(base + path, seconds, threads)
    finally:
        server.terminate()
        server.wait(timeout=30)
    trivial = results.get("/healthz/", (float("nan"),))[0]
    out(f"gunicorn, 2 workers, {threads} client threads, {seconds:.0f} s each")
    for path, (rate, ok, failed) in results.items():
        ratio = rate / trivial if trivial else float("nan")
        out(f"  {path:<20} {rate:>9.1f} requests/s  ({ok} answered, {failed} failed)  {ratio:>6.3f}× the trivial view")
    return results


# --- main -------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the nation to generate (default 1)")
    parser.add_argument("--one-province", action="store_true", help="the whole movement in one province")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data even if it is there")
    parser.add_argument("--repeat", type=int, default=10, help="measured requests per page (default 10)")
    parser.add_argument("--page-budget", type=float, default=20.0, help="seconds per page before stopping early")
    parser.add_argument("--import-rows", type=int, default=5000, help="rows of the imported sheet (default 5 000)")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds of load per gunicorn measure")
    parser.add_argument("--threads", type=int, default=8, help="client threads for gunicorn (default 8)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--only", nargs="*", choices=SECTIONS, default=list(SECTIONS), help="sections to run (none: only the data)"
    )
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL database")
    configure_environment(database_url)
    ensure_database(database_url)

    import django

    django.setup()
    plain_static_storage()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    wanted = targets(args.scale, args.one_province)
    ensure_data(wanted, regenerate=args.regenerate)
    cast = bench_cast()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM schools_organization WHERE kind = 'school'")
        schools = cursor.fetchone()[0]
    found = current_counts()
    print()
    print(
        f"National benchmark — PostgreSQL {version}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(
        f"scale {args.scale:g}: {schools} schools, {found['pairs']} school pairs, {found['activities']} activities, "
        f"{found['donations']} donations over {found['provinces']} province(s); "
        f"staff pages as department staff of “{cast.province.name}”, year {cast.year}"
    )
    if "pages" in args.only:
        print()
        bench_pages(cast, args.repeat, args.page_budget)
    if "import" in args.only:
        print()
        bench_import(cast, args.import_rows)
    if "workbook" in args.only:
        print()
        bench_workbook(cast)
    if "gunicorn" in args.only:
        print()
        bench_gunicorn(seconds=args.seconds, threads=args.threads, port=args.port)


if __name__ == "__main__":
    main()
