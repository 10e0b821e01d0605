"""Time the officers' workspace (issue 3) as the data grows.

Builds a throwaway test database (in-memory SQLite, or PostgreSQL with DATABASE_URL)
holding one province with many offices and schools, then measures with Django's test
client, per size:

- the officer's home /workspace/ (queries and median time),
- the pair list /workspace/pairs/,
- the unit picker's search /workspace/units/search/ among thousands of schools,
- the import of a sheet of schools: preview (dry run) and confirmation.

    .venv/bin/python benchmarks/officer_workspace.py
    .venv/bin/python benchmarks/officer_workspace.py --sizes 50 500 2000 --import-rows 1000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twinning_w3 .venv/bin/python benchmarks/officer_workspace.py

Prints a table; nothing is asserted (timings are never asserted in tests).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 2000], help="pairs of the measured office")
    parser.add_argument("--schools", type=int, default=5000, help="schools in the province (picker search)")
    parser.add_argument("--import-rows", type=int, default=1000, help="rows of the imported sheet")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args, CaptureQueriesContext, connection)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def timed(client, url, repeat, capture, connection, method="get", data=None):
    times = []
    queries = 0
    for _ in range(repeat):
        with capture(connection) as captured:
            start = time.perf_counter()
            response = getattr(client, method)(url, data or {})
            times.append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (url, response.status_code)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def run(args, capture, connection):
    """Builds the province, then measures the home and the pair list at each size, the
    unit picker's search and the import of a sheet of schools; prints each result."""
    from django.test import Client

    world = make_province()
    client = Client()
    client.force_login(world.officer)
    print(f"database: {connection.vendor}")
    bench_lists(client, world, args, capture, connection)
    bench_picker(client, world, args, capture, connection)
    bench_import(client, args.import_rows)


class Province:
    """The measured province: its department's program, the officer's own office and
    another office of the province, in one district."""

    def __init__(self, hanoi, district, program, own, other, officer):
        self.hanoi, self.district, self.program = hanoi, district, program
        self.own, self.other, self.officer = own, other, officer

    def add_schools(self, office, prefix, n, start=0):
        """Creates ``n`` primary schools of ``office`` named "<prefix> <number>",
        numbered from ``start``; returns them."""
        from schools.models import Organization
        from twinning.lib.text import fold

        rows = []
        for i in range(start, start + n):
            name = f"Trường Tiểu học {prefix} {i:05d}"
            rows.append(
                Organization(
                    name=name,
                    kind="school",
                    level="primary",
                    parent=office,
                    area=self.district,
                    province=self.hanoi,
                    slug=f"{fold(prefix).replace(' ', '-')}-{i}",
                    search_text=fold(name),
                )
            )
        return Organization.objects.bulk_create(rows)


def make_province() -> Province:
    """Hà Nội with its department, a program it organizes, two offices and an officer
    of the first one (no schools yet)."""
    from django.contrib.auth import get_user_model

    from programs.models import Program
    from schools.models import Area, Membership, Organization

    hanoi = Area.objects.create(name="Hà Nội", kind="province", slug="ha-noi")
    district = Area.objects.create(name="Long Biên", kind="district", parent=hanoi, slug="long-bien")
    dept = Organization.objects.create(name="Sở GD&ĐT Hà Nội", kind="department", area=hanoi)
    program = Program.objects.create(name="Nhà trường cùng chung tay phát triển", start_year=2022, end_year=2025)
    program.organizers.set([dept])
    own = Organization.objects.create(name="Phòng GD&ĐT Long Biên", kind="office", area=district, parent=dept)
    other = Organization.objects.create(name="Phòng GD&ĐT Mê Linh", kind="office", area=hanoi, parent=dept)
    officer = get_user_model().objects.create_user("phong.lb", password="x")
    Membership.objects.create(user=officer, organization=own, role="office_officer")
    return Province(hanoi, district, program, own, other, officer)


def bench_lists(client, world: Province, args, capture, connection):
    """Grows the officer's pairs to each of ``args.sizes`` and times the home and the
    pair list at each size."""
    from programs.models import Pair

    print(f"{'pairs':>6} | {'home ms':>8} {'q':>3} | {'list ms':>8} {'q':>3}")
    made = 0
    statuses = ["active", "active", "active", "proposed", "ended"]
    for size in args.sizes:
        mine = world.add_schools(world.own, "Long Biên", size - made, made)
        theirs = world.add_schools(world.other, "Mê Linh", size - made, made)
        Pair.objects.bulk_create(
            Pair(
                program=world.program,
                mentor=a,
                mentee=b,
                mentor_kind="school",
                mentee_kind="school",
                mentor_province_id=a.province_id,
                mentee_province_id=b.province_id,
                status=statuses[i % len(statuses)],
                proposed_by_org=world.other,
                code=f"b{made + i:09d}",
            )
            for i, (a, b) in enumerate(zip(mine, theirs, strict=True))
        )
        made = size
        home_ms, home_q = timed(client, "/workspace/", args.repeat, capture, connection)
        list_ms, list_q = timed(client, "/workspace/pairs/", args.repeat, capture, connection)
        print(f"{size:>6} | {home_ms:>8.1f} {home_q:>3} | {list_ms:>8.1f} {list_q:>3}")


def bench_picker(client, world: Province, args, capture, connection):
    """Fills the province up to ``args.schools`` schools and times the unit picker's
    search for a few texts."""
    from schools.models import Organization

    extra = max(0, args.schools - Organization.objects.filter(kind="school").count())
    world.add_schools(world.other, "Sóc Sơn", extra)
    total = Organization.objects.filter(kind="school").count()
    for text in ("soc son 0049", "tieu hoc", "me linh 00012"):
        ms, q = timed(
            client, "/workspace/units/search/", args.repeat, capture, connection, data={"kind": "school", "q": text}
        )
        print(f"picker search among {total} schools, {text!r}: {ms:.1f} ms, {q} queries")


def bench_import(client, import_rows):
    """Times the import of a sheet of ``import_rows`` new schools (upload, preview,
    confirm), then the preview of the same sheet again, where nothing changes."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from schools.models import Organization
    from tests.helpers import xlsx_bytes

    header = ["Mã đơn vị", "Tên đơn vị", "Cấp học", "Quận/huyện"]
    rows = [header] + [
        [f"BM-{i:05d}", f"Trường Mầm non Thử {i:05d}", "Mầm non", "Long Biên"] for i in range(import_rows)
    ]
    content = xlsx_bytes(rows)
    start = time.perf_counter()
    response = client.post(
        "/workspace/import/", {"kind": "schools", "file": SimpleUploadedFile("truong.xlsx", content)}
    )
    upload_ms = (time.perf_counter() - start) * 1000
    preview_url = response["Location"]
    start = time.perf_counter()
    page = client.get(preview_url)
    preview_ms = (time.perf_counter() - start) * 1000
    assert page.context["report"]["ok"], page.context["report"]["errors"][:3]
    start = time.perf_counter()
    response = client.post(preview_url + "confirm/")
    confirm_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 302
    assert Organization.objects.filter(code__startswith="BM-").count() == import_rows
    print(
        f"import of {import_rows} schools: upload {upload_ms:.0f} ms, "
        f"preview {preview_ms:.0f} ms, confirm {confirm_ms:.0f} ms"
    )
    response = client.post(
        "/workspace/import/", {"kind": "schools", "file": SimpleUploadedFile("truong.xlsx", content)}
    )
    start = time.perf_counter()
    client.get(response["Location"])
    print(f"re-import preview (all unchanged): {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
