"""Issue 10: units and areas over time — placements instead of overwritten fields,
cessations and mergers, scope that follows the structure today and lets successors
read history, pages about the past that read as they did."""

import datetime
import pathlib

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from programs.models import Memorandum, Pair
from programs.services import pairs as pair_services
from programs.services.units import unit_cease
from schools.models import Area, Membership, Organization, Placement
from schools.scope import scope_for
from schools.services.units import area_end, organization_move
from tests import factories as f
from tests.helpers import page_text

JULY_2025 = datetime.date(2025, 7, 1)
NGHI_DINH = "Nghị định 142/2025/NĐ-CP"


def fresh(user):
    """The user without the scope cached by an earlier request of the test."""
    user.__dict__.pop("_ketnghia_scope", None)
    return user


def test_it_gives_every_new_unit_its_first_placement(cast):
    placement = Placement.objects.get(organization=cast.taymo)
    assert (placement.valid_from, placement.valid_until) == (None, None)
    assert (placement.parent, placement.area) == (cast.office["ntl"], cast.districts["Nam Từ Liêm"])


def test_it_records_a_move_to_a_commune_committee_without_touching_the_past(cast, today):
    placement = organization_move(
        user=cast.users.staff_hn,
        organization=cast.taymo,
        on=JULY_2025,
        parent=today.committee_hn,
        area=today.ward_hn,
        legal_reference=NGHI_DINH,
    )
    history = list(Placement.objects.filter(organization=cast.taymo).order_by(F("valid_from").asc(nulls_first=True)))
    assert [(p.valid_from, p.valid_until, p.parent, p.area) for p in history] == [
        (None, datetime.date(2025, 6, 30), cast.office["ntl"], cast.districts["Nam Từ Liêm"]),
        (JULY_2025, None, today.committee_hn, today.ward_hn),
    ]
    assert placement.legal_reference == NGHI_DINH and placement.recorded_by == cast.users.staff_hn
    taymo = Organization.objects.get(pk=cast.taymo.pk)
    assert (taymo.parent, taymo.area, taymo.province) == (today.committee_hn, today.ward_hn, cast.hanoi)
    # The commune's officer manages the school today; the ceased office's officer no longer does.
    assert Organization.objects.editable_by(today.users.commune_hn).filter(pk=taymo.pk).exists()
    assert not Organization.objects.editable_by(fresh(cast.users.officer_ntl)).filter(pk=taymo.pk).exists()


@pytest.mark.parametrize(
    "day, message",
    [(datetime.date(2030, 1, 1), "không thể sau ngày hôm nay"), (None, "Không có gì thay đổi")],
)
def test_it_refuses_a_future_or_empty_change(cast, today, day, message):
    with pytest.raises(ValidationError) as error:
        organization_move(
            user=cast.users.staff_hn,
            organization=cast.taymo,
            on=day or JULY_2025,
            parent=today.committee_hn if day else cast.office["ntl"],
        )
    assert message in " ".join(error.value.messages)


def test_it_refuses_a_change_before_the_current_placement_and_corrects_one_of_the_same_day(cast, today):
    organization_move(user=cast.users.staff_hn, organization=cast.taymo, on=JULY_2025, parent=today.committee_hn)
    with pytest.raises(ValidationError) as error:
        organization_move(
            user=cast.users.staff_hn, organization=cast.taymo, on=datetime.date(2025, 3, 1), area=today.ward_hn
        )
    assert "01/07/2025" in str(error.value)
    # Recorded again on the day the placement began: a correction, not a new period.
    organization_move(user=cast.users.staff_hn, organization=cast.taymo, on=JULY_2025, area=today.ward_hn)
    assert Placement.objects.filter(organization=cast.taymo).count() == 2
    assert Placement.objects.get(organization=cast.taymo, valid_from=JULY_2025).area == today.ward_hn


def test_it_accepts_a_school_managed_by_a_commune_committee_and_refuses_odd_managers(cast, today):
    school = Organization(name="Trường Mầm non Đại Mỗ", kind="school", level="preschool", parent=today.committee_hn)
    school.full_clean()
    cluster = Organization(name="Cụm 2", kind="cluster", parent=today.committee_hn)
    with pytest.raises(ValidationError) as error:
        cluster.full_clean()
    assert "Cụm chuyên môn do Sở GD&ĐT tổ chức." in error.value.message_dict["parent"]


def test_it_derives_the_province_from_the_current_place(cast, today):
    # An area nobody uses yet may be corrected (filed under the right province)…
    district = f.area("Thạch Thất", parent=cast.nghean, designation="huyện")
    district.parent = cast.hanoi
    district.full_clean()
    district.save()
    # …one in use may not: its units would silently change province.
    school = f.org("Trường THCS Thạch Thất", area=district, parent=cast.office["ntl"])
    assert school.province == cast.hanoi
    district.parent = cast.nghean
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "parent" in error.value.message_dict
    # A unit that moves to another province is in that province from then on.
    organization_move(user=cast.users.staff_hn, organization=school, on=JULY_2025, area=today.commune_na)
    assert Organization.objects.get(pk=school.pk).province == cast.nghean


def test_it_refuses_renaming_an_area_in_use(cast):
    district = cast.districts["Mỹ Đức"]
    district.name = "Xã Mỹ Đức"
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "ghi nhận khu vực thay thế" in " ".join(error.value.message_dict["name"])


def test_it_ends_an_area_with_its_successor_and_moves_its_units(cast, today):
    moved = area_end(
        user=cast.users.staff_hn,
        area=cast.districts["Mỹ Đức"],
        last_day=datetime.date(2025, 6, 30),
        successors=[today.ward_hn],
        legal_reference="Nghị quyết của Quốc hội ngày 12/6/2025",
    )
    assert moved == 2  # the office and its school
    district = Area.objects.get(pk=cast.districts["Mỹ Đức"].pk)
    assert district.valid_until == datetime.date(2025, 6, 30) and list(district.successors.all()) == [today.ward_hn]
    assert Organization.objects.get(pk=cast.school_md.pk).area == today.ward_hn
    assert Placement.objects.get(organization=cast.school_md, valid_until__isnull=False).area == district


def test_it_sets_the_start_of_an_accepted_pair_from_its_memorandum_or_the_day(cast):
    proposal = f.pair(
        cast.program, cast.school_lb, cast.school_ml, status="proposed", proposed_by_org=cast.office["lb"]
    )
    pair = pair_services.pair_accept(user=cast.users.officer_ml, pair=proposal)
    assert pair.started_on == datetime.date.today()
    other = f.org("Trường Tiểu học Long Biên B", parent=cast.office["lb"], level="primary")
    proposal = f.pair(cast.program, other, cast.school_ml, status="proposed", proposed_by_org=cast.office["lb"])
    memo = Memorandum.objects.create(program=cast.program, title="Biên bản", valid_from=datetime.date(2024, 3, 11))
    memo.pairs.add(proposal)
    assert pair_services.pair_accept(user=cast.users.officer_ml, pair=proposal).started_on == datetime.date(2024, 3, 11)


def test_it_ends_an_office_keeping_its_records_visible_to_the_department(client_for, cast):
    office = cast.office["ntl"]
    running = f.pair(cast.program, office, cast.office["lb"], started_on=datetime.date(2022, 9, 5))
    unit, ended = unit_cease(
        user=cast.users.staff_hn,
        organization=office,
        last_day=datetime.date(2025, 6, 30),
        legal_reference=NGHI_DINH,
    )
    assert (unit.valid_until, unit.end_reference) == (datetime.date(2025, 6, 30), NGHI_DINH)
    assert ended == 2  # its partnership with Mỹ Đức and this one
    assert Pair.objects.get(pk=running.pk).ended_on == datetime.date(2025, 6, 30)
    # No live users: the officer's role ends; the department still reads the pairs.
    assert not Membership.objects.get(user=cast.users.officer_ntl).is_active
    assert not fresh(cast.users.officer_ntl).is_active or not scope_for(cast.users.officer_ntl).is_staff_member
    assert client_for(cast.users.officer_ntl).get(f"/workspace/pairs/{cast.ntl_md.code}/").status_code in (403, 404)
    page = client_for(cast.users.staff_hn).get(f"/workspace/pairs/{cast.ntl_md.code}/")
    assert page.status_code == 200 and "Đã kết thúc" in page_text(page)


def test_it_lets_the_successor_of_a_merged_school_read_its_history(cast, today):
    merged = f.org("Trường THCS Tây Mỗ 2", area=cast.districts["Nam Từ Liêm"], parent=cast.office["ntl"])
    pair = f.pair(cast.program, merged, cast.school_md, started_on=datetime.date(2022, 9, 5))
    unit_cease(
        user=cast.users.staff_hn,
        organization=merged,
        last_day=datetime.date(2024, 8, 31),
        legal_reference="Quyết định sáp nhập trường",
        successor=cast.taymo,
    )
    principal = fresh(cast.users.principal_taymo)
    assert Pair.objects.visible_to(principal).filter(pk=pair.pk).exists()
    assert not Pair.objects.actionable_by(principal).filter(pk=pair.pk).exists()


def test_it_lets_the_department_of_a_merged_province_read_its_predecessors(cast):
    old = f.area("Hà Giang", kind=Area.Kind.PROVINCE, designation="tỉnh")
    new = f.area("Tuyên Quang", kind=Area.Kind.PROVINCE, designation="tỉnh")
    old.valid_until = datetime.date(2025, 6, 30)
    old.save()
    old.successors.add(new)
    old_dept = f.org("Sở GD&ĐT Hà Giang", Organization.Kind.DEPARTMENT, area=old)
    school_a = f.org("Trường THPT Hà Giang A", area=old, parent=old_dept, level="upper_secondary")
    school_b = f.org("Trường THPT Hà Giang B", area=old, parent=old_dept, level="upper_secondary")
    program = f.program("Phong trào Hà Giang", 2019, 2022, organizers=[old_dept])
    pair = f.pair(program, school_a, school_b, started_on=datetime.date(2019, 10, 1))
    new_dept = f.org("Sở GD&ĐT Tuyên Quang", Organization.Kind.DEPARTMENT, area=new)
    staff = f.user("sogd.tq", role=Membership.Role.DEPARTMENT_STAFF, organization=new_dept)
    assert Pair.objects.visible_to(staff).filter(pk=pair.pk).exists()
    assert not Pair.objects.editable_by(staff).filter(pk=pair.pk).exists()  # history, read-only
    unit_cease(
        user=None, organization=old_dept, last_day=datetime.date(2025, 6, 30), legal_reference="NQ", successor=new_dept
    )
    staff = fresh(staff)
    from programs.models import Program

    assert Program.objects.visible_to(staff).filter(pk=program.pk).exists()


def test_it_shows_a_past_pair_as_it_stood_after_the_school_moved(client, client_for, cast, today):
    organization_move(
        user=cast.users.staff_hn,
        organization=cast.taymo,
        on=JULY_2025,
        parent=today.committee_hn,
        area=today.ward_hn,
        legal_reference=NGHI_DINH,
    )
    public = page_text(client.get(f"/pairs/{cast.taymo_md.code}/"))
    assert "Quận Nam Từ Liêm, Hà Nội" in public and "Đại Mỗ" not in public
    staff = page_text(client_for(cast.users.staff_hn).get(f"/workspace/pairs/{cast.taymo_md.code}/"))
    assert "Phòng GD&ĐT Nam Từ Liêm" in staff and "UBND phường Đại Mỗ" not in staff
    unit = page_text(client_for(cast.users.staff_hn).get(f"/workspace/units/{cast.taymo.slug}/"))
    assert "UBND phường Đại Mỗ" in unit and "Phòng GD&ĐT Nam Từ Liêm" in unit and NGHI_DINH in unit


def test_schools_never_loads_programs():
    """programs depends on schools, never the other way (house style)."""
    root = pathlib.Path(__file__).resolve().parent.parent / "schools"
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("from programs", "import programs", 'get_model("programs"', "get_model('programs'"):
            assert needle not in text, path
