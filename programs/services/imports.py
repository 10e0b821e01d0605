"""Importing schools and pairs from a spreadsheet in the workspace.

1. ``read_sheet`` turns the uploaded bytes into rows: XLSX, or CSV in UTF-8 (with or
   without BOM), UTF-16 ("Unicode text") or Windows-1258 (what older Vietnamese
   Excel saves), separated by commas, semicolons or tabs. Text comes out in Unicode
   NFC. Anything else is refused with a message saying what to do.
2. ``import_stash`` keeps the upload between the preview and the confirmation with
   import-export's media storage (``twinning.lib.uploads.UploadStash``: a private
   folder of the default storage, shared by every app server, never served), where
   the admin's imports keep theirs.
3. ``import_run`` runs the workspace resource on it, as a dry run for the preview or
   for real on confirmation. All or nothing: a sheet with any bad row changes nothing.
4. ``import_report`` turns the result into what the preview shows: every bad row by
   its row number in the spreadsheet, column and reason, and the rows that would be
   added, updated or left unchanged.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from programs.import_resources import resource_for
from twinning.lib.bulk_import import bulk_import
from twinning.lib.codes import new_code
from twinning.lib.collation import vi_order
from twinning.lib.text import fold, nfc
from twinning.lib.uploads import STASH_FOLDER, UploadStash, sniff

KINDS = ("schools", "pairs")
# A province's whole list of schools fits in one sheet: schools are checked and written
# in bulk (twinning.lib.bulk_import), tens of thousands of rows in seconds, and a long
# sheet is confirmed by a background job (benchmarks/national.py measures it).
MAX_ROWS = 50_000
# A workbook is a zip: what it unpacks to is checked before it is opened (a 3.7 MB
# "zip bomb" can unpack to gigabytes), and no sheet is read wider than MAX_COLUMNS.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 60
# An upload waiting for confirmation longer than this is deleted by the next upload.
STASH_LIFETIME = datetime.timedelta(days=1)


# First bytes of pictures and documents that ``sniff`` does not know (it knows the
# PDF, JPEG, PNG and WebP accepted as scans): GIF, TIFF, RAR, 7-Zip, RTF. Other
# binary files (BMP, HEIC photos, videos) are told by their NUL bytes in read_sheet.
BINARY_SIGNATURES = (b"GIF8", b"II*\x00", b"MM\x00*", b"Rar!", b"7z\xbc\xaf", b"{\\rtf")


class SheetError(Exception):
    """The file cannot be read as a sheet; ``str(error)`` is the message for the user."""


@dataclass
class Sheet:
    dataset: tablib.Dataset
    # The spreadsheet row number (as Excel shows it) of each dataset row.
    row_numbers: list[int] = field(default_factory=list)


def _cell(value):
    if isinstance(value, str):
        return nfc(value)
    return value


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _build(rows) -> Sheet:
    """``rows`` = [(row number, [cells])]: the first non-blank row is the header."""
    rows = [(number, cells) for number, cells in rows if not _is_blank(cells)]
    if not rows:
        raise SheetError(_("The sheet is empty. Fill in the rows under the header row of the template."))
    header_number, header = rows[0]
    header = [nfc(str(h)) if h is not None else "" for h in header]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise SheetError(_("The first row must hold the column headers of the template."))
    if len(rows) - 1 > MAX_ROWS:
        raise _too_many_rows()
    dataset = tablib.Dataset(headers=header)
    numbers = []
    width = len(header)
    for number, cells in rows[1:]:
        cells = [_cell(c) for c in list(cells)[:width]]
        cells += [None] * (width - len(cells))
        dataset.append(cells)
        numbers.append(number)
    return Sheet(dataset=dataset, row_numbers=numbers)


def _too_many_rows() -> SheetError:
    return SheetError(
        _("The sheet has more than %(max)s rows; import at most %(max)s rows at a time.")
        % {"max": number_format(MAX_ROWS, force_grouping=True)}
    )


def _bounded(rows):
    """Yields (row number, cells) and stops with the row limit's message as soon as a
    sheet holds more data rows than MAX_ROWS (the rest of the file is never read)."""
    filled = 0
    for number, cells in rows:
        if not _is_blank(cells):
            filled += 1
            if filled > MAX_ROWS + 1:  # the header row and MAX_ROWS rows
                raise _too_many_rows()
        yield number, cells


def _not_a_sheet() -> SheetError:
    return SheetError(_("This file is a document or a picture, not a sheet. Upload an .xlsx or .csv file."))


def _read_xlsx(content: bytes) -> Sheet:
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
            unpacked = sum(info.file_size for info in infos)
    except zipfile.BadZipFile:
        names, unpacked = None, 0
    if unpacked > MAX_UNPACKED_BYTES:
        raise SheetError(
            _(
                "This workbook unpacks to %(size)s, more than the %(limit)s a sheet may hold. "
                "Split the sheet and import it in parts of at most %(max)s rows."
            )
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(MAX_UNPACKED_BYTES),
                "max": number_format(MAX_ROWS, force_grouping=True),
            }
        )
    if names is not None and "xl/workbook.xml" not in names:
        # A Word or PowerPoint file, an OpenDocument sheet or any zip, renamed .xlsx.
        raise SheetError(
            _(
                "This file is not an Excel workbook (it may be a Word document or another compressed file). "
                "Open the sheet in Excel, save it as .xlsx and upload that file."
            )
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise SheetError(
            _("This file is not a readable Excel workbook (.xlsx). Open it in Excel, save it again as .xlsx and retry.")
        ) from error
    try:
        sheet = book.worksheets[0]
        numbered = (
            (index, list(values))
            for index, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1)
        )
        rows = list(_bounded(numbered))
    finally:
        book.close()
    return _build(rows)


def decode_text(content: bytes) -> str:
    """The text of a CSV file: UTF-16 with its BOM, UTF-8 with or without BOM, else
    Windows-1258 (older Vietnamese Excel), whose tone marks come out as combining
    characters and are composed to NFC by the caller."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1258")
    except UnicodeDecodeError as error:
        raise SheetError(
            _("The characters of this file cannot be read. Save it as “CSV UTF-8” or as an Excel workbook (.xlsx).")
        ) from error


def _read_csv(content: bytes) -> Sheet:
    text = decode_text(content)
    if "\x00" in text:
        raise SheetError(_("This file is neither an Excel workbook (.xlsx) nor a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(
            _bounded((index, [nfc(cell) for cell in row[:MAX_COLUMNS]]) for index, row in enumerate(reader, start=1))
        )
    except csv.Error as error:
        raise SheetError(_("This CSV file is damaged: %(error)s") % {"error": error}) from error
    return _build(rows)


def read_sheet(content: bytes) -> Sheet:
    """Reads an uploaded spreadsheet (XLSX or CSV, recognised by content, not by
    name). Raises SheetError with a message for the user."""
    if not content:
        raise SheetError(_("The file is empty."))
    if len(content) > settings.MAX_UPLOAD_BYTES:
        raise SheetError(_("The file is larger than 10 MB. Split the sheet and import it in parts."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise SheetError(
            _(
                "This is an old Excel file (.xls). Open it in Excel, choose File › Save As › "
                "“Excel Workbook (.xlsx)” and upload the new file."
            )
        )
    if sniff(io.BytesIO(content)) is not None or content.startswith(BINARY_SIGNATURES):
        raise _not_a_sheet()
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Text (CSV) never holds NUL bytes, except UTF-16 with its byte-order mark:
        # this is some other binary file (a photo from a phone, a video…).
        raise _not_a_sheet()
    return _read_csv(content)


def check_columns(sheet: Sheet, kind: str, user) -> None:
    """Refuses a sheet whose header row lacks the columns that identify its rows
    (e.g. a sheet of pairs uploaded as schools), naming the columns expected."""
    resource = resource_for(kind, user)
    found = {fold(str(h)) for h in sheet.dataset.headers or []}
    known = {alias: column for alias, column in resource._header_aliases.items()}
    present = {known[h] for h in found if h in known}
    required = [resource.fields[name].column_name for name in resource.required_columns]
    missing = [column for column in required if column not in present]
    if missing:
        raise SheetError(
            _("The header row lacks the column(s) %(missing)s. Use the headers of the template: %(all)s.")
            % {
                "missing": ", ".join(f"“{c}”" for c in missing),
                "all": ", ".join(template_headers(kind, user)),
            }
        )


# --- keeping the upload between preview and confirmation ----------------------------


def import_stash(*, content: bytes, extension: str) -> str:
    """Keeps the upload (``UploadStash``, import-export's media storage) under a random
    name chosen here, and returns its path in the storage."""
    stash = UploadStash(name=f"{new_code()}{new_code()}.{extension}")
    stash.save(content)
    return stash.get_full_path()


def _kept(path: str, **kwargs) -> UploadStash:
    """The kept upload at ``path`` (as ``import_stash`` gave it); FileNotFoundError for
    anything outside the folder."""
    folder, _slash, name = path.rpartition("/")
    if folder != STASH_FOLDER:
        raise FileNotFoundError(path)
    return UploadStash(name=name, **kwargs)


def import_sweep(*, older_than: datetime.timedelta = STASH_LIFETIME) -> int:
    """Deletes kept uploads older than ``older_than`` (imports started in the portal or
    the admin and never confirmed or cancelled); returns how many. Cheap: one listing
    of one folder."""
    if not default_storage.exists(STASH_FOLDER):
        return 0
    limit = timezone.now() - older_than
    removed = 0
    for name in default_storage.listdir(STASH_FOLDER)[1]:
        path = f"{STASH_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


def import_load(name: str) -> bytes:
    """The kept upload at ``name`` (FileNotFoundError when there is none)."""
    return _kept(name, read_mode="rb").read()


def import_discard(name: str) -> None:
    try:
        stash = _kept(name or "")
    except FileNotFoundError:
        return
    if stash.exists():
        stash.remove()


# --- running ---------------------------------------------------------------------


def import_run(*, user, kind: str, sheet: Sheet, dry_run: bool, progress=None):
    """Runs the workspace resource of ``kind`` on the sheet; returns (resource,
    result). With ``dry_run`` nothing is kept; otherwise everything or nothing is.
    ``progress(done, total)`` is called after each row (a background job's bar)."""
    resource = resource_for(kind, user)
    dataset = tablib.Dataset(*sheet.dataset, headers=list(sheet.dataset.headers))
    if hasattr(resource, "bulk_save"):
        result = bulk_import(resource, dataset, dry_run=dry_run, user=user, progress=progress)
        return resource, result
    if progress is not None:
        import_row, total, done = resource.import_row, len(sheet.dataset), [0]

        def counted(*args, **kwargs):
            row_result = import_row(*args, **kwargs)
            done[0] += 1
            progress(done[0], total)
            return row_result

        resource.import_row = counted
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True)
    return resource, result


def _column(resource, key: str) -> str:
    if key == NON_FIELD_ERRORS:
        return ""
    if key in resource.fields:
        return resource.fields[key].column_name
    return resource.column_for(key)


def import_report(resource, result, sheet: Sheet) -> dict:
    """What the preview shows: {"errors": [{"row", "column", "message"}], "rows":
    [{"row", "type", "label"}], "counts": {"new", "update", "skip"}, "ok": bool,
    "ignored": [headers of the sheet that match no column], "expected": [the
    template's headers]}. Row numbers are the spreadsheet's (the header is row 1).
    Columns are matched by their header, in any order."""

    def row_number(index):  # import-export numbers data rows from 1
        if 1 <= index <= len(sheet.row_numbers):
            return sheet.row_numbers[index - 1]
        return index + 1

    errors = []
    for error in result.base_errors:
        errors.append({"row": None, "column": "", "message": str(error.error)})
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            # A bad cell can fail twice (the cell, then the model's check of the empty
            # value): its first message says what to fix.
            errors.append({"row": row_number(invalid.number), "column": _column(resource, key), "message": messages[0]})
    for index, row_errors in result.row_errors():
        for error in row_errors:
            errors.append(
                {
                    "row": row_number(error.number or index),
                    "column": "",
                    "message": _("This row could not be saved: %(error)s") % {"error": error.error},
                }
            )
    errors.sort(key=lambda e: e["row"] or 0)
    rows = []
    for index, row in enumerate(result.rows, start=1):
        if row.import_type in ("new", "update", "skip"):
            # A bulk import's rows say their number (its invalid rows are not among them).
            number = getattr(row, "number", 0) or index
            rows.append({"row": row_number(number), "type": row.import_type, "label": row.object_repr or ""})
    counts = {kind: result.totals.get(kind, 0) for kind in ("new", "update", "skip")}
    ignored = [
        str(header)
        for header in sheet.dataset.headers or []
        if str(header or "").strip() and fold(str(header)) not in resource._header_aliases
    ]
    expected = [resource.fields[name].column_name for name in resource._meta.fields if name in resource.fields]
    return {
        "errors": errors,
        "rows": rows,
        "counts": counts,
        "ok": not errors and bool(rows),
        "ignored": ignored,
        "expected": expected,
    }


# A province's sheet has tens of thousands of rows: the preview lists the first ones
# (and the first problems), with the counts of all of them.
PREVIEW_ROWS = 200
PREVIEW_ERRORS = 500


def shortened(report: dict) -> dict:
    """``report`` as the preview shows it, and as a check job keeps it: its first
    PREVIEW_ROWS rows and PREVIEW_ERRORS problems, with ``row_count`` and ``error_count``
    of all of them."""
    return {
        **report,
        "rows": report["rows"][:PREVIEW_ROWS],
        "errors": report["errors"][:PREVIEW_ERRORS],
        "row_count": len(report["rows"]),
        "error_count": len(report["errors"]),
    }


# --- templates ---------------------------------------------------------------------


def template_headers(kind: str, user) -> list[str]:
    from programs.import_resources import PAIR_COLUMNS, SCHOOL_COLUMNS

    resource = resource_for(kind, user)
    columns = SCHOOL_COLUMNS if kind == "schools" else PAIR_COLUMNS
    return [resource.fields[name].column_name for name in columns]


def _guide(kind: str) -> list[tuple[str, str, str]]:
    """(field, what to write, example) for the instruction sheet of a template."""
    if kind == "schools":
        return [
            ("code", _("Required. The official school code; rows are matched by it."), "HN-LB-TH-05"),
            ("name", _("Required. The full name."), "Trường Tiểu học Ngọc Lâm"),
            ("short_name", _("As people say it."), "TH Ngọc Lâm"),
            ("level", _("Required. Mầm non, Tiểu học, THCS, THPT or Liên cấp."), "Tiểu học"),
            ("area_type", _("Thành thị, Nông thôn or Miền núi."), "Thành thị"),
            ("province", _("The province or city."), "Hà Nội"),
            ("area", _("The district; empty: the district of the managing office."), "Long Biên"),
            ("parent", _("The body that manages the school; empty: your unit."), "Phòng GD&ĐT Long Biên"),
            ("head_name", _("The principal's name."), ""),
            ("head_title", _("The principal's title."), "Hiệu trưởng"),
            ("address", "", ""),
            ("phone", "", ""),
            ("email", "", ""),
            ("student_count", _("A whole number."), "650"),
            ("teacher_count", _("A whole number."), "38"),
            ("note", "", ""),
        ]
    return [
        ("program", _("The program's name as listed below; empty: your only program."), ""),
        ("mentor", _("Required. Code or exact name of the helping school or unit."), "HN-LB-TH-05"),
        ("mentee", _("Required. Code or exact name of the helped school or unit."), "Trường Tiểu học Mê Linh A"),
        ("parent", _("Code of the office partnership (below); empty: found from the two offices."), ""),
        ("started_on", _("Day/month/year."), "11/03/2024"),
        ("note", "", ""),
    ]


def template_workbook(kind: str, user) -> bytes:
    """An .xlsx template: the header row the importer expects (in the active
    language), an instruction sheet, and the lists to copy values from (the user's
    programs, units and office partnerships)."""
    from openpyxl import Workbook

    resource = resource_for(kind, user)
    book = Workbook()
    guide = _guide(kind)
    _header_sheet(book.active, kind, resource, guide)
    _instruction_sheet(book.create_sheet(_("Instructions")), resource, guide)
    _lists_sheet(book.create_sheet(_("Lists")), kind, user)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _bold():
    from openpyxl.styles import Font

    return Font(bold=True)


def _header_sheet(sheet, kind, resource, guide) -> None:
    """The sheet to fill in: its header row, shaded and frozen."""
    from openpyxl.styles import PatternFill

    sheet.title = _("Schools") if kind == "schools" else _("Pairs")
    fill = PatternFill("solid", fgColor="E8F3EF")
    for index, (name, _help, _example) in enumerate(guide, start=1):
        cell = sheet.cell(row=1, column=index, value=resource.fields[name].column_name)
        cell.font = _bold()
        cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = max(16, len(cell.value) + 4)
    sheet.freeze_panes = "A2"


def _instruction_sheet(help_sheet, resource, guide) -> None:
    """What to write in each column, with an example, and how the upload behaves."""
    from openpyxl.styles import Alignment

    help_sheet.append([_("Column"), _("What to write"), _("Example")])
    for cell in help_sheet[1]:
        cell.font = _bold()
    for name, text, example in guide:
        help_sheet.append([resource.fields[name].column_name, text, example])
    help_sheet.append([])
    help_sheet.append(
        [_("Fill in the first sheet from its second row. Keep the header row. Save as .xlsx or CSV UTF-8.")]
    )
    help_sheet.append([_("A sheet with any bad row changes nothing: fix the rows listed and upload it again.")])
    help_sheet.column_dimensions["A"].width = 28
    help_sheet.column_dimensions["B"].width = 70
    help_sheet.column_dimensions["C"].width = 28
    for row in help_sheet.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")


def _lists_sheet(lists, kind, user) -> None:
    """The values to copy: for pairs, the programs open to the user and the office
    partnerships in sight; for schools, the levels; then the user's units."""
    from programs.models import Pair, Program
    from schools.models import Organization

    lists.column_dimensions["A"].width = 40
    lists.column_dimensions["B"].width = 70

    def heading(*cells):
        lists.append(list(cells))
        lists[lists.max_row][0].font = _bold()

    if kind == "pairs":
        heading(_("Programs you can register pairs in"))
        for program in Program.objects.open_for_registration_by(user):
            lists.append([program.name, program.phase_display])
        lists.append([])
        heading(_("Office partnership code"), _("Office partnership"))
        partnerships = (
            Pair.objects.visible_to(user)
            .office_partnerships()
            .exclude(status=Pair.Status.DECLINED)
            .select_related("mentor", "mentee", "program")
        )
        for pair in partnerships:
            lists.append([pair.code, f"{pair} ({pair.program.display_name})"])
        lists.append([])
    else:
        heading(_("School levels"))
        for _value, label in Organization.Level.choices:
            lists.append([str(label)])
        lists.append([])
    heading(_("Official code"), _("Your units"))
    units = Organization.objects.editable_by(user).filter(kind__in=("office", "school")).select_related("area")
    for unit in units.order_by("kind", vi_order("name"))[:2000]:
        lists.append([unit.code, unit.label_with_place()])
