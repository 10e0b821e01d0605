"""The pieces of a bulk import agree with what they replace: the check constraints
evaluated in Python with what the database says of them, the lookups of a whole column
with a lookup per cell, COPY with bulk_create."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from programs.models import Donation, Pair
from schools.models import Organization
from schools.resources import OrganizationWidget
from tests import factories as f
from twinning.lib.bulk_checks import constraint_errors, evaluate
from twinning.lib.bulk_write import insert_rows


def _database_says(instance, exclude):
    try:
        instance.validate_constraints(exclude=exclude)
    except ValidationError as error:
        return error.message_dict
    return {}


def _python_says(instance, exclude):
    return (
        ValidationError(constraint_errors(instance, exclude)).message_dict
        if constraint_errors(instance, exclude)
        else {}
    )


@pytest.mark.parametrize(
    "nature,amount,quantity,unit_label,donor_name",
    list(itertools.product(["money", "in_kind", ""], [None, 0, 5], [None, 0, 3], ["", "sách"], ["", "X"])),
)
def test_donation_constraints_in_python_match_the_database(cast, nature, amount, quantity, unit_label, donor_name):
    donation = Donation(
        program=cast.program,
        kind="books",
        nature=nature,
        amount=amount,
        quantity=quantity,
        unit_label=unit_label,
        donor_name=donor_name,
        given_on=datetime.date(2024, 1, 1),
        recipient=cast.school_md,
    )
    for exclude in (set(), {"amount"}, {"nature", "donor_name"}):
        assert _python_says(donation, exclude) == _database_says(donation, exclude)


def test_pair_constraints_in_python_match_the_database(cast):
    office = cast.office["ml"]
    for mentor, mentee, status in itertools.product(
        [cast.taymo, cast.school_md, office], [cast.school_md, office], ["proposed", "declined"]
    ):
        pair = Pair(program=cast.program, mentor=mentor, mentee=mentee, status=status)
        pair._sync_kinds()
        for exclude in (set(), {"mentee"}, {"mentor"}):
            assert _python_says(pair, exclude) == _database_says(pair, exclude), (mentor, mentee, status, exclude)


def test_unknown_is_not_false():
    from django.db.models import F, Q

    donation = Donation(amount=None, quantity=None)
    assert evaluate(Q(amount__gt=0), donation) is None
    assert evaluate(~Q(amount__gt=0), donation) is None
    assert evaluate(Q(amount__isnull=True) | Q(amount__gt=0), donation) is True
    assert evaluate(Q(amount=F("quantity")), donation) is None


def test_a_column_looked_up_at_once_finds_what_each_cell_would(cast):
    f.org("Trường THCS Tây Mỗ", parent=cast.office["ntl"], code="HN-TM-2")  # the same name twice
    cells = [
        "hn-tm",
        "HN-MDA",
        "Trường THCS Tây Mỗ",
        "trường thcs mỹ đức a",
        "THCS TÂY MỖ",
        "Không có",
        12.0,
        " HN-TM ",
    ]
    one_by_one = OrganizationWidget()
    expected = []
    for cell in cells:
        try:
            expected.append(one_by_one.clean(cell))
        except ValueError as error:
            expected.append(str(error))
    at_once = OrganizationWidget()
    at_once.prefetch(cells)
    found = []
    for cell in cells:
        try:
            found.append(at_once.clean(cell))
        except ValueError as error:
            found.append(str(error))
    assert found == expected


def test_rows_inserted_at_once_read_back_as_written(cast):
    odd = "Tab\there, new\nline, back\\slash, \r and ‘quotes’"
    units = [
        Organization(
            kind="school", level="primary", name=f"Trường {i}", slug=f"truong-bulk-{i}", code=f"BW-{i}", note=odd
        )
        for i in range(3)
    ]
    units[1].student_count = 0
    units[2].parent = cast.office["lb"]
    insert_rows(Organization, units)
    assert all(unit.pk and not unit._state.adding for unit in units)
    stored = {unit.code: unit for unit in Organization.objects.filter(code__startswith="BW-")}
    assert [stored[u.code].pk for u in units] == [u.pk for u in units]
    assert {unit.note for unit in stored.values()} == {odd}
    assert stored["BW-1"].student_count == 0 and stored["BW-0"].student_count is None
    assert stored["BW-2"].parent == cast.office["lb"] and stored["BW-2"].created_at is not None
