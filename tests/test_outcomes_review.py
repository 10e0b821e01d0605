"""Review of issue 14 (outcomes): goals counted from the pair's start and not met once
their year is over, gaps refreshed safely by two saves at once, values read without
guessing and within the database's range, one indicator code per Department whatever
its case, health rules in the reader's language, no health kept for ended pairs."""

import datetime
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from outcomes import health, services
from outcomes.importing import import_values
from outcomes.models import Goal, Indicator, IndicatorValue, PairGap, PairHealth
from programs.services.imports import read_sheet
from tests.helpers import page_text, xlsx_bytes

D = Decimal
BASE, Y1, Y2 = "2021-2022", "2022-2023", "2023-2024"  # taymo_md began on 05/09/2022


@pytest.fixture
def teachers(cast):
    return Indicator.objects.create(
        owner=cast.dept, code="gv_chuan", name="Tỉ lệ giáo viên đạt chuẩn", unit="%", minimum=0, maximum=100
    )


@pytest.fixture
def pupils(cast):
    return Indicator.objects.create(owner=cast.dept, code="si_so", name="Sĩ số", unit="học sinh", decimals=0)


def _value(indicator, school, year, value):
    IndicatorValue.objects.create(indicator=indicator, school=school, school_year=year, value=D(value))


# --- 1. goals ---------------------------------------------------------------------------------


def test_it_counts_no_school_year_before_the_pair_began_towards_a_goal(cast, teachers, client_for):
    goal = Goal.objects.create(
        pair=cast.taymo_md, text="90 % đạt chuẩn", indicator=teachers, target=D("90"), due_year=Y2
    )
    _value(teachers, cast.school_md, BASE, "92")  # before the pair: where it started from
    services.save_values(user=cast.users.staff_hn, school=cast.school_md, school_year=Y1, values={teachers: D("85")})
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MISSED  # 2023–2024 is over, 90 never reached while paired
    page = page_text(
        client_for(cast.users.principal_md).get(reverse("workspace:pair-detail", args=[cast.taymo_md.code]))
    )
    assert "Không đạt 90 % đạt chuẩn" in page


def test_it_marks_goals_not_met_overnight_once_their_school_year_is_over(cast, teachers):
    derived = Goal.objects.create(
        pair=cast.taymo_md, text="95 %", indicator=teachers, target=D("95"), due_year=Y1, status="on_track"
    )
    manual = Goal.objects.create(pair=cast.taymo_md, text="Hai chuyên đề", due_year=Y1, status="off_track")
    met = Goal.objects.create(pair=cast.taymo_md, text="Đã xong", due_year=Y1, status="met")
    later = Goal.objects.create(pair=cast.taymo_md, text="Sau này", due_year="2099-2100", status="planned")
    call_command("refresh_pair_health", stdout=io.StringIO())
    statuses = dict(Goal.objects.values_list("pk", "status"))
    assert statuses == {derived.pk: "missed", manual.pk: "missed", met.pk: "met", later.pk: "planned"}
    reasons = PairHealth.objects.get(pair=cast.taymo_md).reasons
    assert ["goals", "attention", {"n": 2}] in reasons


def test_it_asks_whether_a_goal_was_met_once_its_school_year_is_over(cast, client_for):
    response = client_for(cast.users.principal_taymo).post(
        reverse("outcomes:goal-new", args=[cast.taymo_md.code]),
        {"text": "Hai chuyên đề", "due_year": Y1, "status": "on_track"},
    )
    assert response.status_code == 200
    assert "Năm học 2022–2023 đã kết thúc: cho biết mục tiêu đã đạt hay chưa." in page_text(response)
    assert not Goal.objects.exists()


# --- 2. gaps written by two saves at once -------------------------------------------------------


def test_it_keeps_one_gap_row_when_another_save_wrote_it_meanwhile(cast, teachers, monkeypatch):
    _value(teachers, cast.taymo, Y1, "96")
    _value(teachers, cast.school_md, Y1, "82")
    original = services.gap_rows

    def racing(pair, indicator, values):
        # What a second save for the same pair, committed in between, leaves behind.
        rows = original(pair, indicator, values)
        for row in rows:
            PairGap.objects.get_or_create(
                pair=row.pair,
                indicator=row.indicator,
                school_year=row.school_year,
                defaults={"mentor_value": 0, "mentee_value": 0, "behind": 0, "trend": "unknown"},
            )
        return rows

    monkeypatch.setattr(services, "gap_rows", racing)
    services.refresh_gaps(school_ids=[cast.school_md.pk])
    gap = PairGap.objects.get(pair=cast.taymo_md, indicator=teachers)
    assert (gap.school_year, gap.mentor_value, gap.mentee_value, gap.behind) == (Y1, 96, 82, 14)


def test_it_drops_the_gap_of_a_year_whose_value_was_cleared(cast, teachers):
    _value(teachers, cast.taymo, Y1, "96")
    _value(teachers, cast.school_md, Y1, "82")
    services.refresh_gaps(school_ids=[cast.school_md.pk])
    assert PairGap.objects.count() == 1
    services.save_values(user=cast.users.staff_hn, school=cast.school_md, school_year=Y1, values={teachers: None})
    assert not PairGap.objects.exists()


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="row locks: PostgreSQL only")
def test_it_locks_the_pairs_before_reading_their_values(cast, teachers):
    with CaptureQueriesContext(connection) as queries:
        services.save_values(
            user=cast.users.staff_hn, school=cast.school_md, school_year=Y1, values={teachers: D("82")}
        )
    sql = [q["sql"] for q in queries]
    lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and "programs_pair" in q)
    read = max(i for i, q in enumerate(sql) if q.lstrip().startswith("SELECT") and "outcomes_indicatorvalue" in q)
    assert lock < read


@pytest.mark.skipif(not connection.features.has_select_for_update, reason="row locks: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_it_lets_a_save_and_an_indicator_change_refresh_the_same_pair_at_once(cast, teachers, monkeypatch):
    # Both reach the writing of the gaps together unless the first holds the pair: then
    # the second waits for it, and the first goes on once the barrier times out.
    barrier = threading.Barrier(2)
    original = services.gap_rows

    def together(pair, indicator, values):
        try:
            barrier.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return original(pair, indicator, values)

    monkeypatch.setattr(services, "gap_rows", together)
    _value(teachers, cast.taymo, Y1, "95")
    _value(teachers, cast.school_md, Y1, "80")
    errors = []

    def run(step):
        try:
            step()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    steps = [
        lambda: services.refresh_gaps_of_indicator(teachers),  # the Department changed its tolerance
        lambda: services.save_values(
            user=cast.users.staff_hn, school=cast.school_md, school_year=Y1, values={teachers: D("82")}
        ),
    ]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    gap = PairGap.objects.get(pair=cast.taymo_md, indicator=teachers)
    assert (gap.school_year, gap.mentor_value, gap.mentee_value, gap.behind) == (Y1, 95, 82, 13)


# --- 3. typed values and indicator codes ----------------------------------------------------------


def test_it_refuses_a_value_too_large_for_the_database_naming_the_indicator(cast, pupils, client_for):
    url = reverse("outcomes:school-values", args=[cast.school_md.slug]) + f"?year={Y1}"
    response = client_for(cast.users.principal_md).post(url, {f"i{pupils.pk}": "12345678901"})
    assert response.status_code == 200
    assert "“12345678901” nằm ngoài khoảng cho phép của “Sĩ số”" in page_text(response)
    assert "10.000.000.000" in page_text(response)
    assert not IndicatorValue.objects.exists()
    sheet = read_sheet(xlsx_bytes([["Mã trường", "Năm học", "si_so"], ["HN-MDA", Y1, 1e12]]))
    outcome = import_values(user=cast.users.staff_hn, sheet=sheet)
    assert len(outcome.errors) == 1 and "“Sĩ số”" in outcome.errors[0]
    assert not IndicatorValue.objects.exists()


def test_it_rounds_a_value_to_the_indicators_decimal_places(cast, teachers, client_for):
    url = reverse("outcomes:school-values", args=[cast.school_md.slug]) + f"?year={Y1}"
    response = client_for(cast.users.principal_md).post(url, {f"i{teachers.pk}": "82,56"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get().value == D("82.6")
    assert services.parse_value(82.56, teachers) == D("82.6")  # a number cell of Excel


def test_it_reads_a_dot_before_three_digits_by_the_indicators_decimal_places(cast, pupils, teachers, client_for):
    with pytest.raises(ValidationError) as error:
        services.parse_value("1.234", pupils)
    assert error.value.code == "ambiguous"
    assert services.parse_value("1.234.567", pupils) == 1234567
    assert services.parse_value("1.234,5", pupils) == 1235
    assert services.parse_value("0.125", pupils) == 0
    rate = Indicator.objects.create(owner=cast.dept, code="ti_le", name="Tỉ lệ", decimals=3)
    assert services.parse_value("1.234", rate) == D("1.234")
    url = reverse("outcomes:school-values", args=[cast.school_md.slug]) + f"?year={Y1}"
    page = page_text(client_for(cast.users.principal_md).post(url, {f"i{teachers.pk}": "12.500"}))
    assert (
        "“12.500” có thể hiểu theo hai cách: viết 12500 nếu là số nguyên, hoặc 12,500 với dấu phẩy thập phân." in page
    )
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("code", ["gv_chuan", "GV_Chuan"])
def test_it_refuses_an_indicator_code_the_department_already_has(cast, teachers, client_for, code):
    data = {"name": "Chỉ số khác", "code": code, "direction": "higher", "decimals": 1, "tolerance": "0"}
    data |= {"entered_by": "school", "order": 0, "is_active": "on"}
    response = client_for(cast.users.staff_hn).post(reverse("outcomes:indicator-new"), data)
    assert response.status_code == 200
    assert "Sở đã có chỉ số mang mã này." in page_text(response)
    assert Indicator.objects.count() == 1
    # Another Department may use it; the database holds the rule too.
    Indicator.objects.create(owner=cast.dept_na, code=code, name="Của Nghệ An")
    with pytest.raises(IntegrityError), transaction.atomic():
        Indicator.objects.create(owner=cast.dept, code=code.upper(), name="Trùng")


# --- 4. and 5. health ----------------------------------------------------------------------------


def test_it_words_the_health_rules_in_the_readers_language(cast, client_for):
    with translation.override("en"):
        assert str(health.RULES[0][2]) == "more than 45 days: needs attention; more than 90 days: at risk"
    with translation.override("vi"):
        assert str(health.RULES[0][2]) == "quá 45 ngày: cần chú ý; quá 90 ngày: có nguy cơ"
    page = page_text(client_for(cast.users.staff_hn).get(reverse("outcomes:health-rules")))
    assert "quá 45 ngày: cần chú ý; quá 90 ngày: có nguy cơ" in page


def test_it_forgets_the_health_of_a_pair_that_ended(cast, client_for):
    from programs.services.pairs import pair_end

    health.refresh()
    assert PairHealth.objects.filter(pair=cast.taymo_md, mark="at_risk").exists()
    pair_end(user=cast.users.staff_hn, pair=cast.taymo_md, reason="Hết giai đoạn", ended_on=timezone.localdate())
    call_command("refresh_pair_health", stdout=io.StringIO())
    assert not PairHealth.objects.filter(pair=cast.taymo_md).exists()
    assert PairHealth.objects.count() == 2
    page = page_text(client_for(cast.users.staff_hn).get(reverse("workspace:pair-list"), {"health": "at_risk"}))
    assert "THCS Tây Mỗ → Trường THCS Mỹ Đức A" not in page


def test_it_refreshes_the_health_of_the_pairs_given_only(cast):
    health.refresh()
    PairHealth.objects.filter(pair=cast.lb_ml).update(
        mark="good", computed_at=timezone.now() - datetime.timedelta(days=2)
    )
    health.refresh(type(cast.taymo_md).objects.filter(pk=cast.taymo_md.pk))
    assert PairHealth.objects.get(pair=cast.lb_ml).mark == "good"
