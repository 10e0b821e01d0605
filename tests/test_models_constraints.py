"""Each invariant is refused twice: by full_clean() with a Vietnamese message next to the
field, and by the database itself when validation is bypassed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from programs.models import Donation, Memorandum, Pair, Program
from schools.models import Organization
from tests import factories as f


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def messages(error: ValidationError) -> list[str]:
    return [m for msgs in error.message_dict.values() for m in msgs]


def test_it_refuses_a_pair_with_the_same_school_on_both_sides(cast):
    pair = Pair(program=cast.program, mentor=cast.taymo, mentee=cast.taymo)
    with pytest.raises(ValidationError) as error:
        pair.full_clean()
    assert "Bên giúp đỡ và bên được giúp đỡ phải là hai đơn vị khác nhau." in error.value.message_dict["mentee"]
    with pytest.raises(IntegrityError), transaction.atomic():
        pair.save()


def test_it_refuses_a_school_paired_with_an_office(cast):
    pair = Pair(program=cast.program, mentor=cast.taymo, mentee=cast.office["md"])
    with pytest.raises(ValidationError) as error:
        pair.full_clean()
    assert error.value.message_dict["mentee"] == [
        "Trường chỉ kết nghĩa với trường, Phòng GD&ĐT chỉ kết nghĩa với Phòng GD&ĐT."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        pair.save()


def test_it_refuses_pairing_trade_unions(cast):
    union_hn = f.org("Công đoàn Giáo dục Hà Nội", Organization.Kind.UNION, area=cast.hanoi)
    pair = Pair(program=cast.program, mentor=union_hn, mentee=cast.union_na)
    with pytest.raises(ValidationError) as error:
        pair.full_clean()
    assert "Chỉ trường học, cụm chuyên môn, Sở GD&ĐT hoặc Phòng GD&ĐT mới kết nghĩa được." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        pair.save()


def test_it_pairs_two_departments_across_provinces(cast):
    pair = f.pair(cast.program, cast.dept, cast.dept_na)
    assert pair.kind_label == "Kết nghĩa giữa hai Sở"


def test_it_refuses_a_duplicate_pair_in_a_program(cast):
    duplicate = Pair(program=cast.program, mentor=cast.taymo, mentee=cast.school_md)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Cặp kết nghĩa này đã được đăng ký trong chương trình." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_it_allows_registering_again_after_a_declined_proposal(cast):
    declined = f.pair(cast.program, cast.school_lb, cast.school_ml, status=Pair.Status.DECLINED)
    again = f.pair(cast.program, cast.school_lb, cast.school_ml, status=Pair.Status.PROPOSED)
    assert declined.pk != again.pk


def test_it_allows_the_same_pair_in_another_program(cast):
    other = f.program("Chương trình khác", 2025, 2028)
    assert f.pair(other, cast.taymo, cast.school_md).pk


def test_it_refuses_a_donation_of_zero_or_negative_dong(cast):
    for amount in (0, -5):
        donation = Donation(
            program=cast.program,
            recipient=cast.school_md,
            donor_org=cast.taymo,
            kind="gift",
            amount=amount,
            given_on=datetime.date(2023, 3, 30),
        )
        with pytest.raises(ValidationError) as error:
            donation.full_clean()
        assert "Số tiền phải lớn hơn 0 đồng." in error.value.message_dict["amount"]
        with pytest.raises(IntegrityError), transaction.atomic():
            donation.save()


def test_it_refuses_a_donation_without_a_donor(cast):
    donation = Donation(
        program=cast.program, recipient=cast.school_md, kind="gift", amount=1, given_on=datetime.date(2023, 3, 30)
    )
    with pytest.raises(ValidationError) as error:
        donation.full_clean()
    assert "Hãy chọn đơn vị tặng hoặc nhập tên bên tặng." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        donation.save()


def test_it_refuses_a_second_organization_with_the_same_official_code(cast):
    twin = Organization(name="Trường khác", kind="school", level="primary", code="hn-tm")
    with pytest.raises(ValidationError) as error:
        twin.full_clean(exclude=["slug"])
    assert "Mã đơn vị này đã thuộc về một đơn vị khác." in messages(error.value)
    twin.code = "HN-TM"
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.bulk_create(
            [Organization(name="Trường khác", kind="school", level="primary", code="HN-TM", slug="truong-khac")]
        )


def test_it_allows_many_organizations_without_a_code(db):
    f.org("Trường A", code="")
    f.org("Trường B", code="")
    assert Organization.objects.filter(code="").count() == 2


def test_it_refuses_a_level_on_an_office(db):
    office = Organization(name="Phòng X", kind="office", level="primary")
    with pytest.raises(ValidationError) as error:
        office.full_clean(exclude=["slug"])
    assert "Chỉ trường học mới có cấp học." in messages(error.value)


def test_it_refuses_a_phase_that_ends_before_it_starts(db):
    program = Program(name="Sai", start_year=2025, end_year=2022)
    with pytest.raises(ValidationError) as error:
        program.full_clean(exclude=["slug"])
    assert "Năm kết thúc giai đoạn phải sau năm bắt đầu." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        program.save()


def test_it_refuses_a_memorandum_that_expires_before_it_starts(cast):
    memo = Memorandum(
        program=cast.program,
        title="Ghi nhớ",
        valid_from=datetime.date(2024, 3, 11),
        valid_until=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        memo.full_clean()
    assert "Ngày hết hiệu lực không thể trước ngày có hiệu lực." in messages(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        memo.save()


def test_it_gives_public_objects_urls_without_sequential_ids(cast):
    activity = f.activity(cast.taymo_md)
    for obj in (cast.program, cast.taymo_md, cast.taymo, activity):
        url = obj.get_absolute_url()
        assert f"/{obj.pk}/" not in url
    assert cast.taymo.get_absolute_url() == "/units/thcs-tay-mo/"
    assert cast.taymo_md.get_absolute_url() == f"/pairs/{cast.taymo_md.code}/"


def test_it_keeps_change_history_with_user_for_pairs_activities_donations_memoranda(cast):
    cast.taymo_md.status = Pair.Status.ENDED
    cast.taymo_md._history_user = cast.users.officer_ntl
    cast.taymo_md.save()
    last = cast.taymo_md.history.first()
    assert last.status == "ended" and last.history_user == cast.users.officer_ntl
    assert cast.taymo_md.history.count() == 2
    for model in (Memorandum, Donation):
        assert hasattr(model, "history")
    activity = f.activity(cast.taymo_md)
    assert activity.history.count() == 1


@pytest.mark.parametrize(
    "model, field, value, message",
    [
        ("pair", "started_on", datetime.date(1900, 1, 1), "Từ ngày (01/01/1900) trước ngày 01/01/1990."),
        ("pair", "ended_on", datetime.date(1989, 12, 31), "Ngày kết thúc (31/12/1989) trước ngày 01/01/1990."),
        ("memo", "signed_on", datetime.date(1900, 1, 1), "Ngày ký (01/01/1900) trước ngày 01/01/1990."),
        ("memo", "valid_from", datetime.date(1900, 1, 1), "Hiệu lực từ (01/01/1900) trước ngày 01/01/1990."),
        ("memo", "valid_until", datetime.date(1985, 6, 1), "Hiệu lực đến (01/06/1985) trước ngày 01/01/1990."),
    ],
)
def test_it_refuses_dates_before_1990(cast, model, field, value, message):
    obj = cast.taymo_md if model == "pair" else Memorandum(program=cast.program, title="Ghi nhớ")
    if model == "pair":
        obj.started_on = None  # else an end before 1990 is first an end before the start
    setattr(obj, field, value)
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert error.value.message_dict[field] == [message + " Vui lòng kiểm tra lại năm."]


def test_it_refuses_a_memorandum_signed_in_the_future_and_a_start_years_ahead(cast):
    from django.utils import timezone

    today = timezone.localdate()
    memo = Memorandum(program=cast.program, title="Ghi nhớ", signed_on=today + datetime.timedelta(days=1))
    memo.valid_from = today + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as error:
        memo.full_clean()
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert error.value.message_dict["signed_on"] == [
        f"Ngày ký ({tomorrow}) là một ngày trong tương lai. Vui lòng ghi ngày đã ký."
    ]
    assert "cách hôm nay hơn một năm" in error.value.message_dict["valid_from"][0]
    memo.signed_on, memo.valid_from = today, today + datetime.timedelta(days=300)
    memo.full_clean()  # signed today, in force within the year: fine
    pair = cast.taymo_md
    pair.started_on = today + datetime.timedelta(days=366)
    with pytest.raises(ValidationError) as error:
        pair.full_clean()
    assert "cách hôm nay hơn một năm" in error.value.message_dict["started_on"][0]
    pair.started_on = today + datetime.timedelta(days=200)  # registered ahead of the school year
    pair.full_clean()


def test_it_refuses_a_school_pair_with_no_level_in_common(cast):
    kindergarten = f.org("Trường Mầm non Hoa Sen", parent=cast.office["ntl"], level=Organization.Level.PRESCHOOL)
    upper = f.org("Trường THPT Mỹ Đức A", parent=cast.dept, level=Organization.Level.UPPER_SECONDARY)
    pair = Pair(program=cast.program, mentor=kindergarten, mentee=upper)
    with pytest.raises(ValidationError) as error:
        pair.full_clean()
    assert error.value.message_dict["mentee"] == [
        "Trường Mầm non Hoa Sen thuộc cấp học Mầm non, còn Trường THPT Mỹ Đức A thuộc cấp học THPT: "
        "hai trường kết nghĩa phải có chung một cấp học."
    ]
    # A multi-level school (liên cấp) shares a level with any school.
    multi = f.org("Trường Liên cấp Đoàn Thị Điểm", parent=cast.dept, level=Organization.Level.MULTI)
    Pair(program=cast.program, mentor=multi, mentee=kindergarten).full_clean()
    Pair(program=cast.program, mentor=upper, mentee=multi).full_clean()


def test_it_still_lets_a_pair_registered_before_the_level_rule_be_ended(cast):
    primary = f.org("Trường Tiểu học Mỹ Đức B", parent=cast.office["md"], level=Organization.Level.PRIMARY)
    Pair.objects.create(program=cast.program, mentor=cast.taymo, mentee=primary, status="active")
    legacy = Pair.objects.get(mentee=primary)
    legacy.status, legacy.ended_on = "ended", datetime.date(2024, 5, 31)
    legacy.full_clean()  # the sides did not change: no level check
    legacy.mentee = cast.school_md
    legacy.mentee = primary
    legacy.full_clean()
    legacy.mentee = cast.school_ml  # choosing another side is checked
    with pytest.raises(ValidationError):
        legacy.full_clean()
