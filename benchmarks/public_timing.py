"""Time the public pages with a province-sized amount of data.

Builds a throwaway test database (SQLite in memory, or PostgreSQL `test_<name>` when
DATABASE_URL is set), loads the demo data, adds SCALE× a district's worth of schools,
school pairs, public activities and donations, gathers planner statistics (ANALYZE), then requests each public page
through Django's test client (no network, DEBUG off) and prints the median and the
slowest of the repeats, with the number of queries. Nothing is asserted.

    .venv/bin/python benchmarks/public_timing.py                 # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/twinning_w6 .venv/bin/python benchmarks/public_timing.py
    .venv/bin/python benchmarks/public_timing.py --scale 40 --repeat 15
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "public-timing-benchmark-" + "x" * 40)


def build(scale: int):
    """scale × (1 office partnership with 50 school pairs, 4 activities per pair,
    a donation per pair) on top of the demo data; returns the last partnership."""
    from programs.models import Program
    from schools.models import Area, Organization

    program = Program.objects.get(slug="nha-truong-cung-chung-tay-phat-trien-2022-2025")
    hanoi = Area.objects.get(slug="ha-noi")
    dept = Organization.objects.get(slug="so-gddt-ha-noi")
    for d in range(scale):
        partnership, schools = build_partnership(d, program, hanoi, dept)
        pairs = build_school_pairs(program, partnership, schools)
        build_activities_and_donations(program, pairs)
    return partnership


def build_partnership(d: int, program, hanoi, dept):
    """Two new districts of Hà Nội, each with an office and 50 schools, and the active
    partnership of the two offices; returns (partnership, the 100 schools, side a first)."""
    from programs.models import Pair
    from schools.models import Area, Organization
    from twinning.lib.text import fold, slugify_vi

    levels = ["preschool", "primary", "lower_secondary"]
    districts = [
        Area.objects.create(name=f"Quận đo {d}-{side}", designation="quận", kind="district", parent=hanoi)
        for side in ("a", "b")
    ]
    offices = []
    for side, district in zip("ab", districts, strict=True):
        name = f"Phòng GD&ĐT đo thử {d}{side}"
        offices.append(
            Organization.objects.create(kind="office", name=name, area=district, parent=dept, slug=slugify_vi(name))
        )
    partnership = Pair.objects.create(program=program, mentor=offices[0], mentee=offices[1], status="active")
    schools = []
    for side, (district, office) in enumerate(zip(districts, offices, strict=True)):
        for i in range(50):
            name = f"Trường đo thử Tây Mỗ {d}-{side}-{i:02d}"
            schools.append(
                Organization(
                    kind="school",
                    name=name,
                    slug=slugify_vi(name),
                    area=district,
                    province=hanoi,
                    parent=office,
                    level=levels[i % 3],
                    search_text=fold(name),
                )
            )
    Organization.objects.bulk_create(schools)
    return partnership, schools


def build_school_pairs(program, partnership, schools):
    """50 active school pairs under ``partnership``: the i-th school of side a helps
    the i-th of side b. Returns them."""
    from programs.models import Pair

    return Pair.objects.bulk_create(
        Pair(
            program=program,
            mentor=schools[i],
            mentee=schools[50 + i],
            mentor_kind="school",
            mentee_kind="school",
            mentor_province_id=schools[i].province_id,
            mentee_province_id=schools[50 + i].province_id,
            parent=partnership,
            status="active",
            started_on=datetime.date(2023, 9, 5),
        )
        for i in range(50)
    )


def build_activities_and_donations(program, pairs):
    """Four confirmed public activities a week apart and one donation for each pair."""
    from programs.models import Activity, Donation

    Activity.objects.bulk_create(
        Activity(
            pair=pair,
            kind="demonstration",
            status="confirmed",
            is_public=True,
            happened_on=datetime.date(2023, 10, 1) + datetime.timedelta(days=7 * k),
            title=f"Chuyên đề đo thử {k}",
            host=pair.mentor,
            description="Mô tả " * 40,
        )
        for pair in pairs
        for k in range(4)
    )
    Donation.objects.bulk_create(
        Donation(
            program=program,
            pair=pair,
            kind="gift",
            amount=10_000_000,
            given_on=datetime.date(2023, 11, 20),
            donor_org=pair.mentor,
            recipient=pair.mentee,
        )
        for pair in pairs
    )


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), max(times), len(queries), len(response.content)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=20, help="office partnerships of 50 school pairs to add")
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from programs.models import Activity, Pair
    from schools.models import Organization

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        call_command("seed_demo", verbosity=0)
        partnership = build(args.scale)
        # Production tables have planner statistics (autovacuum); fresh bulk-loaded
        # ones do not, and PostgreSQL then picks nested loops that take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"{connection.vendor}: {Organization.objects.count()} units, {Pair.objects.count()} pairs, "
            f"{Activity.objects.count()} activities"
        )
        client = Client()
        urls = [
            "/",
            "/pairs/",
            "/pairs/?q=tay+mo",
            "/pairs/?q=tay+mo&show=units",
            "/pairs/?q=dang+thai+mai",
            "/pairs/?level=primary&page=20",
            "/programs/nha-truong-cung-chung-tay-phat-trien-2022-2025/",
            partnership.get_absolute_url(),
            "/pairs/hn-taymo-md/",
            "/units/thcs-tay-mo/",
            "/activities/hd-taymo-nv6/",
        ]
        print(f"{'url':<62} {'median ms':>9} {'max ms':>7} {'queries':>7} {'HTML kB':>8}")
        for url in urls:
            median, slowest, queries, size = measure(client, url, args.repeat)
            print(f"{url:<62} {median:>9.1f} {slowest:>7.1f} {queries:>7} {size / 1024:>8.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
