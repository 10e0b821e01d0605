"""Measures the annual summary workbook and the dashboard figures: time, queries,
peak memory and file size.

Run from the project folder, against the database in the environment (SQLite file
by default, DATABASE_URL for PostgreSQL):

    .venv/bin/python benchmarks/annual_summary.py                       # demo data, sogd.hanoi
    .venv/bin/python manage.py generate_synthetic_data --pairs 10000 --activities 100000
    .venv/bin/python benchmarks/annual_summary.py --user synthetic.sogd --program synthetic-du-lieu-gia-lap
    .venv/bin/python manage.py generate_synthetic_data --remove

Time is the best of ``--repeat`` runs without memory tracing, as wall-clock time and
as this process's CPU time (steadier on a busy machine); peak memory is measured in
a separate run with tracemalloc (Python allocations while building) and the process's
maximum resident size (ru_maxrss) is printed at the end.
"""

import argparse
import io
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402

from programs.models import Activity, Pair  # noqa: E402
from programs.reports import figures  # noqa: E402
from programs.reports.params import report_params  # noqa: E402
from programs.reports.workbook import annual_sheets, write_csv, write_xlsx  # noqa: E402


def measure(label, function, repeat):
    """Best wall-clock and CPU time of ``repeat`` runs (CPU time of this process: the
    database work of PostgreSQL runs in the server and is in wall time only), then the
    peak of Python allocations in one more, traced, run."""
    best, best_cpu, result, queries = None, None, None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            result = function()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        queries = len(captured)
        best = elapsed if best is None else min(best, elapsed)
        best_cpu = cpu if best_cpu is None else min(best_cpu, cpu)
    tracemalloc.start()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<34} {best * 1000:8.0f} ms wall {best_cpu * 1000:8.0f} ms CPU  {queries:3d} queries"
        f"  peak {peak / 2**20:6.1f} MiB (tracemalloc)"
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--user", default="sogd.hanoi")
    parser.add_argument("--program", default="", help="program slug (default: the user's default)")
    parser.add_argument("--year", default="", help="school year, e.g. 2023-2024 (default: the report's default)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    translation.activate("vi")
    user = get_user_model().objects.get(username=args.user)
    params = report_params(user, {"program": args.program, "year": args.year})
    program, year = params.program, params.year
    pairs = Pair.objects.filter(program=program).count()
    activities = Activity.objects.filter(pair__program=program).count()
    print(f"database: {connection.vendor}; user {user.username}; program {program.slug}; year {year}")
    print(f"data: {pairs} pairs, {activities} activities in the program")

    measure("dashboard figures (build_report)", lambda: figures.build_report(user, program, year), args.repeat)

    def workbook():
        stream = io.BytesIO()
        write_xlsx(annual_sheets(user, program, year), stream)
        return stream.getvalue()

    data = measure("annual summary workbook (xlsx)", workbook, args.repeat)
    print(f"{'':<34} {len(data) / 2**20:9.2f} MiB file")

    def activities_csv():
        stream = io.StringIO()
        write_csv(annual_sheets(user, program, year, only="activities")[0], stream)
        return stream.getvalue()

    text = measure("activities sheet (csv)", activities_csv, args.repeat)
    print(f"{'':<34} {len(text.encode()) / 2**20:9.2f} MiB file")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory (ru_maxrss): {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
