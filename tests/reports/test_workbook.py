"""The annual summary workbook and its CSV sheets, opened as Excel would."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Job
from programs.models import Program
from tests import factories as f
from tests.helpers import annual_workbook
from tests.reports.conftest import YEAR

HN = "nha-truong-cung-chung-tay-phat-trien-2022-2025"


def workbook(client, **params):
    return annual_workbook(client, **params)


def content(response):
    """The body of a streamed CSV download."""
    return b"".join(response.streaming_content)


def rows(sheet):
    """The sheet's rows as dicts keyed by header (row 1 is the sheet's title)."""
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def cells(sheet, header):
    """The data cells of the column with this header."""
    column = [c.value for c in sheet[2]].index(header) + 1
    return [sheet.cell(row=r, column=column) for r in range(3, sheet.max_row + 1)]


def test_it_holds_the_nam_tu_liem_sponsorship_as_the_number_240000000(demo, client):
    client.force_login(demo.users["sogd.hanoi"])
    book = workbook(client, program=HN, year="2022-2023")
    assert book.sheetnames == [
        "Tổng hợp theo đơn vị",
        "Cặp kết nghĩa",
        "Hoạt động",
        "Hỗ trợ",
        "Tổng kết năm học",
        "Khoảng cách chỉ số",
    ]
    summary = {row["Đơn vị"]: row for row in rows(book["Tổng hợp theo đơn vị"])}
    ntl = summary["Phòng GD&ĐT Nam Từ Liêm"]
    assert ntl["Đỡ đầu học sinh cho đơn vị khác (đồng)"] == 240000000
    assert isinstance(ntl["Đỡ đầu học sinh cho đơn vị khác (đồng)"], int)
    # The 20.000.000 ₫ of gift packages and the 129.000.000 ₫ for Nam Từ Liêm's own
    # students are there too, each in its own column, never added to the sponsorship.
    assert ntl["Hỗ trợ ngoài đỡ đầu học sinh cho đơn vị khác (đồng)"] == 20000000
    assert ntl["Hỗ trợ trong nội bộ đơn vị (đồng)"] == 129000000
    assert summary["Phòng GD&ĐT Mỹ Đức"]["Nhận hỗ trợ (đồng)"] == 260000000
    amount = cells(book["Tổng hợp theo đơn vị"], "Đỡ đầu học sinh cho đơn vị khác (đồng)")[0]
    assert amount.number_format == "#,##0"
    donations = {row["Mã khoản hỗ trợ"]: row for row in rows(book["Hỗ trợ"])}
    assert donations["dd-ntl-129tr"]["Phân loại hỗ trợ"] == "Trong nội bộ đơn vị"
    assert donations["dd-ntl-240tr"]["Phân loại hỗ trợ"] == "Cho đơn vị khác"


def test_it_writes_the_lesson_of_30_march_2023_with_its_date_as_a_date(demo, client):
    client.force_login(demo.users["sogd.hanoi"])
    sheet = workbook(client, program=HN, year="2022-2023")["Hoạt động"]
    codes = [c.value for c in cells(sheet, "Mã hoạt động")]
    row = codes.index("hd-taymo-nv6")
    date = cells(sheet, "Ngày")[row]
    assert date.is_date and date.value.date() == datetime.date(2023, 3, 30)
    assert date.number_format == "dd/mm/yyyy"
    assert cells(sheet, "Lượt người tham gia")[row].data_type == "n"


@pytest.mark.parametrize("title", ['=HYPERLINK("http://example.com","bấm vào")', "+1+2", "-2+3", "@SUM(A1:A2)"])
def test_it_writes_a_formula_typed_into_an_activity_title_as_text(cast, client, title):
    f.activity(
        cast.taymo_md, title=title, happened_on=datetime.date(2022, 10, 3), teachers_count=5, description="\t=1+1"
    )
    client.force_login(cast.users.staff_hn)
    sheet = workbook(client, program=cast.program.slug, year=YEAR)["Hoạt động"]
    cell = cells(sheet, "Tên hoạt động")[0]
    assert cell.data_type == "s" and cell.value == title
    assert cell.quotePrefix
    description = cells(sheet, "Mô tả")[0]
    assert description.data_type == "s" and description.value == "\t=1+1"
    # Counts and dates on the same row stay typed.
    assert cells(sheet, "Số giáo viên tham gia")[0].value == 5
    assert cells(sheet, "Ngày")[0].is_date
    response = client.get(reverse("reports:annual-summary-csv", args=["activities"]), {"program": cast.program.slug})
    assert response.status_code == 200
    row = list(csv.DictReader(io.StringIO(content(response).decode("utf-8-sig"))))
    assert row[0]["Tên hoạt động"] == "'" + title


def test_it_gives_an_officer_only_their_office_rows(cast, year_data, client):
    client.force_login(cast.users.officer_ntl)
    book = workbook(client, program=cast.program.slug, year=YEAR)
    summary = [row["Đơn vị"] for row in rows(book["Tổng hợp theo đơn vị"])]
    assert summary == ["Phòng GD&ĐT Nam Từ Liêm", "Toàn bộ (mỗi cặp tính một lần)"]
    assert {row["Mã cặp kết nghĩa"] for row in rows(book["Cặp kết nghĩa"])} == {cast.ntl_md.code, cast.taymo_md.code}
    titles = {row["Tên hoạt động"] for row in rows(book["Hoạt động"])}
    assert titles == {"Chuyên đề Ngữ văn 6", "Giao lưu chờ xác nhận", "Giao lưu tháng 11"}
    amounts = sorted(row["Số tiền (đồng)"] for row in rows(book["Hỗ trợ"]))
    assert amounts == [20_000_000, 129_000_000, 240_000_000]
    assert [row["Mã cặp kết nghĩa"] for row in rows(book["Tổng kết năm học"])] == [cast.taymo_md.code]
    text = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    assert "Long Biên" not in text and "Mê Linh" not in text and "Công ty ABC" not in text


def test_it_never_exports_the_private_note_about_children_not_even_to_the_department(cast, year_data, client):
    note = "Em Nguyễn Văn An, lớp 6A, mồ côi cha"
    for user in (cast.users.staff_hn, cast.users.officer_ntl):
        client.force_login(user)
        book = workbook(client, program=cast.program.slug, year=YEAR)
        assert "Ghi chú riêng về người nhận" not in [c.value for c in book["Hỗ trợ"][2]]
        text = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
        assert note not in text and "Nguyễn Văn An" not in text
        response = client.get(
            reverse("reports:annual-summary-csv", args=["donations"]), {"program": cast.program.slug, "year": YEAR}
        )
        assert "Nguyễn Văn An" not in content(response).decode("utf-8-sig")


def test_it_freezes_the_header_row_and_sizes_the_columns(cast, year_data, client):
    client.force_login(cast.users.staff_hn)
    book = workbook(client, program=cast.program.slug, year=YEAR)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A3"
        assert sheet["A2"].font.bold
        widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
        assert all(width and width >= 8 for width in widths), (sheet.title, widths)
    activities = book["Hoạt động"]
    title_column = [c.value for c in activities[2]].index("Tên hoạt động")
    letter = activities.cell(row=2, column=title_column + 1).column_letter
    assert activities.column_dimensions[letter].width >= len("Giao lưu chờ xác nhận")


def test_it_writes_each_sheet_as_csv_with_a_byte_order_mark(cast, year_data, client):
    client.force_login(cast.users.staff_hn)
    for sheet in ("summary", "pairs", "activities", "donations", "reviews"):
        response = client.get(
            reverse("reports:annual-summary-csv", args=[sheet]), {"program": cast.program.slug, "year": YEAR}
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert content(response).startswith("\ufeff".encode())
    response = client.get(
        reverse("reports:annual-summary-csv", args=["activities"]), {"program": cast.program.slug, "year": YEAR}
    )
    lines = list(csv.reader(io.StringIO(content(response).decode("utf-8-sig"))))
    assert lines[0][:4] == ["Mã hoạt động", "Mã cặp kết nghĩa", "Cặp kết nghĩa", "Ngày"]
    assert ["30/03/2023", "Chuyên đề Ngữ văn 6"] == [lines[-1][3], lines[-1][6]]
    assert lines[-1][15] == "30"  # people taking part: a plain number


def test_it_refuses_a_bad_year_a_bad_sheet_and_a_program_outside_the_scope(cast, year_data, client):
    client.force_login(cast.users.officer_ntl)
    assert client.post(reverse("reports:annual-summary-xlsx"), {"year": "2022"}).status_code == 404
    assert client.get(reverse("reports:annual-summary-csv", args=["secrets"])).status_code == 404
    assert client.post(reverse("reports:annual-summary-xlsx"), {"program": cast.program_na.slug}).status_code == 404
    assert not Job.objects.exists()
    client.force_login(cast.users.principal_taymo)
    assert client.post(reverse("reports:annual-summary-xlsx")).status_code == 403
    client.logout()
    response = client.post(reverse("reports:annual-summary-xlsx"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_it_builds_the_workbook_with_a_fixed_number_of_queries(db, client):
    from django.contrib.auth import get_user_model

    def queries():
        user = get_user_model().objects.get(username="synthetic.sogd")
        program = Program.objects.get(slug="synthetic-du-lieu-gia-lap")
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            book = workbook(client, program=program.slug)
        return len(captured), book["Hoạt động"].max_row

    call_command("generate_synthetic_data", pairs=4, activities=20, verbosity=0)
    small, small_rows = queries()
    call_command("generate_synthetic_data", remove=True, verbosity=0)
    call_command("generate_synthetic_data", pairs=40, activities=400, verbosity=0)
    large, large_rows = queries()
    assert large_rows > 5 * small_rows
    # session, user, scope, programs, year span; the report figures (11); pairs, activities,
    # donations, reviews and the activities behind commendations
    assert small == large
