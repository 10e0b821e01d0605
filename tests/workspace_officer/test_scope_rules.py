"""The scope rules this workspace settles for every later one (schools.scope): who sees
which pairs, who answers a proposed pair, where a user may register pairs."""

from programs.models import Pair, Program, WorkingGroup
from programs.services.pairs import pair_register
from schools.models import Organization
from tests import factories as f


def _nghean_pair(cast, program=None):
    kyson = f.org("Phòng GD&ĐT Kỳ Sơn", Organization.Kind.OFFICE, parent=cast.dept_na, area=cast.nghean)
    return f.pair(program or cast.program_na, cast.office_vinh, kyson)


def test_it_hides_another_provinces_pairs_from_department_staff_even_in_a_shared_program(cast):
    # A national movement co-organized by both departments: Hà Nội staff still see only
    # the pairs of Hà Nội, and Nghệ An staff only those of Nghệ An.
    national = f.program("Phong trào toàn quốc", organizers=[cast.dept, cast.dept_na])
    na_pair = _nghean_pair(cast, national)
    hn_pair = f.pair(national, cast.office["ntl"], cast.office["ml"])
    assert na_pair not in Pair.objects.visible_to(cast.users.staff_hn)
    assert hn_pair in Pair.objects.visible_to(cast.users.staff_hn)
    assert na_pair in Pair.objects.visible_to(cast.users.staff_na)
    assert hn_pair not in Pair.objects.visible_to(cast.users.staff_na)
    # The program itself is theirs to see.
    assert national in Program.objects.visible_to(cast.users.staff_hn)


def test_it_lets_the_union_follow_every_pair_of_its_programs(cast):
    pair = _nghean_pair(cast)
    assert pair in Pair.objects.visible_to(cast.users.union_na)
    assert not Pair.objects.editable_by(cast.users.union_na).exists()
    assert not Pair.objects.answerable_by(cast.users.union_na).exists()


def test_it_asks_the_side_that_did_not_register_a_pair_to_answer(cast):
    pair = pair_register(user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml)
    assert pair.status == Pair.Status.PROPOSED
    assert pair.proposed_by_org == cast.office["lb"]
    assert pair in Pair.objects.answerable_by(cast.users.officer_ml)
    assert pair in Pair.objects.answerable_by(cast.users.staff_hn)
    for user in (cast.users.officer_lb, cast.users.officer_ntl, cast.users.principal_lb, cast.users.staff_na):
        assert pair not in Pair.objects.answerable_by(user)
    # Registered by the helped side: the helping side answers.
    back = pair_register(
        user=cast.users.officer_md, program=cast.program, mentor=cast.office["lb"], mentee=cast.office["md"]
    )
    assert back in Pair.objects.answerable_by(cast.users.officer_lb)
    assert back not in Pair.objects.answerable_by(cast.users.officer_md)


def test_it_lets_either_side_answer_a_pair_registered_by_neither(cast):
    imported = f.pair(cast.program, cast.school_lb, cast.school_ml, status=Pair.Status.PROPOSED)
    assert imported in Pair.objects.answerable_by(cast.users.officer_lb)
    assert imported in Pair.objects.answerable_by(cast.users.officer_ml)
    assert imported not in Pair.objects.answerable_by(cast.users.officer_ntl)


def test_it_opens_the_programs_of_the_officers_province_for_registration(cast):
    assert set(Program.objects.open_for_registration_by(cast.users.officer_lb)) == {cast.program}
    assert set(Program.objects.open_for_registration_by(cast.users.staff_na)) == {cast.program_na}
    officer_vinh = f.user("phong.vinh", role="office_officer", organization=cast.office_vinh)
    assert set(Program.objects.open_for_registration_by(officer_vinh)) == {cast.program_na}
    for user in (cast.users.principal_taymo, cast.users.union_na, cast.users.outsider):
        assert not Program.objects.open_for_registration_by(user).exists()


def test_it_files_a_unit_without_district_in_its_managing_bodys_province(cast):
    school = f.org("Trường Mầm non Không Địa Bàn", parent=cast.office["lb"], level=Organization.Level.PRESCHOOL)
    assert school.province == cast.hanoi
    assert school in Organization.objects.visible_to(cast.users.staff_hn)
    assert school not in Organization.objects.visible_to(cast.users.staff_na)


def test_it_shows_working_groups_of_own_and_partner_offices_only(cast):
    ntl = WorkingGroup.objects.create(program=cast.program, office=cast.office["ntl"], name="Tổ công tác NTL")
    lb = WorkingGroup.objects.create(program=cast.program, office=cast.office["lb"], name="Tổ công tác LB")
    assert set(WorkingGroup.objects.visible_to(cast.users.officer_md)) == {ntl}  # partner of Nam Từ Liêm
    assert set(WorkingGroup.objects.visible_to(cast.users.officer_lb)) == {lb}
    assert set(WorkingGroup.objects.visible_to(cast.users.staff_hn)) == {ntl, lb}
    assert not WorkingGroup.objects.visible_to(cast.users.staff_na).exists()
    assert set(WorkingGroup.objects.editable_by(cast.users.officer_ntl)) == {ntl}
    assert not WorkingGroup.objects.editable_by(cast.users.officer_md).exists()
