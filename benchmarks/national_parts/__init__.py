"""The sections of the national benchmark (``benchmarks/national.py``, ``make bench``),
one module each, in the order the benchmark runs them:

- ``environment``: production-like settings, the PostgreSQL database, gunicorn's app;
- ``data``: the synthetic nation (``generate_synthetic_data``) and the cast measured;
- ``pages``: each page next to the admin changelist over the same rows;
- ``imports``: the workspace import next to import-export and ``bulk_create``;
- ``workbook``: the annual workbook next to ``COPY`` of the same rows;
- ``serving``: requests per second under gunicorn next to a trivial view.

Nothing here imports Django at module level: ``environment.configure_environment``
must run before ``django.setup()``.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/twinning_bench"
NATION = {"pairs": 25_000, "activities": 500_000, "donations": 100_000, "provinces": 34}
SECTIONS = ("pages", "import", "workbook", "gunicorn")
PROGRAM_SLUG = "synthetic-du-lieu-gia-lap"  # generate_synthetic_data's program
BENCH_PREFIX = "SYN-B"  # codes of imported schools: generate_synthetic_data --remove deletes them too
