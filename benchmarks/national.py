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
   ``postgres://postgres@127.0.0.1:5432/twinning_bench``, PostgreSQL only), sets its
   ``random_page_cost`` to 1.1 as the README's production outline does, migrates it, and
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

``--only`` runs some of the sections (``pages import workbook gunicorn``). Each section
is a module of ``benchmarks/national_parts/``; this file is the command line. The
functions are also run at a tiny scale by ``tests/test_bench_smoke.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.national_parts import BENCH_PREFIX, DEFAULT_DATABASE_URL, SECTIONS  # noqa: E402
from benchmarks.national_parts.data import Cast, bench_cast, current_counts, ensure_data, targets  # noqa: E402
from benchmarks.national_parts.environment import (  # noqa: E402
    configure_environment,
    ensure_database,
    plain_static_storage,
)
from benchmarks.national_parts.imports import bench_import  # noqa: E402
from benchmarks.national_parts.pages import bench_pages, page_list  # noqa: E402
from benchmarks.national_parts.serving import bench_gunicorn  # noqa: E402
from benchmarks.national_parts.workbook import bench_workbook  # noqa: E402

# What tests/test_bench_smoke.py reaches through this file.
__all__ = ["BENCH_PREFIX", "bench_cast", "bench_import", "bench_pages", "bench_workbook", "ensure_data", "page_list"]


def main(argv=None):
    """Runs the benchmark as the command line asks: the data, then each section chosen."""
    args = parse_args(argv)
    cast = prepare(args)
    print_heading(args, cast)
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


def parse_args(argv) -> argparse.Namespace:
    """The command line's options, and ``database_url`` (DATABASE_URL or the default);
    exits with a message when that is not PostgreSQL."""
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
    args.database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("DATABASE_URL must name a PostgreSQL database")
    return args


def prepare(args) -> Cast:
    """Sets the environment up, creates and migrates the database, generates (or reuses)
    the synthetic nation and returns the cast the sections measure with."""
    configure_environment(args.database_url)
    ensure_database(args.database_url)

    import django

    django.setup()
    plain_static_storage()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    ensure_data(targets(args.scale, args.one_province), regenerate=args.regenerate)
    return bench_cast()


def print_heading(args, cast: Cast) -> None:
    """Prints what was measured: PostgreSQL's version, the time, the machine's load, and
    how much data of which province."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW random_page_cost")
        page_cost = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM schools_organization WHERE kind = 'school'")
        schools = cursor.fetchone()[0]
    found = current_counts()
    print()
    print(
        f"National benchmark — PostgreSQL {version}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, random_page_cost {page_cost}"
    )
    print(
        f"scale {args.scale:g}: {schools} schools, {found['pairs']} school pairs, {found['activities']} activities, "
        f"{found['donations']} donations over {found['provinces']} province(s); "
        f"staff pages as department staff of “{cast.province.name}”, year {cast.year}"
    )


if __name__ == "__main__":
    main()
