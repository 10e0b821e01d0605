"""Spreadsheet import and export (django-import-export resources, admin pages)."""

import unicodedata

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from programs.models import Donation, Pair
from programs.resources import DonationResource, PairResource
from schools.models import Organization
from schools.resources import OrganizationResource
from tests.helpers import xlsx_bytes

HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Tên ngắn",
    "Loại đơn vị",
    "Cấp học",
    "Khu vực",
    "Tỉnh/thành phố",
    "Quận/huyện",
    "Đơn vị quản lý",
]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def dataset(rows):
    data = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        data.append(row)
    return data


def good_rows(cast):
    return [
        HEADER,
        [
            "HN-MD-01",
            "Trường Mầm non Hợp Thanh",
            "MN Hợp Thanh",
            "Trường học",
            "Mầm non",
            "Nông thôn",
            "Hà Nội",
            "Mỹ Đức",
            "Phòng GD&ĐT Mỹ Đức",
        ],
        [
            "hn-md-02",
            "Trường Tiểu học Phù Lưu Tế",
            "",
            "school",
            "TH",
            "nông thôn",
            "Hà Nội",
            "huyện Mỹ Đức",
            "Phòng GD&ĐT Mỹ Đức",
        ],
    ]


def test_it_imports_organizations_and_updates_them_on_a_second_import(cast):
    resource = OrganizationResource()
    result = resource.import_data(dataset(good_rows(cast)), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    school = Organization.objects.get(code="HN-MD-01")
    assert (school.kind, school.level, school.area_type) == ("school", "preschool", "rural")
    assert school.parent == cast.office["md"] and school.area == cast.districts["Mỹ Đức"]
    assert school.province == cast.hanoi
    assert Organization.objects.get(code="HN-MD-02").level == "primary"
    count = Organization.objects.count()

    rows = good_rows(cast)
    rows[1][2] = "MN Hợp Thanh (đổi tên)"
    result = OrganizationResource().import_data(dataset(rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Organization.objects.count() == count
    assert Organization.objects.get(code="HN-MD-01").short_name == "MN Hợp Thanh (đổi tên)"
    assert [row.import_type for row in result.rows] == ["update", "skip"]


def test_it_treats_differently_composed_vietnamese_as_the_same_text(cast):
    rows = good_rows(cast)
    rows[1][1] = unicodedata.normalize("NFD", "Trường Mầm non Hợp Thanh")  # letters and marks typed apart
    OrganizationResource().import_data(dataset(rows), dry_run=False)
    assert Organization.objects.get(code="HN-MD-01").name == "Trường Mầm non Hợp Thanh"


def test_it_rejects_a_sheet_with_a_bad_row_whole_and_names_the_row(cast):
    rows = good_rows(cast) + [
        ["HN-MD-03", "Trường THCS Lê Thanh", "", "Trường học", "Đại học", "", "Hà Nội", "Mỹ Đức", "Phòng GD&ĐT Mỹ Đức"],
        ["", "Trường không mã", "", "Trường học", "THCS", "", "Hà Nội", "Quận Không Có", ""],
    ]
    before = Organization.objects.count()
    result = OrganizationResource().import_data(dataset(rows), dry_run=False)
    assert result.has_validation_errors()
    assert Organization.objects.count() == before
    invalid = {row.number: row for row in result.invalid_rows}
    assert set(invalid) == {3, 4}
    assert any("Đại học" in message for messages in invalid[3].error_dict.values() for message in messages)
    row4 = [m for messages in invalid[4].error_dict.values() for m in messages]
    assert "Cần có mã đơn vị: các dòng được đối chiếu theo mã này." in row4
    assert "Không tìm thấy xã, phường hay quận, huyện “Không Có”." in row4


def test_it_rejects_the_sheet_in_the_admin_with_the_row_number(cast, client):
    client.force_login(cast.users.superuser)
    rows = good_rows(cast) + [["HN-MD-09", "Trường X", "", "Trường học", "Đại học", "", "Hà Nội", "Mỹ Đức", ""]]
    upload = SimpleUploadedFile("truong.xlsx", xlsx_bytes(rows))
    response = client.post(
        reverse("admin:schools_organization_import"), {"resource": "0", "format": "0", "import_file": upload}
    )
    assert response.status_code == 200
    assert "Dòng số" in response.text or "3" in response.text
    assert "“Đại học” không thuộc các giá trị" in response.text
    assert not Organization.objects.filter(code__startswith="HN-MD-0").exists()


def test_it_imports_pairs_by_their_natural_key(cast):
    rows = [
        ["Chương trình", "Bên giúp đỡ", "Bên được giúp đỡ", "Mã kết nghĩa giữa hai Phòng", "Trạng thái", "Từ ngày"],
        [cast.program.slug, "HN-TM", "Trường THCS Mỹ Đức A", cast.ntl_md.code, "Đang kết nghĩa", "11/03/2024"],
        [
            cast.program.slug,
            "Trường Tiểu học Long Biên A",
            "Trường Tiểu học Mê Linh A",
            cast.lb_ml.code,
            "",
            "2024-03-11",
        ],
    ]
    result = PairResource().import_data(dataset(rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert Pair.objects.filter(program=cast.program, mentor=cast.taymo, mentee=cast.school_md).count() == 1
    new = Pair.objects.get(mentor=cast.school_lb, mentee=cast.school_ml)
    assert new.status == "proposed" and new.parent == cast.lb_ml and str(new.started_on) == "2024-03-11"


def test_it_refuses_a_pair_row_pairing_a_school_with_an_office(cast):
    rows = [["Chương trình", "Bên giúp đỡ", "Bên được giúp đỡ"], [cast.program.slug, "HN-TM", "Phòng GD&ĐT Mê Linh"]]
    result = PairResource().import_data(dataset(rows), dry_run=False)
    assert result.has_validation_errors()
    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert "Trường chỉ kết nghĩa với trường, Phòng GD&ĐT chỉ kết nghĩa với Phòng GD&ĐT." in messages


def test_it_imports_and_exports_donations_with_amounts_as_people_write_them(cast):
    rows = [
        ["Chương trình", "Hình thức hỗ trợ", "Số tiền (đồng)", "Số suất", "Ngày", "Tên bên tặng", "Bên nhận"],
        [
            cast.program.slug,
            "Đỡ đầu",
            "240.000.000",
            "",
            "30/03/2023",
            "Nhà giáo quận Nam Từ Liêm",
            "Phòng GD&ĐT Mỹ Đức",
        ],
        [cast.program.slug, "Suất quà", 20000000, 2, "30/03/2023", "Nhà giáo quận Nam Từ Liêm", "Phòng GD&ĐT Mỹ Đức"],
    ]
    result = DonationResource().import_data(dataset(rows), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors(), result.invalid_rows
    assert sorted(Donation.objects.values_list("amount", flat=True)) == [20_000_000, 240_000_000]
    exported = DonationResource().export()
    assert "Ghi chú riêng" not in exported.headers and "private_note" not in exported.headers
    assert 240_000_000 in exported["Số tiền (đồng)"]
    # Re-importing the exported sheet (with its codes) updates instead of duplicating.
    result = DonationResource().import_data(exported, dry_run=False)
    assert not result.has_validation_errors()
    assert Donation.objects.count() == 2


def test_it_refuses_a_donation_of_zero(cast):
    rows = [
        ["Chương trình", "Hình thức hỗ trợ", "Số tiền (đồng)", "Ngày", "Tên bên tặng", "Bên nhận"],
        [cast.program.slug, "Sách", "0", "01/10/2023", "Nhà sách", "HN-MDA"],
    ]
    result = DonationResource().import_data(dataset(rows), dry_run=False)
    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert "Số tiền phải lớn hơn 0 đồng." in messages
    assert not Donation.objects.exists()


def test_it_refuses_donation_rows_dated_in_the_future_or_before_2000(cast):
    import datetime

    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    rows = [
        ["Chương trình", "Hình thức hỗ trợ", "Số tiền (đồng)", "Ngày", "Tên bên tặng", "Bên nhận"],
        [cast.program.slug, "Sách", "1.000.000", f"{tomorrow:%d/%m/%Y}", "Nhà sách", "HN-MDA"],
        [cast.program.slug, "Sách", "1.000.000", "15/10/1999", "Nhà sách", "HN-MDA"],
        [cast.program.slug, "Sách", "1.000.000", "15/10/2023", "Nhà sách", "HN-MDA"],
    ]
    result = DonationResource().import_data(dataset(rows), dry_run=False)
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors[1]["given_on"] == ["Ngày trao không được sau hôm nay: chỉ ghi nhận khoản hỗ trợ đã trao."]
    assert errors[2]["given_on"] == [
        "Ngày 15/10/1999 quá xa: chỉ nhận ngày từ 01/01/2000 trở đi. Vui lòng kiểm tra lại năm."
    ]
    assert 3 not in errors
    assert not Donation.objects.exists()  # all or nothing


def test_it_accepts_english_headers_too(cast):
    with translation.override("en"):
        rows = [
            ["Official code", "Name", "Kind of unit", "School level", "Province", "District", "Managed by"],
            ["HN-MD-07", "Trường THCS Đốc Tín", "school", "lower secondary", "Ha Noi", "My Duc", "HN-MDA"],
        ]
    result = OrganizationResource().import_data(dataset(rows), dry_run=False)
    assert result.has_validation_errors()  # "Ha Noi" without diacritics is not a province name here
    rows[1][4] = "Hà Nội"
    rows[1][5] = "Mỹ Đức"
    rows[1][6] = "Phòng GD&ĐT Mỹ Đức"
    result = OrganizationResource().import_data(dataset(rows), dry_run=False)
    assert not result.has_validation_errors(), result.invalid_rows
    assert Organization.objects.get(code="HN-MD-07").level == "lower_secondary"
