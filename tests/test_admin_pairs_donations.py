"""The Django admin's import and export of pairs and donations (issue 15) speak as the
portal's own import does: the sheet's Vietnamese headers as the export's column labels,
a Vietnamese file name, rows numbered as the spreadsheet numbers them (blank rows
left out) and each error under its column's header."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from programs.models import Donation, Pair
from programs.resources import DonationResource, PairResource
from tests.test_admin_units_roundtrip import _xlsx_choice, workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.users.superuser)
    return client


def upload(client, url, rows, name):
    """The admin's import page after uploading ``rows`` as an .xlsx named ``name``."""
    form = client.get(url).context["form"]
    sheet = SimpleUploadedFile(name, workbook(rows))
    return client.post(url, {"format": _xlsx_choice(form), "resource": "0", "import_file": sheet})


@pytest.mark.parametrize(
    ("model", "resource", "stem"),
    [("pair", PairResource, "cap-ket-nghia"), ("donation", DonationResource, "khoan-ho-tro")],
)
def test_the_export_is_labelled_and_named_in_vietnamese(admin_client, cast, model, resource, stem):
    url = reverse(f"admin:programs_{model}_export")
    form = admin_client.get(url).context["form"]
    labels = [str(field.label) for field in form.fields.values() if getattr(field, "is_selectable_field", False)]
    headers = [str(field.column_name) for field in resource().get_export_fields()]
    assert labels == headers
    data = {"format": _xlsx_choice(form), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = admin_client.post(url, data)
    day = timezone.localdate().strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == f'attachment; filename="{stem}-{day}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert list(next(sheet.iter_rows(values_only=True))) == headers


def test_a_donation_error_names_the_spreadsheet_row_and_its_column(admin_client, cast):
    url = reverse("admin:programs_donation_import")
    header = ["Mã khoản hỗ trợ", "Chương trình", "Hình thức hỗ trợ", "Số tiền (đồng)", "Ngày", "Tên bên tặng"]
    header.append("Bên nhận")
    rows = [
        header,
        ["", cast.program.slug, "Sách", "1.000.000", "01/10/2023", "Nhà sách A", "HN-MDA"],
        ["", "", "", "", "", "", ""],  # a blank row: left out, as the portal leaves it out
        ["", cast.program.slug, "Sách", "1.000.000", "31/02/2023", "Nhà sách B", "HN-MDA"],
    ]
    form = admin_client.get(url).context["form"]
    response = admin_client.post(
        url,
        {
            "format": _xlsx_choice(form),
            "resource": "0",
            "import_file": SimpleUploadedFile("ho-tro.xlsx", workbook(rows)),
        },
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 4  # the spreadsheet's row 4, as Excel shows it
    assert list(invalid.error_dict) == ["Ngày"]
    assert not Donation.objects.exists()


def test_a_pair_sheet_with_a_blank_row_keeps_the_spreadsheet_s_row_numbers(admin_client, cast):
    url = reverse("admin:programs_pair_import")
    before = Pair.objects.count()
    header = ["Chương trình", "Bên giúp đỡ", "Bên được giúp đỡ", "Từ ngày"]
    rows = [header, ["", "", "", ""], [cast.program.slug, "HN-TM", "không-có-mã", "01/10/2023"]]
    response = upload(admin_client, url, rows, "cap.xlsx")
    result = response.context["result"]
    numbers = [invalid.number for invalid in result.invalid_rows] + [n for n, _errors in result.row_errors()]
    assert numbers and set(numbers) == {3}
    assert Pair.objects.count() == before


def test_the_admin_keeps_an_upload_in_the_portal_s_private_folder_until_confirmed(admin_client, cast):
    from django.core.files.storage import default_storage

    from twinning.lib.uploads import STASH_FOLDER, UploadStash

    url = reverse("admin:programs_donation_import")
    rows = [
        ["Chương trình", "Hình thức hỗ trợ", "Số tiền (đồng)", "Ngày", "Tên bên tặng", "Bên nhận"],
        [cast.program.slug, "Sách", "1.000.000", "01/10/2023", "Nhà sách A", "HN-MDA"],
    ]
    form = admin_client.get(url).context["form"]
    preview = admin_client.post(
        url,
        {
            "format": _xlsx_choice(form),
            "resource": "0",
            "import_file": SimpleUploadedFile("ho-tro.xlsx", workbook(rows)),
        },
    )
    confirm = preview.context["confirm_form"].initial
    kept = f"{STASH_FOLDER}/{confirm['import_file_name']}"
    assert default_storage.exists(kept)  # shared by every app server, not one server's /tmp
    # A name sent back by a browser never leaves the folder.
    for forged in ("../settings.py", "a/../../b", ""):
        with pytest.raises(FileNotFoundError):
            UploadStash(name=forged)
    assert admin_client.post(reverse("admin:programs_donation_process_import"), confirm).status_code == 302
    assert Donation.objects.count() == 1 and not default_storage.exists(kept)
