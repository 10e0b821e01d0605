"""/workspace/pairs/new/: an officer registers an office partnership or a school pair."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

from programs.models import Pair
from programs.services import pairs as pair_services
from schools.models import Organization
from tests import factories as f
from tests.helpers import page_text

URL = "/workspace/pairs/new/"


def form_data(cast, mentor_unit, mentee_unit, **extra):
    data = {
        "register": "1",
        "program": cast.program.pk,
        "kind": mentor_unit.kind,
        "mentor": mentor_unit.pk,
        "mentee": mentee_unit.pk,
        "mentor_q": "",
        "mentee_q": "",
        "parent": "",
        "started_on": "",
        "note": "",
    }
    data.update(extra)
    return data


def test_it_shows_the_form_with_the_officers_own_schools_first(client_for, cast):
    response = client_for(cast.users.officer_lb).get(URL)
    assert response.status_code == 200
    page = page_text(response)
    assert "Đăng ký cặp kết nghĩa" in page and "Bên giúp đỡ" in page and "Bên được giúp đỡ" in page
    assert "Trường Tiểu học Long Biên A" in page
    assert "Trường Tiểu học Mê Linh A" not in page  # other offices' schools appear when searched


def test_it_searches_units_without_javascript_ignoring_diacritics(client_for, cast):
    client = client_for(cast.users.officer_lb)
    data = form_data(cast, cast.school_lb, cast.school_lb, mentee="", mentee_q="me linh")
    del data["register"]
    data["find"] = "mentee"
    response = client.post(URL, data)
    assert response.status_code == 200
    page = page_text(response)
    assert "Trường Tiểu học Mê Linh A" in page
    assert "Vui lòng" not in page and not Pair.objects.filter(mentor=cast.school_lb).exists()
    # The only match is chosen, and what was typed is kept.
    assert f'<option value="{cast.school_ml.pk}" selected>' in response.text
    assert 'value="me linh"' in response.text


def test_it_registers_a_school_pair_as_proposed(client_for, cast):
    client = client_for(cast.users.officer_lb)
    response = client.post(
        URL, form_data(cast, cast.school_lb, cast.school_ml, started_on="2024-03-11", note="Ký tại hội nghị")
    )
    pair = Pair.objects.get(mentor=cast.school_lb, mentee=cast.school_ml)
    assert response.status_code == 302 and response["Location"] == f"/workspace/pairs/{pair.code}/"
    assert pair.status == Pair.Status.PROPOSED
    assert pair.proposed_by == cast.users.officer_lb and pair.proposed_by_org == cast.office["lb"]
    assert pair.parent == cast.lb_ml  # the two offices' partnership, found automatically
    assert str(pair.started_on) == "2024-03-11" and pair.note == "Ký tại hội nghị"
    assert pair.history.first().history_user == cast.users.officer_lb
    page = page_text(client.get(response["Location"]))
    assert "Đã đăng ký cặp kết nghĩa" in page
    assert "Đề xuất" in page and "Trường Tiểu học Mê Linh A" in page


def test_it_lets_department_staff_register_an_active_pair(client_for, cast):
    client = client_for(cast.users.staff_hn)
    client.post(URL, form_data(cast, cast.school_lb, cast.school_ml))
    pair = Pair.objects.get(mentor=cast.school_lb, mentee=cast.school_ml)
    assert pair.status == Pair.Status.ACTIVE and pair.decided_by == cast.users.staff_hn
    assert pair.proposed_by_org == cast.dept


def test_it_registers_a_pair_crossing_offices_without_partnership(client_for, cast):
    # As Đặng Thai Mai (Vinh) → Lý Nhật Quang (Đô Lương): no partnership of the offices.
    doluong = f.org("Phòng GD&ĐT Đô Lương", Organization.Kind.OFFICE, parent=cast.dept_na, area=cast.nghean)
    lnq = f.org("Trường THCS Lý Nhật Quang", parent=doluong, area=cast.nghean)
    officer = f.user("phong.vinh", role="office_officer", organization=cast.office_vinh)
    data = form_data(cast, cast.school_vinh, lnq, program=cast.program_na.pk)
    response = client_for(officer).post(URL, data)
    assert response.status_code == 302
    pair = Pair.objects.get(mentor=cast.school_vinh, mentee=lnq)
    assert pair.parent is None and pair.status == Pair.Status.PROPOSED


@pytest.mark.parametrize(
    "sides, field, message",
    [
        (("school_lb", "school_lb"), "mentee", "Bên giúp đỡ và bên được giúp đỡ phải là hai đơn vị khác nhau."),
        (
            ("school_lb", "office_ml"),
            "mentee",
            "Trường chỉ kết nghĩa với trường, Phòng GD&ĐT chỉ kết nghĩa với Phòng GD&ĐT.",
        ),
        (("taymo", "school_md"), "mentee", "Cặp kết nghĩa này đã được đăng ký trong chương trình."),
        (("school_md", "school_ml"), "mentor", "Ít nhất một bên phải là đơn vị thuộc phạm vi quản lý."),
    ],
)
def test_it_explains_a_wrong_pair_next_to_the_field_and_keeps_the_input(client_for, cast, sides, field, message):
    units = {name: getattr(cast, name) for name in ("school_lb", "taymo", "school_md", "school_ml")}
    units["office_ml"] = cast.office["ml"]
    user = cast.users.officer_ntl if sides[0] == "taymo" else cast.users.officer_lb
    before = Pair.objects.count()
    data = form_data(cast, units[sides[0]], units[sides[1]], note="Ghi chú đã gõ")
    response = client_for(user).post(URL, data)
    assert response.status_code == 200
    assert Pair.objects.count() == before
    assert message in response.context["form"].errors[field]
    assert message in page_text(response)
    assert "Ghi chú đã gõ" in response.text


def test_it_refuses_the_reverse_of_an_existing_pair(client_for, cast):
    response = client_for(cast.users.officer_md).post(URL, form_data(cast, cast.school_md, cast.taymo))
    assert response.status_code == 200
    assert "đã kết nghĩa trong chương trình này theo chiều ngược lại" in page_text(response)


def _blind_first_check(real):
    """The duplicate check as the loser of a race sees it: the winner's row is not
    there yet when it looks, and is there when its insert fails."""
    calls = []

    def existing(*args):
        calls.append(args)
        return Pair.objects.none() if len(calls) == 1 else real(*args)

    return existing


def test_it_turns_a_lost_race_into_the_duplicate_message(cast, monkeypatch):
    # Both officers pass the duplicate check before either inserts; the database
    # constraint refuses the second insert and the service says why, in Vietnamese.
    first = pair_services.pair_register(
        user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml
    )
    monkeypatch.setattr(pair_services, "_existing", _blind_first_check(pair_services._existing))
    with pytest.raises(ValidationError) as error:
        pair_services.pair_register(
            user=cast.users.officer_ml, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml
        )
    assert error.value.message_dict == {"mentee": ["Cặp kết nghĩa này đã được đăng ký trong chương trình."]}
    assert list(Pair.objects.filter(mentor=cast.school_lb, mentee=cast.school_ml)) == [first]


def test_it_shows_the_lost_race_next_to_the_field(client_for, cast, monkeypatch):
    pair_services.pair_register(
        user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml
    )
    monkeypatch.setattr(pair_services, "_existing", _blind_first_check(pair_services._existing))
    response = client_for(cast.users.officer_ml).post(URL, form_data(cast, cast.school_lb, cast.school_ml))
    assert response.status_code == 200
    assert response.context["form"].errors["mentee"] == ["Cặp kết nghĩa này đã được đăng ký trong chương trình."]
    assert Pair.objects.filter(mentor=cast.school_lb, mentee=cast.school_ml).count() == 1


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs concurrent connections (PostgreSQL)"
)
def test_it_keeps_one_pair_when_two_officers_submit_at_the_same_moment(transactional_db, monkeypatch):
    from django.db import connections

    hanoi_program, lb_school, ml_school, officers = _race_cast()
    barrier = threading.Barrier(2, timeout=10)
    original = Pair.full_clean

    def full_clean_then_wait(self, *args, **kwargs):
        original(self, *args, **kwargs)
        barrier.wait()  # both have passed every check; now both insert

    monkeypatch.setattr(Pair, "full_clean", full_clean_then_wait)
    outcomes = []

    def submit(user):
        try:
            pair_services.pair_register(user=user, program=hanoi_program, mentor=lb_school, mentee=ml_school)
            outcomes.append("registered")
        except ValidationError as error:
            outcomes.append(error.message_dict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(user,)) for user in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(map(str, outcomes)) == sorted(
        ["registered", str({"mentee": ["Cặp kết nghĩa này đã được đăng ký trong chương trình."]})]
    )
    assert Pair.objects.filter(mentor=lb_school, mentee=ml_school).count() == 1
    assert connection.vendor == "postgresql"


def _race_cast():
    hanoi = f.area("Hà Nội", kind="province")
    dept = f.org("Sở GD&ĐT Hà Nội", Organization.Kind.DEPARTMENT, area=hanoi)
    lb = f.org("Phòng GD&ĐT Long Biên", Organization.Kind.OFFICE, area=hanoi, parent=dept)
    ml = f.org("Phòng GD&ĐT Mê Linh", Organization.Kind.OFFICE, area=hanoi, parent=dept)
    lb_school = f.org("Trường Tiểu học Long Biên A", parent=lb, area=hanoi, level="primary")
    ml_school = f.org("Trường Tiểu học Mê Linh A", parent=ml, area=hanoi, level="primary")
    program = f.program("Nhà trường cùng chung tay phát triển", organizers=[dept])
    officers = [
        f.user("phong.lb", role="office_officer", organization=lb),
        f.user("phong.ml", role="office_officer", organization=ml),
    ]
    return program, lb_school, ml_school, officers


def test_it_refuses_a_start_before_1990_or_schools_of_different_levels(client_for, cast):
    client = client_for(cast.users.officer_lb)
    response = client.post(URL, form_data(cast, cast.school_lb, cast.school_ml, started_on="1900-01-01"))
    assert response.status_code == 200
    assert "Từ ngày (01/01/1900) trước ngày 01/01/1990. Vui lòng kiểm tra lại năm." in page_text(response)
    assert 'value="1900-01-01"' in response.text  # what was typed is kept
    kindergarten = f.org(
        "Trường Mầm non Hoa Sữa", parent=cast.office["lb"], area=cast.districts["Long Biên"], level="preschool"
    )
    response = client.post(URL, form_data(cast, kindergarten, cast.school_ml))
    assert (
        "Trường Mầm non Hoa Sữa thuộc cấp học Mầm non, còn Trường Tiểu học Mê Linh A thuộc cấp học Tiểu học: "
        "hai trường kết nghĩa phải có chung một cấp học."
    ) in page_text(response)
    assert not Pair.objects.filter(mentee=cast.school_ml).exists()
