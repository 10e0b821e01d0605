"""Uploads are bounded while they are read: a sheet with too many rows or a workbook
that unpacks to too much is refused early, with the limit in the message."""

import io
import zipfile

import pytest

from programs.services import imports
from tests.helpers import csv_bytes, xlsx_bytes

HEADER = ["Mã đơn vị", "Tên đơn vị", "Cấp học"]


def _rows(n):
    return [[f"HN-T{i:04d}", f"Trường Tiểu học số {i}", "Tiểu học"] for i in range(n)]


def test_a_sheet_over_the_row_limit_is_refused_with_the_limit(monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    for content in (xlsx_bytes([HEADER, *_rows(6)]), csv_bytes([HEADER, *_rows(6)])):
        with pytest.raises(imports.SheetError) as refused:
            imports.read_sheet(content)
        assert str(refused.value) == "Bảng tính có hơn 5 dòng; mỗi lần chỉ nhập tối đa 5 dòng."
    assert len(imports.read_sheet(csv_bytes([HEADER, *_rows(5)])).dataset) == 5


def test_the_rest_of_an_oversized_sheet_is_never_read(monkeypatch):
    # Past the limit the file is damaged: reading it through would say so instead.
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    content = csv_bytes([HEADER, *_rows(7)]) + b'"HN-X,"unterminated\n' * 3
    with pytest.raises(imports.SheetError) as refused:
        imports.read_sheet(content)
    assert "tối đa 5 dòng" in str(refused.value)


def _bomb(unpacked_bytes):
    """A zip that looks like a workbook and unpacks to ``unpacked_bytes`` of zeros."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as handle:
            chunk = b"\0" * (1 << 20)
            for _ in range(unpacked_bytes >> 20):
                handle.write(chunk)
    return stream.getvalue()


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    content = _bomb(8 * 1024 * 1024)
    assert len(content) < 100_000  # a small upload …
    with pytest.raises(imports.SheetError) as refused:
        imports.read_sheet(content)
    # … refused by what it declares it unpacks to, with the limit named.
    message = str(refused.value).replace("\xa0", " ")
    assert "8,0 MB" in message and "tối đa 2,0 MB" in message
