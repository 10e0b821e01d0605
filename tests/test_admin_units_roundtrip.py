"""The Django admin's import and export of units (issue 15): Vietnamese column labels
and file name, rows numbered and errors headed as the portal's own import shows them,
the same counts, and a sheet exported from the admin imports back, even for the units
that have no official code."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from programs.services import imports as portal_import
from schools.models import Organization
from schools.resources import OrganizationAdminResource, OrganizationResource
from tests.helpers import xlsx_bytes

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:schools_organization_export")
IMPORT = reverse("admin:schools_organization_import")
PROCESS = reverse("admin:schools_organization_process_import")


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.users.superuser)
    return client


def _xlsx_choice(form) -> str:
    return next(value for value, label in form.fields["format"].choices if str(label).lower() == "xlsx")


def export_units(client):
    """The admin's export of every unit, every column, as .xlsx: (response, rows)."""
    form = client.get(EXPORT).context["form"]
    data = {"format": _xlsx_choice(form), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = client.post(EXPORT, data)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return response, [list(row) for row in sheet.iter_rows(values_only=True)]


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_preview(client, content: bytes, name="don-vi.xlsx"):
    """The admin's import page after uploading ``content``: its context (the dry run)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = client.get(IMPORT).context["form"]
    response = client.post(
        IMPORT, {"format": _xlsx_choice(form), "resource": "0", "import_file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    return response


def confirm(client, preview):
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form[name].value() for name in confirm_form.fields}
    return client.post(PROCESS, data, follow=True)


# --- labels and file name ---------------------------------------------------------------


def test_the_export_offers_the_columns_by_their_vietnamese_headers(admin_client):
    page = admin_client.get(EXPORT)
    labels = [
        str(field.label) for field in page.context["form"].fields.values() if getattr(field, "is_selectable_field", 0)
    ]
    headers = [str(field.column_name) for field in OrganizationResource().get_export_fields()]
    assert labels == [*headers, "Đường dẫn trang đơn vị"]
    assert labels[:3] == ["Mã đơn vị", "Tên đơn vị", "Tên ngắn"]
    assert "Code (Mã đơn vị)" not in page.text and "Short Name" not in page.text


def test_the_export_file_has_a_vietnamese_name_and_the_portal_s_headers(admin_client, cast):
    response, rows = export_units(admin_client)
    day = timezone.localdate().strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="don-vi-{day}.xlsx"'
    # Every column of the portal's own template of schools, under the same header.
    assert set(portal_import.template_headers("schools", cast.users.staff_hn)) <= set(rows[0])
    assert rows[0][:5] == ["Mã đơn vị", "Tên đơn vị", "Tên ngắn", "Loại đơn vị", "Cấp học"]
    assert rows[0][-1] == "Đường dẫn trang đơn vị"
    assert len(rows) == 1 + Organization.objects.count()


# --- the round trip -------------------------------------------------------------------------


def test_an_exported_sheet_imports_back_unchanged_even_for_units_without_a_code(admin_client, cast):
    without_code = Organization.objects.filter(code="").count()
    assert without_code > 5 and Organization.objects.exclude(code="").exists()
    before = list(Organization.objects.order_by("pk").values())
    _response, rows = export_units(admin_client)
    preview = import_preview(admin_client, workbook(rows))
    result = preview.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    assert result.totals["skip"] == Organization.objects.count()
    assert (result.totals["new"], result.totals["update"]) == (0, 0)
    done = confirm(admin_client, preview)
    assert done.status_code == 200 and done.redirect_chain[-1][0] == reverse("admin:schools_organization_changelist")
    told = [str(message) for message in done.context["messages"]]
    n = Organization.objects.count()
    assert told == [
        f"Nhập dữ liệu hoàn tất: 0 dòng thêm mới, 0 dòng cập nhật, 0 dòng bị xóa và {n} dòng bỏ qua (đơn vị)."
    ]
    assert list(Organization.objects.order_by("pk").values()) == before


def test_a_unit_without_a_code_is_changed_through_the_exported_sheet(admin_client, cast):
    _response, rows = export_units(admin_client)
    header = rows[0]
    name, address = header.index("Tên đơn vị"), header.index("Đường dẫn trang đơn vị")
    row = next(r for r in rows[1:] if r[address] == cast.school_lb.slug)
    assert not row[header.index("Mã đơn vị")]
    row[name] = "Trường Tiểu học Long Biên A (đổi tên)"
    count = Organization.objects.count()
    preview = import_preview(admin_client, workbook(rows))
    assert preview.context["result"].totals["update"] == 1
    confirm(admin_client, preview)
    cast.school_lb.refresh_from_db()
    assert cast.school_lb.name == "Trường Tiểu học Long Biên A (đổi tên)"
    assert Organization.objects.count() == count


def test_a_row_is_still_matched_by_its_code_first(admin_client, cast):
    resource = OrganizationAdminResource()
    row = {"Mã đơn vị": "hn-tm", "Đường dẫn trang đơn vị": cast.school_md.slug}
    assert resource.get_instance(None, row) == cast.taymo
    assert resource.get_instance(None, {"Mã đơn vị": "", "Đường dẫn trang đơn vị": cast.school_lb.slug}) == (
        cast.school_lb
    )


def test_a_row_without_a_code_needs_the_address_of_a_unit_in_the_portal(admin_client, cast):
    rows = [
        ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp học", "Đường dẫn trang đơn vị"],
        ["", "Trường mới", "Trường học", "THCS", "khong-co-dau"],
        ["", "Trường mới khác", "Trường học", "THCS", ""],
    ]
    preview = import_preview(admin_client, workbook(rows))
    invalid = {row.number: row.error_dict for row in preview.context["result"].invalid_rows}
    assert invalid == {
        2: {"Mã đơn vị": ["Không có đơn vị nào có đường dẫn trang “khong-co-dau”. Điền mã đơn vị để thêm đơn vị mới."]},
        3: {
            "Mã đơn vị": [
                "Điền mã đơn vị, hoặc đường dẫn trang của một đơn vị đã có trên cổng: "
                "các dòng được đối chiếu theo hai cột này."
            ]
        },
    }
    assert not Organization.objects.filter(name__startswith="Trường mới").exists()


# --- as the portal's import counts and speaks ------------------------------------------------


SHEET = [
    [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại đơn vị",
        "Cấp học",
        "Tỉnh/thành phố",
        "Xã/phường hoặc quận/huyện",
        "Đơn vị quản lý",
    ],
    ["HN-TM", "Trường THCS Tây Mỗ", "Trường học", "THCS", "Hà Nội", "Quận Nam Từ Liêm", "Phòng GD&ĐT Nam Từ Liêm"],
    ["HN-NEW-1", "Trường THCS Mới Một", "Trường học", "THCS", "Hà Nội", "Quận Nam Từ Liêm", "Phòng GD&ĐT Nam Từ Liêm"],
    [None, None, None, None, None, None, None],
    [
        "HN-NEW-2",
        "Trường THCS Mới Hai",
        "Trường học",
        "Đại học",
        "Hà Nội",
        "Quận Nam Từ Liêm",
        "Phòng GD&ĐT Nam Từ Liêm",
    ],
    ["HN-MDA", "Trường THCS Mỹ Đức A (sửa)", "Trường học", "THCS", "Hà Nội", "Huyện Mỹ Đức", "Phòng GD&ĐT Mỹ Đức"],
]


def test_the_admin_numbers_rows_and_heads_errors_as_the_portal_does(admin_client, cast):
    content = xlsx_bytes(SHEET)
    preview = import_preview(admin_client, content)
    result = preview.context["result"]
    admin_errors = [(row.number, column) for row in result.invalid_rows for column in row.field_specific_errors]
    # The blank fourth row is left out; the bad level is on the sheet's fifth row,
    # under the column "Cấp học" (not "level", shown as LEVEL).
    assert admin_errors == [(5, "Cấp học")]
    html = preview.content.decode()
    assert '<span class="validation-error-field-label">Cấp học</span>' in html
    assert '<span class="validation-error-field-label">level</span>' not in html

    sheet = portal_import.read_sheet(content)
    resource, portal = portal_import.import_run(user=cast.users.staff_hn, kind="schools", sheet=sheet, dry_run=True)
    report = portal_import.import_report(resource, portal, sheet)
    assert [(error["row"], error["column"]) for error in report["errors"]] == admin_errors
    assert report["errors"][0]["message"] == result.invalid_rows[0].error_dict["Cấp học"][0]


def test_the_admin_counts_a_good_sheet_as_the_portal_does(admin_client, cast):
    rows = [row for row in SHEET if row[3] != "Đại học"]
    content = xlsx_bytes(rows)
    result = import_preview(admin_client, content).context["result"]
    sheet = portal_import.read_sheet(content)
    resource, portal = portal_import.import_run(user=cast.users.staff_hn, kind="schools", sheet=sheet, dry_run=True)
    report = portal_import.import_report(resource, portal, sheet)
    assert report["counts"] == {"new": 1, "update": 1, "skip": 1}
    assert {kind: result.totals[kind] for kind in ("new", "update", "skip")} == report["counts"]
    assert not Organization.objects.filter(code="HN-NEW-1").exists()
