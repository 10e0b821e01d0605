"""4. Workbook: the annual summary workbook through its view (in a forked process, for
its peak memory), next to PostgreSQL ``COPY`` of the same querysets' rows."""

from __future__ import annotations

import io
import os
import time
import tracemalloc

from benchmarks.national_parts.data import Cast


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
    """Times the annual workbook (forked, for its peak RSS; else traced by tracemalloc)
    and, on PostgreSQL, COPY of the same rows; prints both and returns the figures."""
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
