"""2. Pages: each public and staff page through Django's test client, p50 and p95 server
time, queries and size, next to the Django admin changelist over the same rows."""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass
from urllib.parse import quote

from benchmarks.national_parts.data import Cast
from twinning.lib.warm import freeze_long_lived


@dataclass
class Timing:
    """One page measured: server time in ms, queries and HTML size of the last request."""

    p50: float
    p95: float
    queries: int
    kb: float
    status: int
    runs: int


def percentile(values, fraction):
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def time_page(client, url, repeat=10, budget=20.0) -> Timing:
    """p50/p95 of up to ``repeat`` requests after a warm-up one (at least 3 when the
    page is slow: stops once ``budget`` seconds are spent)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: templates, caches, connection
    # What the warm-up loaded for good is frozen, as in a web worker that has served
    # this page before (twinning/wsgi.py and twinning/lib/warm.py).
    freeze_long_lived()
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


# Marks a page measured with the reports' figures cache off (REPORT_CACHE_SECONDS=0):
# the other report rows read the figures kept after the warm-up request.
UNCACHED = " (no cache)"


def page_list(cast: Cast) -> list[tuple[str, str, object, str]]:
    """(label, url, user or None, admin changelist over the same rows)."""
    from django.contrib import admin

    from programs.models import Pair

    program, year = cast.program, cast.year
    annual = f"/reports/annual/{program.slug}/{year}/"
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
        ("department: printable report", annual, dept, program_activities),
        # The same two, their figures worked out on every visit (as after each write).
        (f"department: reports dashboard{UNCACHED}", "/reports/" + report, dept, program_activities),
        (f"department: printable report{UNCACHED}", annual, dept, program_activities),
        ("office officer: workspace home", "/workspace/", office, pairs_admin + in_program),
        ("office officer: pairs", "/workspace/pairs/", office, pairs_admin + in_program),
        ("office officer: reports dashboard", "/reports/" + report, office, activities_admin),
        ("principal: workspace home", "/workspace/", head, activities_admin + f"?q={school_q}"),
        ("principal: activities", "/workspace/activities/", head, activities_admin + f"?q={school_q}"),
    ]


def bench_pages(cast: Cast, repeat=10, budget=20.0, out=print) -> list:
    """Times every page of ``page_list`` and its admin changelist (each changelist once);
    prints a line per page and returns [(label, url, page Timing, admin url, admin Timing)]."""
    from django.test import Client, override_settings

    clients = {}

    def client_for(user):
        key = user.pk if user else None
        if key not in clients:
            clients[key] = Client()
            if user is not None:
                clients[key].force_login(user)
        return clients[key]

    admin_client = client_for(cast.superuser)
    # As twinning/wsgi.py does in each app server: what is loaded so far is left out of
    # the garbage collector's full collections.
    freeze_long_lived()
    admin_cache = {}
    rows = []
    out(
        f"{'page':<42} {'p50 ms':>8} {'p95 ms':>8} {'q':>4} {'kB':>6} | {'admin changelist':<44} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'q':>4} | {'p95 ratio':>9}"
    )
    for label, url, user, admin_url in page_list(cast):
        if label.endswith(UNCACHED):
            with override_settings(REPORT_CACHE_SECONDS=0):
                page = time_page(client_for(user), url, repeat, budget)
        else:
            page = time_page(client_for(user), url, repeat, budget)
        if admin_url not in admin_cache:
            admin_cache[admin_url] = time_page(admin_client, admin_url, repeat, budget)
        adm = admin_cache[admin_url]
        flag = "" if page.status == 200 else f" [HTTP {page.status}]"
        aflag = "" if adm.status == 200 else f" [HTTP {adm.status}]"
        ratio = page.p95 / adm.p95 if adm.p95 else float("nan")
        out(
            f"{label:<42} {page.p50:>8.1f} {page.p95:>8.1f} {page.queries:>4} {page.kb:>6.0f} | "
            f"{(admin_url[:44]):<44} {adm.p50:>8.1f} {adm.p95:>8.1f} {adm.queries:>4} | {ratio:>8.1f}×{flag}{aflag}"
        )
        rows.append((label, url, page, admin_url, adm))
    return rows
