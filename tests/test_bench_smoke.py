"""benchmarks/national.py at a tiny scale on the tests' database: every section but
gunicorn runs and every page it measures answers. Timings are printed, never asserted."""

import importlib.util
import sys
from pathlib import Path

import pytest

from schools.models import Organization

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "national.py"


@pytest.fixture
def national():
    spec = importlib.util.spec_from_file_location("benchmarks_national", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_national_benchmark_runs_at_a_tiny_scale(db, national):
    lines = []
    wanted = {"pairs": 4, "activities": 24, "donations": 6, "provinces": 2}
    national.ensure_data(wanted, verbosity=0)
    assert national.ensure_data(wanted, verbosity=0) == 0.0  # reused
    cast = national.bench_cast()

    rows = national.bench_pages(cast, repeat=1, budget=1, out=lines.append)
    assert len(rows) == len(national.page_list(cast))
    assert [(label, page.status, admin.status) for label, _url, page, _admin_url, admin in rows] == [
        (label, 200, 200) for label, *_ in rows
    ]

    results = national.bench_import(cast, n_rows=3, out=lines.append)
    assert all("error" not in info for info in results.values()), results
    assert not Organization.objects.filter(code__startswith=national.BENCH_PREFIX).exists()  # cleaned up

    workbook = national.bench_workbook(cast, fork=False, out=lines.append)
    assert workbook["bytes"] > 0
    print("\n".join(lines))
