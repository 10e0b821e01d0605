"""The streaming .xlsx writer, read back by openpyxl as Excel would read it."""

import datetime
import decimal
import io

from openpyxl import load_workbook

from twinning.lib.xlsx import Cell, XlsxWriter


def written(build):
    stream = io.BytesIO()
    with XlsxWriter(stream) as book:
        build(book)
    return load_workbook(io.BytesIO(stream.getvalue()))


def test_it_keeps_each_kind_of_value_typed():
    def build(book):
        sheet = book.sheet("Hoạt động", widths=[12, 30], freeze_rows=1, print_title_row=1)
        sheet.append([Cell("Mã", "header"), Cell("Tên", "header")])
        values = [
            "hd-1",
            'Chuyên đề <Ngữ văn> & "Toán"\x0b',
            datetime.date(2023, 3, 30),
            datetime.datetime(2023, 3, 30, 12, 0),
            240_000_000,
            decimal.Decimal("2.5"),
            True,
            None,
            Cell("=1+1", "text"),
            Cell(240_000_000, "money"),
            *range(20),
        ]
        sheet.append(values)

    ws = written(build)["Hoạt động"]
    row = [c for c in ws[2]]
    assert row[0].value == "hd-1"
    assert row[1].value == 'Chuyên đề <Ngữ văn> & "Toán"'  # the control character is dropped
    assert row[2].is_date and row[2].value.date() == datetime.date(2023, 3, 30)
    assert row[2].number_format == "dd/mm/yyyy"
    assert row[3].value == datetime.datetime(2023, 3, 30, 12, 0)
    assert row[4].value == 240_000_000 and row[4].data_type == "n"
    assert row[5].value == 2.5 and row[6].value is True and row[7].value is None
    assert row[8].value == "=1+1" and row[8].data_type == "s" and row[8].quotePrefix
    assert row[9].number_format == "#,##0"
    assert ws.cell(row=2, column=30).value == 19  # column AD
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 30


def test_it_prints_each_sheet_landscape_with_its_header_row_repeated():
    def build(book):
        for title in ("Cặp kết nghĩa", "Trường 'A' [2023]"):
            sheet = book.sheet(title, widths=[10], freeze_rows=2, print_title_row=2)
            sheet.append([Cell("Tiêu đề", "title")])
            sheet.append([Cell("Mã", "header")])
            sheet.append(["x"])

    book = written(build)
    assert book.sheetnames == ["Cặp kết nghĩa", "Trường 'A'  2023 "]
    for ws in book.worksheets:
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$2:$2"
        assert ws.freeze_panes == "A3" and ws["A1"].font.size == 12


def test_an_empty_workbook_still_opens():
    assert written(lambda book: None).sheetnames == ["Sheet1"]
