"""Issue 14 §1–§4: school indicators per school year (form and Excel), the gap between
the two schools of a pair over the years, pair goals with evidence, and pair health."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from outcomes import goals as goal_service
from outcomes import health, reads, services
from outcomes.importing import import_values
from outcomes.models import Goal, Indicator, IndicatorValue, PairGap, PairHealth
from programs.models import Pair, Plan, PlanItem
from programs.services.imports import read_sheet
from tests import factories as f
from tests.helpers import page_text, xlsx_bytes
from twinning.lib.schoolyear import current_school_year

D = Decimal
BASE, Y1, Y2 = "2021-2022", "2022-2023", "2023-2024"  # taymo_md began on 05/09/2022


@pytest.fixture
def teachers(cast):
    return Indicator.objects.create(
        owner=cast.dept,
        code="gv_chuan",
        name="Tỉ lệ giáo viên đạt chuẩn",
        unit="%",
        minimum=0,
        maximum=100,
        tolerance=D("1"),
        is_public=True,
    )


@pytest.fixture
def dropout(cast):
    return Indicator.objects.create(
        owner=cast.dept,
        code="bo_hoc",
        name="Tỉ lệ bỏ học",
        unit="%",
        direction="lower",
        decimals=2,
        minimum=0,
        maximum=100,
        tolerance=D("0.1"),
    )


def _values(indicator, school, **by_year):
    for year, value in by_year.items():
        IndicatorValue.objects.create(
            indicator=indicator, school=school, school_year=year[1:].replace("_", "-"), value=D(value)
        )


def _refresh(cast):
    services.refresh_gaps(school_ids=[cast.taymo.pk, cast.school_md.pk])


# --- the calculation --------------------------------------------------------------------


def test_the_gap_narrows_when_the_helped_school_catches_up(cast, teachers):
    _values(teachers, cast.taymo, y2021_2022="95", y2022_2023="96", y2023_2024="97")
    _values(teachers, cast.school_md, y2021_2022="75", y2022_2023="82", y2023_2024="90")
    _refresh(cast)
    gaps = {g.school_year: g for g in PairGap.objects.filter(pair=cast.taymo_md)}
    assert gaps[BASE].behind == 20 and gaps[BASE].trend == "unknown"
    assert (gaps[Y2].behind, gaps[Y2].base_behind, gaps[Y2].trend) == (7, 20, "narrowed")


def test_lower_is_better_counts_the_helped_school_behind_when_its_rate_is_higher(cast, dropout):
    _values(dropout, cast.taymo, y2021_2022="0.2", y2023_2024="0.2")
    _values(dropout, cast.school_md, y2021_2022="1.5", y2023_2024="2.0")
    _refresh(cast)
    latest = PairGap.objects.get(pair=cast.taymo_md, school_year=Y2)
    assert latest.behind == D("1.8") and latest.trend == "widened"


def test_a_change_within_the_tolerance_is_held_and_overtaking_is_narrowing(cast, teachers, dropout):
    _values(teachers, cast.taymo, y2021_2022="90", y2022_2023="90")
    _values(teachers, cast.school_md, y2021_2022="80", y2022_2023="80.5")
    _values(dropout, cast.taymo, y2021_2022="0.5", y2022_2023="0.9")
    _values(dropout, cast.school_md, y2021_2022="1.0", y2022_2023="0.4")
    _refresh(cast)
    assert PairGap.objects.get(pair=cast.taymo_md, indicator=teachers, school_year=Y1).trend == "held"
    ahead = PairGap.objects.get(pair=cast.taymo_md, indicator=dropout, school_year=Y1)
    assert ahead.behind == D("-0.5") and ahead.trend == "narrowed"


def test_missing_years_give_no_gap_and_no_base_gives_no_trend(cast, teachers):
    _values(teachers, cast.taymo, y2022_2023="96", y2023_2024="97")  # no base year value
    _values(teachers, cast.school_md, y2023_2024="90")  # nothing in 2022–2023
    _refresh(cast)
    assert list(PairGap.objects.values_list("school_year", "trend")) == [(Y2, "unknown")]
    counts = reads.trend_counts(type(cast.taymo_md).objects.all(), Y2)
    assert (counts[0]["unknown"], counts[0]["measured"]) == (1, 0)


def test_the_programs_counts_take_each_pairs_latest_year_up_to_the_report(cast, teachers):
    _values(teachers, cast.taymo, y2021_2022="95", y2022_2023="95", y2023_2024="95")
    _values(teachers, cast.school_md, y2021_2022="75", y2022_2023="70", y2023_2024="90")
    _refresh(cast)
    pairs = type(cast.taymo_md).objects.all()
    assert reads.trend_counts(pairs, Y1)[0]["widened"] == 1
    assert reads.trend_counts(pairs, Y2)[0]["narrowed"] == 1


# --- entering values ---------------------------------------------------------------------


def test_the_principal_enters_the_schools_values_with_a_decimal_comma(cast, teachers, dropout, client_for):
    client = client_for(cast.users.principal_md)
    url = reverse("outcomes:school-values", args=[cast.school_md.slug]) + f"?year={Y1}"
    page = page_text(client.post(url, {f"i{teachers.pk}": "abc", f"i{dropout.pk}": "150"}))
    assert "“abc” không phải là số." in page and "Giá trị phải trong khoảng 0 – 100." in page
    assert not IndicatorValue.objects.exists()
    response = client.post(url, {f"i{teachers.pk}": "82,5", f"i{dropout.pk}": "1,25"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(indicator=teachers, school=cast.school_md, school_year=Y1).value == D("82.5")
    assert IndicatorValue.objects.get(indicator=dropout).history.first().history_user == cast.users.principal_md
    # Another school's principal may not enter Mỹ Đức's values.
    assert client_for(cast.users.principal_taymo).get(url).status_code in (403, 404)
    assert client_for(cast.users.outsider).get(url).status_code in (302, 403, 404)


def test_an_indicator_entered_by_the_department_is_read_only_for_the_school(cast, teachers, client_for):
    teachers.entered_by = Indicator.EnteredBy.DEPARTMENT
    teachers.save()
    assert not services.may_enter(cast.users.principal_md, cast.school_md, teachers)
    assert services.may_enter(cast.users.staff_hn, cast.school_md, teachers)
    with pytest.raises(ValidationError):
        services.save_values(
            user=cast.users.principal_md, school=cast.school_md, school_year=Y1, values={teachers: D("80")}
        )


def _sheet(rows):
    return read_sheet(xlsx_bytes(rows))


def test_the_departments_sheet_is_imported_all_or_nothing_with_row_messages(cast, teachers, dropout):
    header = ["Mã trường", "Tên trường", "Năm học", "Tỉ lệ giáo viên đạt chuẩn (%)", "bo_hoc"]
    bad = _sheet(
        [
            header,
            ["HN-TM", "Tây Mỗ", "2022-2023", "96", "0,2"],
            ["XX-1", "?", "2022-2023", "90", ""],
            ["HN-MDA", "Mỹ Đức A", "2022/23", "80", ""],
            ["HN-MDA", "Mỹ Đức A", "2022-2023", "80", "nhiều"],
            ["HN-TM", "Tây Mỗ", "2022–2023", "97", ""],
        ]
    )
    outcome = import_values(user=cast.users.staff_hn, sheet=bad)
    assert outcome.errors == [
        "Dòng 3: không có trường mã “XX-1” trong các trường được nhập số liệu.",
        "Dòng 4, cột “Năm học”: ghi năm học theo dạng 2024-2025.",
        "Dòng 5, cột “Tỉ lệ bỏ học (%)”: “nhiều” không phải là số.",
        "Dòng 6: Trường THCS Tây Mỗ, năm học 2022-2023 đã có ở dòng 2.",
    ]
    assert not IndicatorValue.objects.exists()
    good = _sheet(
        [
            header,
            ["HN-TM", "", "2021-2022", "95", "0,2"],
            ["HN-MDA", "", "2021-2022", "75", "1,5"],
            ["hn-tm", "", "2022-2023", "96", ""],
            ["HN-MDA", "", "2022-2023", "85", "0,9"],
        ]
    )
    outcome = import_values(user=cast.users.staff_hn, sheet=good)
    assert (outcome.errors, outcome.created, outcome.rows) == ([], 7, 4)
    gap = PairGap.objects.get(pair=cast.taymo_md, indicator=teachers, school_year=Y1)
    assert (gap.behind, gap.trend) == (11, "narrowed")


def test_the_import_refuses_columns_that_are_not_the_departments(cast, teachers):
    outcome = import_values(
        user=cast.users.staff_hn, sheet=_sheet([["Mã trường", "Năm học", "Sĩ số"], ["HN-TM", "2022-2023", "5"]])
    )
    assert outcome.errors[0] == "Cột “Sĩ số” không phải chỉ số của Sở."


def test_the_template_lists_the_indicators_and_the_schools(cast, teachers, client_for):
    response = client_for(cast.users.staff_hn).get(reverse("outcomes:template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:4] == ["Mã trường", "Tên trường", "Năm học", "Tỉ lệ giáo viên đạt chuẩn (%)"]
    assert "HN-TM" in [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert client_for(cast.users.staff_na).get(reverse("outcomes:template")).status_code == 403


# --- where the gap shows ------------------------------------------------------------------


@pytest.fixture
def gap_data(cast, teachers, dropout):
    _values(teachers, cast.taymo, y2021_2022="95", y2022_2023="96", y2023_2024="97")
    _values(teachers, cast.school_md, y2021_2022="75", y2022_2023="82", y2023_2024="90")
    _values(dropout, cast.taymo, y2021_2022="0.2", y2023_2024="0.2")
    _values(dropout, cast.school_md, y2021_2022="1.5", y2023_2024="2.0")
    _refresh(cast)


def test_the_pair_page_shows_both_schools_the_gap_and_its_trend(cast, gap_data, client_for):
    page = page_text(
        client_for(cast.users.principal_md).get(reverse("workspace:pair-detail", args=[cast.taymo_md.code]))
    )
    assert "Chỉ số của hai trường" in page
    assert "Khoảng cách thu hẹp so với năm học 2021–2022" in page
    assert "Khoảng cách nới rộng so với năm học 2021–2022" in page
    assert "2021–2022 trước khi kết nghĩa 95,0 75,0 20,0" in page


def test_the_dashboard_report_workbook_and_public_page_carry_the_gaps(cast, gap_data, client_for):
    params = {"program": cast.program.slug, "year": Y2}
    staff = client_for(cast.users.staff_hn)
    dashboard = page_text(staff.get(reverse("reports:dashboard"), params))
    assert "Trường được giúp đỡ có tiến bộ không?" in dashboard
    assert "Tỉ lệ giáo viên đạt chuẩn (%) 1 0 0 0" in dashboard and "Tỉ lệ bỏ học (%) 0 0 1 0" in dashboard
    report = page_text(staff.get(reverse("reports:annual-report", args=[cast.program.slug, Y2])))
    assert "CHỈ SỐ: KHOẢNG CÁCH GIỮA HAI TRƯỜNG" in report
    from programs.reports.workbook import annual_sheets

    (sheet,) = annual_sheets(cast.users.staff_hn, cast.program, Y2, only="gaps")
    exported = sheet.resource.export(queryset=sheet.rows)
    assert exported.headers[:3] == ["Mã cặp kết nghĩa", "Cặp kết nghĩa", "Chỉ số"]
    assert {row[9] for row in exported} == {"thu hẹp", "nới rộng"}
    public = page_text(client_for(cast.users.outsider).get(cast.program.get_absolute_url()))
    # Only the public indicator, only as counts; never a school's value.
    assert "Tỉ lệ giáo viên đạt chuẩn (%) 1 0 0 0" in public
    assert "Tỉ lệ bỏ học" not in public and "90,0" not in public and "82,0" not in public


def test_an_officer_outside_the_pair_sees_no_gap(cast, gap_data, client_for):
    response = client_for(cast.users.officer_lb).get(reverse("workspace:pair-detail", args=[cast.taymo_md.code]))
    assert response.status_code == 404


# --- goals -----------------------------------------------------------------------------------


def test_a_goal_on_an_indicator_is_met_when_the_helped_school_reaches_the_target(cast, teachers, client_for):
    client = client_for(cast.users.principal_taymo)
    lesson = f.activity(cast.taymo_md, title="Chuyên đề Toán 7", happened_on=datetime.date(2023, 3, 2))
    other = f.activity(cast.ntl_md, title="Của cặp khác")
    response = client.post(
        reverse("outcomes:goal-new", args=[cast.taymo_md.code]),
        {
            "text": "90 % giáo viên Mỹ Đức A đạt chuẩn",
            "indicator": teachers.pk,
            "target": "90",
            "due_year": current_school_year(),
            "status": "planned",
            "activities": [lesson.pk],
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get()
    assert goal.status == "planned" and list(goal.activities.all()) == [lesson]
    services.save_values(user=cast.users.staff_hn, school=cast.school_md, school_year=Y1, values={teachers: D("85")})
    goal.refresh_from_db()
    assert goal.status == "on_track"
    services.save_values(user=cast.users.staff_hn, school=cast.school_md, school_year=Y2, values={teachers: D("91")})
    goal.refresh_from_db()
    assert goal.status == "met"
    page = page_text(client.get(reverse("workspace:pair-detail", args=[cast.taymo_md.code])))
    assert "Đã đạt 90 % giáo viên Mỹ Đức A đạt chuẩn" in page and "Minh chứng: 02/03/2023 Chuyên đề Toán 7" in page
    # Evidence from another pair is refused; another school's principal cannot set goals here.
    with pytest.raises(ValidationError):
        goal_service.goal_save(goal=goal, user=cast.users.principal_taymo, activities=[other])
    assert (
        client_for(cast.users.principal_lb).get(reverse("outcomes:goal-new", args=[cast.taymo_md.code])).status_code
        == 404
    )


def test_a_goal_past_its_year_without_the_target_is_not_met(cast, teachers):
    goal = Goal.objects.create(pair=cast.taymo_md, text="Đạt 95 %", indicator=teachers, target=D("95"), due_year=Y1)
    _values(teachers, cast.school_md, y2022_2023="90")
    goal_service.refresh_goals([cast.taymo_md])
    goal.refresh_from_db()
    assert goal.status == "missed"


def test_the_review_shows_the_goals(cast, teachers, client_for):
    Goal.objects.create(pair=cast.taymo_md, text="Mở 2 chuyên đề", due_year=Y1, status="on_track")
    page = page_text(
        client_for(cast.users.staff_hn).get(reverse("workspace:review-detail", args=[cast.taymo_md.code, Y1]))
    )
    assert "Mục tiêu của cặp" in page and "Đúng tiến độ Mở 2 chuyên đề" in page


# --- health ------------------------------------------------------------------------------------


def test_health_says_why_and_takes_the_worst_mark(cast):
    today = timezone.localdate()
    pair = cast.taymo_md
    marks = health.assess([pair], today)
    mark, reasons = marks[pair.pk]
    assert mark == "at_risk"  # no activity since 2022
    texts = [health.reason_text(r) for r in reasons]
    assert any(t.startswith("Chưa có hoạt động nào từ khi kết nghĩa") for t in texts)
    f.activity(pair, title="Giao lưu", happened_on=today - datetime.timedelta(days=3))
    year = current_school_year()
    plan = Plan.objects.create(pair=pair, school_year=year, status="accepted")
    first = datetime.date(int(year[:4]), 9, 1)
    if first < today.replace(day=1):
        PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu tháng 9", planned_month=first)
    mark, reasons = health.assess([pair], today)[pair.pk]
    rules = {r[0] for r in reasons}
    assert "last_activity" not in rules
    assert "review" in rules  # last year's review was not submitted


def test_the_pair_list_filters_and_sorts_by_health_in_a_fixed_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    health.refresh()
    assert PairHealth.objects.count() == 3
    client = client_for(cast.users.staff_hn)
    page = page_text(client.get(reverse("workspace:pair-list"), {"health": "at_risk", "order": "health"}))
    assert "Có nguy cơ" in page and "THCS Tây Mỗ → Trường THCS Mỹ Đức A" in page
    # session, user, scope, count, page of pairs with their health, unread notifications
    with django_assert_max_num_queries(9):
        client.get(reverse("workspace:pair-list"), {"order": "health"})
    assert page_text(client.get(reverse("workspace:pair-list"), {"health": "good"})).count("→") == 0


def test_a_pair_ended_since_its_health_was_marked_is_not_listed_by_it(cast, client_for):
    health.refresh()
    mark = PairHealth.objects.get(pair=cast.taymo_md).mark
    Pair.objects.filter(pk=cast.taymo_md.pk).update(status=Pair.Status.ENDED)  # before the nightly refresh
    page = page_text(client_for(cast.users.staff_hn).get(reverse("workspace:pair-list"), {"health": mark}))
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" not in page


def test_the_pair_page_reads_goals_and_values_in_a_fixed_number_of_queries(cast, teachers, dropout, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(cast.users.principal_md)
    url = reverse("workspace:pair-detail", args=[cast.taymo_md.code])
    Goal.objects.create(pair=cast.taymo_md, text="Một", due_year=Y1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(4):
        Goal.objects.create(pair=cast.taymo_md, text=f"Mục tiêu {i}", due_year=Y2)
    _values(teachers, cast.taymo, y2021_2022="95", y2022_2023="96", y2023_2024="97")
    _values(dropout, cast.school_md, y2021_2022="1.5", y2023_2024="2.0")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)
