"""A small streaming .xlsx writer: rows go straight into the zip as XML text.

openpyxl's write-only mode builds an element per cell and serialises it through
et_xmlfile: about 150 000 cells a second here, minutes for a national workbook. This
writer formats each row as one string (inline strings, no shared-string table) and
writes it to a deflate stream at once: several times faster, memory flat whatever
the size. It knows what the portal's exports need and nothing more:

- cells: text, whole and decimal numbers, dates (shown dd/mm/yyyy), booleans, empty;
- styles by name (``STYLES``): a title row, a header row (bold, shaded, wrapped),
  dates, amounts (#,##0), wrapped text, and text kept as text (quotePrefix) for a
  value a spreadsheet would otherwise run as a formula;
- per sheet: column widths, rows frozen at the top, printing landscape on A4 fitted
  to the page's width, with a header row repeated on every printed page.

The files open in Excel, LibreOffice and openpyxl (the tests read them back).
"""

from __future__ import annotations

import datetime
import decimal
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

# Characters XML 1.0 cannot hold (control characters other than tab and new lines).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EPOCH = datetime.date(1899, 12, 30)
_FLUSH_BYTES = 1 << 16

# Style name → index in cellXfs (see _STYLES_XML).
STYLES = {"default": 0, "title": 1, "header": 2, "date": 3, "money": 4, "wrap": 5, "text": 6}

_STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>
<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="12"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="00E3EFEA"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>\
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_NS = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def clean_text(text: str) -> str:
    return escape(_ILLEGAL.sub("", text))


def _inline(text: str) -> str:
    return f'<is><t xml:space="preserve">{clean_text(text)}</t></is>'


class Cell:
    """A value with a style name, for a cell the default styling does not fit."""

    __slots__ = ("value", "style")

    def __init__(self, value, style: str):
        self.value, self.style = value, style


class SheetWriter:
    """Rows of one sheet; made by ``XlsxWriter.sheet``, closed by the next sheet or by
    ``XlsxWriter.close``."""

    def __init__(self, book, index, title, widths, freeze_rows, print_title_row):
        self.book, self.index, self.title = book, index, title
        self.print_title_row = print_title_row
        self.row_number = 0
        self.letters = [get_column_letter(i) for i in range(1, max(len(widths), 1) + 1)]
        self.handle = book.zip.open(f"xl/worksheets/sheet{index}.xml", "w", force_zip64=True)
        self.buffer, self.size = [], 0
        pane = ""
        if freeze_rows:
            top = f"A{freeze_rows + 1}"
            pane = (
                f'<pane ySplit="{freeze_rows}" topLeftCell="{top}" activePane="bottomLeft" state="frozen"/>'
                f'<selection pane="bottomLeft" activeCell="{top}" sqref="{top}"/>'
            )
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{width:.2f}" customWidth="1"/>' for i, width in enumerate(widths, 1)
        )
        self._write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet {_NS}><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
        )

    def _write(self, text):
        self.buffer.append(text)
        self.size += len(text)
        if self.size >= _FLUSH_BYTES:
            self.flush()

    def flush(self):
        if self.buffer:
            self.handle.write("".join(self.buffer).encode("utf-8"))
            self.buffer, self.size = [], 0

    def append(self, values, styles=None):
        """Writes one row. ``values``: plain values or ``Cell``; ``styles``: an optional
        list of style names by column, used for plain values that are not None."""
        self.row_number += 1
        r = self.row_number
        letters = self.letters
        parts = [f'<row r="{r}">']
        for i, value in enumerate(values):
            if value is None:
                continue
            style = None
            if isinstance(value, Cell):
                value, style = value.value, value.style
                if value is None:
                    continue
            elif styles is not None:
                style = styles[i]
            if i >= len(letters):
                letters.extend(get_column_letter(n) for n in range(len(letters) + 1, i + 2))
            ref = f"{letters[i]}{r}"
            s = f' s="{STYLES[style]}"' if style else ""
            if isinstance(value, str):
                parts.append(
                    f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{clean_text(value)}</t></is></c>'
                )
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, (int, float, decimal.Decimal)):
                parts.append(f'<c r="{ref}"{s}><v>{value}</v></c>')
            elif isinstance(value, datetime.datetime):
                if value.tzinfo is not None:
                    value = value.replace(tzinfo=None)
                delta = value - datetime.datetime(1899, 12, 30)
                serial = delta.days + delta.seconds / 86400
                parts.append(f'<c r="{ref}" s="{STYLES[style or "date"]}"><v>{serial}</v></c>')
            elif isinstance(value, datetime.date):
                parts.append(f'<c r="{ref}" s="{STYLES[style or "date"]}"><v>{(value - _EPOCH).days}</v></c>')
            else:
                parts.append(
                    f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{clean_text(str(value))}</t></is></c>'
                )
        parts.append("</row>")
        self._write("".join(parts))

    def close(self):
        self._write(
            '</sheetData><pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'
        )
        self.flush()
        self.handle.close()


class XlsxWriter:
    """``with XlsxWriter(stream) as book: sheet = book.sheet(...); sheet.append(...)``."""

    def __init__(self, stream, compresslevel=1):
        self.zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self.sheets: list[SheetWriter] = []
        self.current = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def sheet(self, title, widths=(), freeze_rows=0, print_title_row=None) -> SheetWriter:
        if self.current is not None:
            self.current.close()
        title = re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
        self.current = SheetWriter(self, len(self.sheets) + 1, title, list(widths), freeze_rows, print_title_row)
        self.sheets.append(self.current)
        return self.current

    def close(self):
        """Closes the last sheet and writes the parts that list the sheets (content
        types, relationships, the workbook with its print titles) and the styles."""
        if self.zip is None:
            return
        if self.current is not None:
            self.current.close()
            self.current = None
        if not self.sheets:
            self.sheet("Sheet1").close()
        z = self.zip
        z.writestr("[Content_Types].xml", _content_types_xml(len(self.sheets)))
        z.writestr("_rels/.rels", _ROOT_RELS_XML)
        z.writestr("xl/workbook.xml", _workbook_xml(self.sheets))
        z.writestr("xl/_rels/workbook.xml.rels", _workbook_rels_xml(self.sheets))
        z.writestr("xl/styles.xml", _STYLES_XML)
        z.close()
        self.zip = None


_ROOT_RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)


def _content_types_xml(n: int) -> str:
    """[Content_Types].xml of a workbook of ``n`` sheets."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, n + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook_xml(sheets: list[SheetWriter]) -> str:
    """xl/workbook.xml: the sheets in order, and each one's header row repeated on
    every printed page (a Print_Titles name) when it has one."""
    listed = "".join(f'<sheet name={quoteattr(s.title)} sheetId="{s.index}" r:id="rId{s.index}"/>' for s in sheets)
    names = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{s.index - 1}">'
        f"{escape(_quoted(s.title))}!${s.print_title_row}:${s.print_title_row}</definedName>"
        for s in sheets
        if s.print_title_row
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS}>'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets>{f'<definedNames>{names}</definedNames>' if names else ''}</workbook>"
    )


def _workbook_rels_xml(sheets: list[SheetWriter]) -> str:
    """xl/_rels/workbook.xml.rels: one relationship per sheet, then the styles."""
    rels = "".join(
        f'<Relationship Id="rId{s.index}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{s.index}.xml"/>'
        for s in sheets
    )
    rels += (
        f'<Relationship Id="rId{len(sheets) + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )


def _quoted(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"
