"""/workspace/import/: schools and pairs from real XLSX and CSV files, previewed row by
row, all or nothing, restricted to the officer's scope."""

import io
import unicodedata

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from programs.models import Pair
from schools.models import Organization
from tests import factories as f
from tests.helpers import csv_bytes, page_text, xlsx_bytes
from tests.workspace_officer.conftest import PDF, csv_cp1258

SCHOOL_HEADER = ["Mã đơn vị", "Tên đơn vị", "Tên ngắn", "Cấp học", "Khu vực", "Quận/huyện", "Đơn vị quản lý"]


def school_rows():
    return [
        SCHOOL_HEADER,
        ["HN-LB-MN-01", "Trường Mầm non Hoa Sữa", "MN Hoa Sữa", "Mầm non", "Thành thị", "Long Biên", ""],
        ["hn-lb-th-02", "Trường Tiểu học Ngọc Lâm", "", "Tiểu học", "thành thị", "", "Phòng GD&ĐT Long Biên"],
        ["HN-LB-THCS-03", "Trường THCS Đức Giang", "THCS Đức Giang", "THCS", "", "Long Biên", ""],
    ]


def upload(client, kind, content, name):
    return client.post("/workspace/import/", {"kind": kind, "file": SimpleUploadedFile(name, content)})


def preview(client, response):
    assert response.status_code == 302, page_text(response)
    return client.get(response["Location"]), response["Location"]


def confirm(client, preview_url):
    return client.post(preview_url + "confirm/")


def test_it_imports_a_good_xlsx_of_schools_after_a_preview(client_for, cast):
    client = client_for(cast.users.officer_lb)
    page, url = preview(client, upload(client, "schools", xlsx_bytes(school_rows()), "truong.xlsx"))
    text = page_text(page)
    assert "Sẵn sàng: thêm mới 3, cập nhật 0, giữ nguyên 0." in text
    assert "dòng 2" in text and "Trường Mầm non Hoa Sữa" in text
    assert not Organization.objects.filter(code__startswith="HN-LB-").exists()  # nothing before confirming
    response = confirm(client, url)
    assert response.status_code == 302 and response["Location"] == "/workspace/units/"
    schools = Organization.objects.filter(code__startswith="HN-LB-").order_by("code")
    assert [(s.code, s.level, s.parent) for s in schools] == [
        ("HN-LB-MN-01", "preschool", cast.office["lb"]),
        ("HN-LB-TH-02", "primary", cast.office["lb"]),
        ("HN-LB-THCS-03", "lower_secondary", cast.office["lb"]),
    ]
    assert all(s.kind == "school" and s.province == cast.hanoi for s in schools)
    assert schools[1].area == cast.districts["Long Biên"]  # the office's district when left empty
    units = page_text(client.get("/workspace/units/"))
    assert "Đã nhập xong: thêm mới 3, cập nhật 0, giữ nguyên 0." in units and "Trường THCS Đức Giang" in units


def test_it_reads_a_csv_saved_in_windows_1258_as_nfc(client_for, cast):
    rows = school_rows()
    rows[1][1] = unicodedata.normalize("NFD", "Trường Mầm non Tây Mỗ Hoa Sữa")
    content = csv_cp1258(rows)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    client = client_for(cast.users.officer_lb)
    page, url = preview(client, upload(client, "schools", content, "truong.csv"))
    assert "thêm mới 3" in page_text(page)
    confirm(client, url)
    school = Organization.objects.get(code="HN-LB-MN-01")
    assert school.name == "Trường Mầm non Tây Mỗ Hoa Sữa"
    assert unicodedata.is_normalized("NFC", school.name)
    assert Organization.objects.get(code="HN-LB-THCS-03").name == "Trường THCS Đức Giang"


def test_it_reads_csv_in_utf8_with_or_without_bom_and_semicolons(client_for, cast):
    client = client_for(cast.users.officer_lb)
    for encoding in ("utf-8-sig", "utf-8"):
        page, url = preview(client, upload(client, "schools", csv_bytes(school_rows(), encoding), "truong.csv"))
        assert "Sẵn sàng" in page_text(page), encoding
    semicolons = "\n".join(";".join(row) for row in school_rows()).encode("utf-8")
    page, url = preview(client, upload(client, "schools", semicolons, "truong.csv"))
    assert "thêm mới 3" in page_text(page)


def test_it_lists_every_bad_row_and_saves_nothing(client_for, cast):
    rows = school_rows() + [
        ["HN-LB-X-04", "Trường Đại học Long Biên", "", "Đại học", "", "Long Biên", ""],
        ["", "Trường không mã", "", "THCS", "", "Long Biên", ""],
    ]
    rows.insert(3, [None] * len(SCHOOL_HEADER))  # a blank line: Excel row numbers still count it
    client = client_for(cast.users.officer_lb)
    page, url = preview(client, upload(client, "schools", xlsx_bytes(rows), "truong.xlsx"))
    errors = page.context["report"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(6, "Cấp học"), (7, "Mã đơn vị")]
    text = page_text(page)
    assert "Bảng tính có 2 lỗi. Chưa có gì được lưu cho đến khi sửa xong." in text
    assert "“Đại học” không thuộc các giá trị" in text
    assert "Cần có mã đơn vị: các dòng được đối chiếu theo mã này." in text
    assert "Xác nhận nhập" not in text
    response = confirm(client, url)  # even when forced, nothing is saved
    assert "Chưa nhập gì" in page_text(response)
    assert not Organization.objects.filter(code__startswith="HN-LB-").exists()


def test_it_changes_nothing_when_the_same_sheet_is_imported_twice(client_for, cast):
    client = client_for(cast.users.officer_lb)
    content = xlsx_bytes(school_rows())
    confirm(client, preview(client, upload(client, "schools", content, "truong.xlsx"))[1])
    before = {o.code: (o.name, o.updated_at) for o in Organization.objects.all()}
    page, url = preview(client, upload(client, "schools", content, "truong.xlsx"))
    assert "Sẵn sàng: thêm mới 0, cập nhật 0, giữ nguyên 3." in page_text(page)
    confirm(client, url)
    assert {o.code: (o.name, o.updated_at) for o in Organization.objects.all()} == before


def test_it_refuses_rows_outside_the_officers_scope(client_for, cast):
    rows = [
        SCHOOL_HEADER,
        ["HN-ML-01", "Trường Mầm non Mê Linh B", "", "Mầm non", "", "Mê Linh", "Phòng GD&ĐT Mê Linh"],
        ["HN-TM", "Trường THCS Tây Mỗ (đổi tên)", "", "THCS", "", "", ""],
        ["", "Trường Mầm non Không Mã", "", "Mầm non", "", "", "Phòng GD&ĐT Mê Linh"],
    ]
    client = client_for(cast.users.officer_lb)
    page, _url = preview(client, upload(client, "schools", xlsx_bytes(rows), "truong.xlsx"))
    messages = {(e["row"], e["message"]) for e in page.context["report"]["errors"]}
    assert (
        2,
        "Trường Mầm non Mê Linh B không thuộc phạm vi quản lý của đơn vị nhập: “Phòng GD&ĐT Mê Linh” "
        "nằm ngoài phạm vi được giao.",
    ) in messages
    assert (
        3,
        "Mã HN-TM là của “Trường THCS Tây Mỗ (đổi tên)”, đơn vị không thuộc phạm vi quản lý của đơn vị nhập.",
    ) in messages
    # Every problem of a row is listed, not only the first.
    assert {e["column"] for e in page.context["report"]["errors"] if e["row"] == 4} == {"Mã đơn vị", "Đơn vị quản lý"}
    assert Organization.objects.get(code="HN-TM").name == "Trường THCS Tây Mỗ"


PAIR_HEADER = ["Bên giúp đỡ", "Bên được giúp đỡ", "Từ ngày", "Ghi chú"]


def test_it_imports_pairs_as_proposals_and_skips_them_the_second_time(client_for, cast):
    other = Organization.objects.create(
        name="Trường Tiểu học Long Biên B", kind="school", level="primary", parent=cast.office["lb"], code="HN-LB-B"
    )
    rows = [
        PAIR_HEADER,
        ["HN-LB-B", "Trường Tiểu học Mê Linh A", "11/03/2024", "Ký tại hội nghị"],
        ["Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "", ""],
    ]
    content = xlsx_bytes(rows)
    client = client_for(cast.users.officer_lb)
    page, url = preview(client, upload(client, "pairs", content, "cap.xlsx"))
    assert "Sẵn sàng: thêm mới 2, cập nhật 0, giữ nguyên 0." in page_text(page)
    assert not Pair.objects.filter(mentee=cast.school_ml).exists()
    response = confirm(client, url)
    assert response["Location"] == "/workspace/pairs/"
    pairs = Pair.objects.filter(mentee=cast.school_ml).order_by("mentor__name")
    assert [(p.mentor, p.status, p.parent, p.proposed_by_org) for p in pairs] == [
        (cast.school_lb, "proposed", cast.lb_ml, cast.office["lb"]),
        (other, "proposed", cast.lb_ml, cast.office["lb"]),
    ]
    assert pairs[1].note == "Ký tại hội nghị"
    # Accepted in between, then the same sheet again: nothing changes.
    Pair.objects.filter(pk=pairs[0].pk).update(status="active")
    page, url = preview(client, upload(client, "pairs", content, "cap.xlsx"))
    assert "Sẵn sàng: thêm mới 0, cập nhật 0, giữ nguyên 2." in page_text(page)
    confirm(client, url)
    assert Pair.objects.get(pk=pairs[0].pk).status == "active"
    assert Pair.objects.filter(mentee=cast.school_ml).count() == 2


def test_it_refuses_pair_rows_outside_the_scope_or_wrong(client_for, cast):
    rows = [
        PAIR_HEADER,
        ["HN-TM", "Trường THCS Mỹ Đức A", "", ""],  # exists, but neither side is Long Biên's
        ["Trường Tiểu học Long Biên A", "Phòng GD&ĐT Mê Linh", "", ""],  # a school with an office
        ["Trường Tiểu học Long Biên A", "Trường Không Có", "", ""],
    ]
    client = client_for(cast.users.officer_lb)
    page, _url = preview(client, upload(client, "pairs", xlsx_bytes(rows), "cap.xlsx"))
    errors = [(e["row"], e["column"], e["message"]) for e in page.context["report"]["errors"]]
    assert (
        2,
        "Bên giúp đỡ",
        "Cả Trường THCS Tây Mỗ lẫn Trường THCS Mỹ Đức A đều không thuộc phạm vi quản lý của đơn vị nhập.",
    ) in errors
    assert (
        3,
        "Bên được giúp đỡ",
        "Trường chỉ kết nghĩa với trường, Phòng GD&ĐT chỉ kết nghĩa với Phòng GD&ĐT.",
    ) in errors
    assert (4, "Bên được giúp đỡ", "Không tìm thấy đơn vị có mã hoặc tên “Trường Không Có”.") in errors
    assert Pair.objects.count() == 3


def test_it_checks_dates_and_levels_of_pair_rows_like_the_form(client_for, cast):
    kindergarten = f.org(
        "Trường Mầm non Hoa Sữa", parent=cast.office["lb"], area=cast.districts["Long Biên"], level="preschool"
    )
    rows = [
        PAIR_HEADER,
        ["Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "01/01/1900", ""],
        [kindergarten.name, "Trường Tiểu học Mê Linh A", "", ""],
    ]
    client = client_for(cast.users.officer_lb)
    page, _url = preview(client, upload(client, "pairs", xlsx_bytes(rows), "cap.xlsx"))
    errors = [(e["row"], e["column"], e["message"]) for e in page.context["report"]["errors"]]
    assert errors == [
        (2, "Từ ngày", "Từ ngày (01/01/1900) trước ngày 01/01/1990. Vui lòng kiểm tra lại năm."),
        (
            3,
            "Bên được giúp đỡ",
            "Trường Mầm non Hoa Sữa thuộc cấp học Mầm non, còn Trường Tiểu học Mê Linh A thuộc cấp học Tiểu học: "
            "hai trường kết nghĩa phải có chung một cấp học.",
        ),
    ]
    assert not Pair.objects.filter(mentee=cast.school_ml).exists()


def test_it_matches_columns_by_header_in_any_order_and_says_which_it_left_out(client_for, cast):
    rows = [
        ["Cấp học", "Số học sinh", "Ghi chú riêng", "Mã đơn vị", "Tên đơn vị"],
        ["THCS", 650, "x", "HN-LB-THCS-07", "Trường THCS Gia Thụy"],
        ["lower_secondary", "", "", "HN-LB-THCS-08", "Trường THCS Ngọc Thụy"],  # the code
        ["Preschool", "", "", "HN-LB-MN-09", "Trường Mầm non Hoa Mai"],  # the English label
        ["Mầm non", "", "", "HN-LB-MN-10", "Trường Mầm non Hoa Hồng"],  # the Vietnamese label
    ]
    client = client_for(cast.users.officer_lb)
    page, url = preview(client, upload(client, "schools", xlsx_bytes(rows), "truong.xlsx"))
    text = page_text(page)
    assert "Sẵn sàng: thêm mới 4, cập nhật 0, giữ nguyên 0." in text
    assert "Cột này không khớp với mục nào nên được bỏ qua: Ghi chú riêng." in text
    assert "Các cột được nhận ra theo tiêu đề, theo thứ tự bất kỳ: Mã đơn vị, Tên đơn vị, Tên ngắn, Cấp học," in text
    confirm(client, url)
    assert dict(Organization.objects.filter(code__startswith="HN-LB-").values_list("code", "level")) == {
        "HN-LB-THCS-07": "lower_secondary",
        "HN-LB-THCS-08": "lower_secondary",
        "HN-LB-MN-09": "preschool",
        "HN-LB-MN-10": "preschool",
    }
    assert Organization.objects.get(code="HN-LB-THCS-07").student_count == 650


def test_it_names_the_row_and_column_of_a_negative_number_or_an_unknown_level(client_for, cast):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Cấp học", "Số học sinh", "Số giáo viên"],
        ["HN-LB-1", "Trường A", "THCS", -5, ""],
        ["HN-LB-2", "Trường B", "THCS", "", "-3"],
        ["HN-LB-3", "Trường C", "Đại học", "", ""],
    ]
    client = client_for(cast.users.officer_lb)
    page, _url = preview(client, upload(client, "schools", xlsx_bytes(rows), "truong.xlsx"))
    errors = [(e["row"], e["column"], e["message"]) for e in page.context["report"]["errors"]]
    assert errors == [
        (2, "Số học sinh", "“-5” là số âm. Hãy ghi một số nguyên từ 0 trở lên."),
        (3, "Số giáo viên", "“-3” là số âm. Hãy ghi một số nguyên từ 0 trở lên."),
        (4, "Cấp học", "“Đại học” không thuộc các giá trị: Mầm non, Tiểu học, THCS, THPT, Liên cấp."),
    ]


def _gif():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    return buffer.getvalue()


def _docx():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content, name, message",
    [
        (PDF, "truong.xlsx", "Tệp này là văn bản hoặc hình ảnh, không phải bảng tính."),
        (_gif(), "anh.xlsx", "Tệp này là văn bản hoặc hình ảnh, không phải bảng tính."),
        (b"\x00\x00\x00\x18ftypheic" + bytes(200), "IMG_0001.xlsx", "Tệp này là văn bản hoặc hình ảnh"),
        (_docx(), "ke-hoach.xlsx", "Tệp này không phải tệp Excel (.xlsx) (có thể là văn bản Word hoặc tệp nén khác)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "truong.xls", "Đây là tệp Excel đời cũ (.xls)."),
        (b"PK\x03\x04broken", "truong.xlsx", "Không đọc được tệp Excel (.xlsx) này."),
        (b"", "truong.csv", "Tệp trống."),
        ("Họ tên,Tuổi\nAn,12\n".encode(), "truong.csv", "Dòng tiêu đề thiếu cột “Mã đơn vị”, “Tên đơn vị”, “Cấp học”."),
    ],
)
def test_it_explains_a_file_it_cannot_read(client_for, cast, content, name, message):
    response = upload(client_for(cast.users.officer_lb), "schools", content, name)
    assert response.status_code == 200
    assert message in page_text(response)
    assert not default_storage.exists("private/imports") or not default_storage.listdir("private/imports")[1]


def test_it_offers_templates_with_the_headers_the_importer_expects(client_for, cast):
    client = client_for(cast.users.officer_lb)
    response = client.get("/workspace/import/template/schools/")
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-truong.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in book.worksheets[0][1]]
    assert header[:4] == ["Mã đơn vị", "Tên đơn vị", "Tên ngắn", "Cấp học"]
    # The headers follow the language of the pages: English in the English pages.
    english = client.get("/en/workspace/import/template/schools/")
    assert [c.value for c in load_workbook(io.BytesIO(english.content)).worksheets[0][1]][:2] == [
        "Official code",
        "Name",
    ]
    assert "Đơn vị quản lý" in header and "Loại đơn vị" not in header
    assert [s.title for s in book.worksheets] == ["Trường học", "Hướng dẫn", "Danh mục"]
    # The template, filled in, imports.
    sheet = book.worksheets[0]
    sheet.append(["HN-LB-TH-09", "Trường Tiểu học Gia Thụy", "", "Tiểu học"])
    buffer = io.BytesIO()
    book.save(buffer)
    page, url = preview(client, upload(client, "schools", buffer.getvalue(), "mau.xlsx"))
    assert "thêm mới 1" in page_text(page)
    pairs = load_workbook(io.BytesIO(client.get("/workspace/import/template/pairs/").content))
    assert [c.value for c in pairs.worksheets[0][1]] == [
        "Chương trình",
        "Bên giúp đỡ",
        "Bên được giúp đỡ",
        "Mã kết nghĩa giữa hai Phòng",
        "Từ ngày",
        "Ghi chú",
    ]
    lists = [row[0].value for row in pairs.worksheets[2].iter_rows()]
    assert cast.program.name in lists and cast.lb_ml.code in lists


def test_it_keeps_the_upload_in_private_storage_until_confirmed(client_for, cast):
    client = client_for(cast.users.officer_lb)
    _page, url = preview(client, upload(client, "schools", xlsx_bytes(school_rows()), "truong.xlsx"))
    token = url.rstrip("/").rsplit("/", 1)[1]
    (entry,) = client.session["workspace_imports"].values()
    assert entry["name"].startswith("private/imports/") and default_storage.exists(entry["name"])
    # Another user cannot open someone else's pending import.
    other = Client()
    other.force_login(cast.users.officer_ml)
    assert other.get(f"/workspace/import/{token}/").status_code == 404
    assert other.post(f"/workspace/import/{token}/confirm/").status_code == 404
    client.post(url + "cancel/")
    assert not default_storage.exists(entry["name"])
    assert client.get(url).status_code == 404


def test_it_sweeps_uploads_abandoned_for_a_day(client_for, cast):
    import datetime
    import os

    from programs.services.imports import import_stash, import_sweep

    old = import_stash(content=b"x", extension="csv")
    fresh = import_stash(content=b"y", extension="csv")
    a_day_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old), (a_day_ago, a_day_ago))
    assert import_sweep() == 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)


def test_an_officers_sheet_cannot_place_a_school_in_another_province(client_for, cast):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Cấp học", "Tỉnh/thành phố", "Xã/phường hoặc quận/huyện"],
        ["HN-LB-TH-09", "Trường Tiểu học Long Biên C", "Tiểu học", "Nghệ An", "Vinh"],
    ]
    client = client_for(cast.users.officer_lb)
    page, _url = preview(client, upload(client, "schools", xlsx_bytes(rows), "truong.xlsx"))
    errors = page.context["report"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "Xã/phường hoặc quận/huyện")]
    assert "Nghệ An" in errors[0]["message"] and "Hà Nội" in errors[0]["message"]
    assert not Organization.objects.filter(code="HN-LB-TH-09").exists()
