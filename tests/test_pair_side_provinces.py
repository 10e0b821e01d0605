"""A pair keeps copies of its two sides' provinces (``Pair.mentor_province``,
``mentee_province``), through which a Department's pairs are found by index (issue 11).
The copies equal the units' provinces after every kind of write that sets or moves
them: a pair saved or imported in bulk, a unit saved in another place, a unit moved
by a schools import, an area corrected into another province."""

import pytest

from programs.bulk import save_pairs
from programs.models import Pair
from programs.rules import rule_q
from schools.bulk import save_units
from schools.models import Area, Organization
from schools.scope import Scope
from tests import factories as f

pytestmark = pytest.mark.django_db


def mismatches():
    """Pairs whose copies differ from their sides' provinces (a recount)."""
    return [
        (pair.pk, pair.mentor_province_id, pair.mentor.province_id, pair.mentee_province_id, pair.mentee.province_id)
        for pair in Pair.objects.select_related("mentor", "mentee")
        if (pair.mentor_province_id, pair.mentee_province_id) != (pair.mentor.province_id, pair.mentee.province_id)
    ]


@pytest.fixture
def world():
    north = f.area("Tỉnh Bắc", Area.Kind.PROVINCE)
    south = f.area("Tỉnh Nam", Area.Kind.PROVINCE)
    district = f.area("Huyện Núi", parent=north)
    program = f.program()
    mentor = f.org("Trường THCS Phố", area=north)
    mentee = f.org("Trường THCS Núi", area=district)
    pair = f.pair(program, mentor, mentee)
    return north, south, district, program, mentor, mentee, pair


def test_a_saved_pair_copies_its_sides_provinces(world):
    north, _south, _district, _program, _mentor, _mentee, pair = world
    pair.refresh_from_db()
    assert (pair.mentor_province_id, pair.mentee_province_id) == (north.pk, north.pk)
    assert mismatches() == []


def test_a_unit_saved_in_another_province_moves_its_pairs_copies(world):
    north, south, _district, _program, _mentor, mentee, pair = world
    mentee.area = south
    mentee.save()
    pair.refresh_from_db()
    assert (pair.mentor_province_id, pair.mentee_province_id) == (north.pk, south.pk)
    assert mismatches() == []
    # The Department of the new province finds the pair; the rule reads the copies.
    department = Scope(department_ids=frozenset({0}), province_ids=frozenset({south.pk}))
    assert list(Pair.objects.filter(rule_q("pair", "view", department))) == [pair]


def test_an_area_corrected_into_another_province_moves_the_copies(world):
    _north, south, district, _program, _mentor, _mentee, pair = world
    district.parent = south
    district.save()  # refresh_provinces
    pair.refresh_from_db()
    assert pair.mentee_province_id == south.pk
    assert mismatches() == []


def test_a_schools_import_moving_a_unit_moves_the_copies(world):
    _north, south, _district, _program, mentor, _mentee, pair = world
    unit = Organization.objects.get(pk=mentor.pk)
    before = {"area_id": unit.area_id}
    unit.area = south
    save_units([], [(unit, before)])
    pair.refresh_from_db()
    assert pair.mentor_province_id == south.pk
    assert mismatches() == []


def test_pairs_saved_in_bulk_get_their_copies(world):
    north, south, _district, program, _mentor, _mentee, _pair = world
    one = f.org("Trường THCS Biển", area=south)
    two = f.org("Trường THCS Sông", area=north)
    save_pairs([Pair(program=program, mentor=one, mentee=two, status=Pair.Status.ACTIVE)], [])
    new = Pair.objects.get(mentor=one)
    assert (new.mentor_province_id, new.mentee_province_id) == (south.pk, north.pk)
    assert mismatches() == []


def test_the_demo_pairs_copies_match(cast):
    assert Pair.objects.exists() and mismatches() == []


def test_a_department_s_pairs_are_not_read_first_as_ids_an_officer_s_are(world, django_assert_num_queries):
    north, _south, district, _program, _mentor, _mentee, pair = world
    department = Scope(department_ids=frozenset({0}), province_ids=frozenset({north.pk}))
    officer = Scope(manager_ids=frozenset({pair.mentee_id}))
    assert department.sides_by_index and not officer.sides_by_index
    with django_assert_num_queries(0):
        same = Pair.objects.filter(rule_q("pair", "view", department)).pinned(scope=department)
    assert list(same) == [pair]
    with django_assert_num_queries(1):  # the ids, read once
        Pair.objects.filter(rule_q("pair", "view", officer)).pinned(scope=officer)
