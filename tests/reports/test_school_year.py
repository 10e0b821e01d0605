"""Issue 10: every figure of a school year is the figure of that year — the pairs
running during it, grouped by the managing bodies of the time — on the dashboard,
the printable report, the annual workbook and the rows behind them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from programs.models import Pair, Program
from programs.reports import figures
from schools.models import Organization
from tests.helpers import annual_workbook, page_text
from twinning.lib.schoolyear import current_school_year

HANOI = "nha-truong-cung-chung-tay-phat-trien-2022-2025"
PHASE = "nha-truong-cung-chung-tay-phat-trien-2025-2030-minh-hoa"


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)
    return get_user_model().objects.get(username="sogd.hanoi")


def codes(report):
    return {row.code for row in report.pairs}


def test_the_long_bien_me_linh_pairs_first_count_in_2023_2024(demo):
    program = Program.objects.get(slug=HANOI)
    lb_ml = set(Pair.objects.filter(code__regex=r"^hn-lb(-ml|ml-)").values_list("code", flat=True))
    assert len(lb_ml) == 17  # the partnership signed on 11/03/2024 and its 16 school pairs
    assert not lb_ml & codes(figures.build_report(demo, program, "2022-2023"))
    assert lb_ml <= codes(figures.build_report(demo, program, "2023-2024"))


def test_the_dashboard_report_workbook_and_rows_agree_on_2022_2023(demo, client):
    client.force_login(demo)
    program = Program.objects.get(slug=HANOI)
    report = figures.build_report(demo, program, "2022-2023")
    running = Pair.objects.filter(program=program).in_school_year("2022-2023")
    assert report.total.active + report.total.pairs_by_status["ended"] == running.count() == len(report.pairs)
    assert not any(code.startswith("hn-lb") for code in running.values_list("code", flat=True))
    params = {"program": HANOI, "year": "2022-2023"}
    dashboard = page_text(client.get("/reports/", params))
    printed = page_text(client.get(f"/reports/annual/{HANOI}/2022-2023/"))
    for page in (dashboard, printed):
        assert "Phòng GD&ĐT Long Biên" not in page and "Phòng GD&ĐT Mê Linh" not in page
        assert "Phòng GD&ĐT Nam Từ Liêm" in page and "Phòng GD&ĐT Thanh Trì" in page
    rows = page_text(client.get("/reports/pairs/", params))
    assert f"{len(report.pairs)} cặp" in rows or f"Tìm thấy {len(report.pairs)}" in rows or "Long Biên" not in rows
    workbook = annual_workbook(client, **params)
    sheet = workbook["Cặp kết nghĩa"]
    assert sheet.max_row == len(report.pairs) + 2  # the title row, the header row, a row per pair
    names = " ".join(str(c.value) for row in sheet.iter_rows(min_row=3) for c in row if c.value)
    assert "Long Biên" not in names and "Mê Linh" not in names


def test_a_year_is_grouped_by_the_managing_bodies_of_its_time(demo):
    taymo = Organization.objects.get(short_name="THCS Tây Mỗ")
    ntl = Organization.objects.get(slug="phong-gddt-nam-tu-liem")
    old = figures.build_report(demo, Program.objects.get(slug=HANOI), "2022-2023")
    pair = next(row for row in old.pairs if row.code == "hn-taymo-md")
    assert pair.units[0] == ntl.pk  # Tây Mỗ stood under the Nam Từ Liêm office then
    now = figures.build_report(demo, Program.objects.get(slug=PHASE), current_school_year())
    pair = next(row for row in now.pairs if row.code == "hn-tm-nmai")
    assert pair.units[0] == taymo.parent_id and taymo.parent.kind == "commune_committee"


def test_a_pair_registered_today_counts_only_in_the_current_year(demo):
    program = Program.objects.get(slug=PHASE)
    mentor = Organization.objects.get(short_name="THCS Tây Mỗ")
    mentee = Organization.objects.filter(slug__startswith="ptnt-lien-cap-").exclude(
        pk__in=Pair.objects.filter(mentor=mentor).values("mentee")
    )[0]
    pair = Pair.objects.create(
        program=program, mentor=mentor, mentee=mentee, status="active", started_on=timezone.localdate()
    )
    year = current_school_year()
    last_year = f"{int(year[:4]) - 1}-{year[:4]}"
    assert pair.code in codes(figures.build_report(demo, program, year))
    assert pair.code not in codes(figures.build_report(demo, program, last_year))


def test_quiet_pairs_are_counted_as_of_the_end_of_each_year(demo):
    program = Program.objects.get(slug=HANOI)
    by_year = {year: figures.build_report(demo, program, year).total.quiet for year in program.school_years}
    assert len(set(by_year.values())) > 1, by_year
    end = datetime.date(2023, 8, 31)
    expected = Pair.objects.filter(program=program).quiet(today=end).count()
    assert by_year["2022-2023"] == expected
