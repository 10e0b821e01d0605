"""The report resources, as the admin uses them: formula escaping, typed values."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from programs.resources import ActivityResource, DonationResource, ReviewResource
from tests import factories as f
from twinning.lib.resources import EscapedText, escape_formula, unescape_formula


def test_it_escapes_formula_like_text_and_leaves_numbers_and_dates_alone():
    for text in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"):
        escaped = escape_formula(text)
        assert isinstance(escaped, EscapedText) and str(escaped) == "'" + text and escaped.text == text
        assert unescape_formula(str(escaped)) == text
    for value in (-5, 240_000_000, datetime.date(2023, 3, 30), "Chuyên đề", "", None):
        assert escape_formula(value) is value
    assert unescape_formula("'Tây Mỗ") == "'Tây Mỗ"


def test_it_exports_activities_from_the_admin_with_formulas_escaped(cast, client):
    f.activity(cast.taymo_md, title="=cmd|' /C calc'!A0", teachers_count=3)
    client.force_login(cast.users.superuser)
    response = client.post(
        reverse("admin:programs_activity_export"),
        {"format": "0", "resource": "0", **{f"activityresource_{name}": "on" for name in ActivityResource().fields}},
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = dict(zip([c.value for c in sheet[1]], sheet[2], strict=True))
    assert row["Tên hoạt động"].data_type == "s" and row["Tên hoạt động"].value == "'=cmd|' /C calc'!A0"
    assert row["Ngày"].is_date and row["Số giáo viên tham gia"].value == 3


def test_it_exports_typed_dates_for_spreadsheets_and_day_first_text_otherwise(cast):
    f.activity(cast.taymo_md, title="Chuyên đề", happened_on=datetime.date(2023, 3, 30))
    native = ActivityResource().export(force_native_type=True)
    text = ActivityResource().export()
    assert native["Ngày"] == [datetime.date(2023, 3, 30)] and text["Ngày"] == ["30/03/2023"]


def test_it_keeps_private_notes_out_of_the_donation_resource(cast):
    f.donation(cast.program, cast.office["md"], private_note="Em A", donor_org=cast.office["ntl"])
    exported = DonationResource().export()
    assert "Em A" not in str(exported.dict)


def test_it_exports_reviews_with_the_activities_behind_a_commendation(cast):
    from programs.models import Review

    activity = f.activity(cast.taymo_md, title="Giao lưu", happened_on=datetime.date(2023, 3, 1))
    review = Review.objects.create(
        pair=cast.taymo_md, school_year="2022-2023", status="rated", rating="good", commended=True, commendation="Tốt"
    )
    review.commendation_activities.set([activity])
    row = ReviewResource().export().dict[0]
    assert row["Hoạt động làm căn cứ khen thưởng"] == "01/03/2023 – Giao lưu"
    assert row["Được khen thưởng"] == "Có" and row["Xếp loại"] == "Tốt" and row["Năm học"] == "2022–2023"
