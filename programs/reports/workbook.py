"""The annual summary workbook and its CSV sheets, built on the import-export resources.

One sheet each for the summary per office, the pairs, the activities, the support and
the year-end reviews, holding only what the user's scope allows (never the private
note about sponsored children). The resources give the values
typed (``force_native_type``); this module writes them:

- xlsx (twinning.lib.xlsx: rows stream into the zip, memory stays flat): numbers and
  amounts as numbers (amounts formatted 240.000.000 by Excel), dates as dates shown
  dd/mm/yyyy, the header row bold and frozen, columns sized to their content, and
  text a spreadsheet would run as a formula written as a typed text cell;
- CSV (one per sheet): UTF-8 with a byte-order mark so Excel on Windows reads the
  Vietnamese letters, dates dd/mm/yyyy, numbers without separators, formula-like
  text escaped with a leading apostrophe.

A fixed number of queries up to 2 000 rows a sheet: the report figures (see
figures.build_report), then one query per sheet (plus one for the activities behind
commendations); beyond, the activities and donations read their pairs and units a
chunk of 2 000 rows at a time, each once (twinning.lib.shared_rows), and the units
the donations' sides belong to likewise (``figures.with_donation_units``).
"""

import csv
import datetime
import functools
import io
import itertools
from dataclasses import dataclass

from django.utils.translation import gettext as _

from programs.models import Review
from programs.reports import figures
from programs.resources import (
    ActivityResource,
    DonationYearResource,
    PairYearResource,
    ReviewResource,
    UnitSummaryResource,
)
from twinning.lib.resources import FORMULA_TRIGGERS, EscapedText, VndWidget
from twinning.lib.shared_rows import with_shared_related
from twinning.lib.xlsx import Cell, XlsxWriter
from twinning.routers import reading_from_replica

SHEETS = ("summary", "pairs", "activities", "donations", "reviews", "gaps")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = "#,##0"
SAMPLE_ROWS = 200
PROGRESS_ROWS = 1000
MAX_WIDTH = 60


# The columns the sheets read (loading whole rows of the related units costs more
# than the rest of a large export).
_ORG = ("name", "short_name", "kind", "level", "parent_id")
PAIR_COLUMNS = (
    "code",
    "status",
    "started_on",
    "ended_on",
    "mentor_kind",
    "mentee_kind",
    "parent__code",
    *(f"{side}__{name}" for side in ("mentor", "mentee") for name in _ORG),
    *(f"{side}__parent__{name}" for side in ("mentor", "mentee") for name in _ORG),
)
ACTIVITY_COLUMNS = (
    "code",
    "happened_on",
    "kind",
    "status",
    "title",
    "place",
    "subject",
    "grade",
    "leading_teacher",
    "teachers_count",
    "students_count",
    "managers_count",
    "is_public",
    "description",
    "lessons_learned",
    "pair",
    "host",
    "reported_by_org",
)
# The related rows the activities and donations sheets show, each read once and shared
# by the rows that point at it (twinning.lib.shared_rows).
_NAMES = ("name", "short_name")
_PAIR_SIDES = {"pair": ("code", "mentor", "mentee"), "pair__mentor": _NAMES, "pair__mentee": _NAMES}
ACTIVITY_RELATED = {**_PAIR_SIDES, "host": _NAMES, "reported_by_org": _NAMES}
DONATION_RELATED = {**_PAIR_SIDES, "donor_org": _NAMES, "recipient": _NAMES}
DONATION_COLUMNS = (
    "code",
    "given_on",
    "kind",
    "nature",
    "amount",
    "quantity",
    "unit_label",
    "packages",
    "beneficiaries",
    "donor_name",
    "description",
    "donor_org",
    "recipient",
    "pair",
)


@dataclass
class Sheet:
    slug: str
    title: str
    resource: object
    rows: object  # a query set or a list
    # A function turning ``rows`` into the objects written (the query set as it is if None).
    read: object = None

    def values(self):
        """Yields each row's typed values (ints, dates, text, EscapedText)."""
        export_row = self.resource.row_exporter(force_native_type=True)
        rows = self.read(self.rows) if self.read else self.rows
        for obj in self.resource.iter_queryset(rows):
            yield export_row(obj)

    def headers(self):
        return self.resource.get_export_headers()

    def count(self) -> int:
        return len(self.rows) if isinstance(self.rows, list) else self.rows.count()

    def money_columns(self):
        return {i for i, field in enumerate(self.resource.get_export_fields()) if isinstance(field.widget, VndWidget)}


def sheet_titles():
    return {
        "summary": _("Summary per unit"),
        "pairs": _("Twinning pairs"),
        "activities": _("Activities"),
        "donations": _("Support"),
        "reviews": _("Year-end reviews"),
        "gaps": _("Indicator gaps"),
    }


def annual_sheets(user, program, year, report=None, only=None) -> list[Sheet]:
    """The sheets of the annual summary of ``program`` in ``year`` for ``user``
    (``only``: one sheet's slug)."""
    wanted = [only] if only else list(SHEETS)
    if report is None and {"summary", "pairs", "donations"} & set(wanted):
        report = figures.build_report(user, program, year)
    titles = sheet_titles()
    units = {pk: figures.unit_label(unit) for pk, unit in report.unit_index.items()} if report else {}
    sheets = []
    for slug in wanted:
        read = None
        if slug == "summary":
            total = figures.UnitRow(unit=None, tally=report.total, title=_("All pairs, each counted once"))
            resource, rows = UnitSummaryResource(), [*report.units, total]
        elif slug == "pairs":
            resource = PairYearResource(rows={row.pk: row for row in report.pairs}, units=units)
            rows = (
                figures.scoped_pairs(user, program, year)
                .select_related("mentor__parent", "mentee__parent", "parent")
                .only(*PAIR_COLUMNS)
                .order_by("mentor_kind", "mentor__name", "mentee__name", "pk")
            )
        elif slug == "activities":
            resource, read = ActivityResource(), functools.partial(with_shared_related, relations=ACTIVITY_RELATED)
            rows = figures.year_activities(user, program, year).only(*ACTIVITY_COLUMNS).order_by("happened_on", "pk")
        elif slug == "donations":
            resource, read = (
                DonationYearResource(units=units),
                functools.partial(_donations, day=figures.structure_day(year)),
            )
            rows = figures.year_donations(user, program, year).only(*DONATION_COLUMNS).order_by("given_on", "pk")
        elif slug == "reviews":
            reviews = (
                Review.objects.filter(pair__in=figures.scoped_pairs(user, program, year).values("pk"), school_year=year)
                .submitted()
                .select_related("pair__mentor", "pair__mentee", "submitted_by")
                .order_by("pair__mentor__name", "pair__mentee__name", "pk")
            )
            resource, rows = ReviewResource(activities=commendation_activities(reviews)), reviews
        elif slug == "gaps":
            from outcomes.reads import latest_gaps
            from outcomes.resources import GapResource

            resource = GapResource()
            rows = (
                latest_gaps(figures.scoped_pairs(user, program, year), year)
                .select_related("pair__mentor", "pair__mentee", "indicator")
                .order_by("pair__mentor__name", "pair__mentee__name", "indicator__order", "pk")
            )
        else:
            raise ValueError(slug)
        sheets.append(Sheet(slug=slug, title=titles[slug], resource=resource, rows=rows, read=read))
    return sheets


def _donations(rows, day):
    """The donations with their shared pairs and units, and the units of their sides."""
    return figures.with_donation_units(with_shared_related(rows, DONATION_RELATED), day)


def commendation_activities(reviews):
    """{review id: [activities behind its commendation]}, in one query."""
    through = Review.commendation_activities.through
    result = {}
    links = (
        through.objects.filter(review__in=reviews.filter(commended=True).values("pk"))
        .select_related("activity")
        .order_by("activity__happened_on", "activity__pk")
    )
    for link in links:
        result.setdefault(link.review_id, []).append(link.activity)
    return result


# --- writers -----------------------------------------------------------------------


def _text_width(value) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return 11
    if isinstance(value, int):
        return len(f"{value:,}") + 1
    text = value.text if isinstance(value, EscapedText) else str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(headers, sample, money_columns):
    widths = []
    for i, header in enumerate(headers):
        data = max((_text_width(row[i]) for row in sample), default=0)
        width = max(min(len(header), 22), data, 6) + 2
        if i in money_columns:
            width = max(width, 16)
        widths.append(min(width, MAX_WIDTH))
    return widths


def _typed_row(money):
    """A function turning a row's typed values into what the writer takes: plain
    values, or ``Cell``s for amounts, multi-line text and formula-like text."""

    def convert(values):
        row = list(values)
        for i, value in enumerate(row):
            if isinstance(value, str):
                if isinstance(value, EscapedText) or value.startswith(FORMULA_TRIGGERS):
                    # Text, never a formula whatever it starts with; quotePrefix keeps it
                    # text when someone edits the cell in Excel.
                    row[i] = Cell(getattr(value, "text", value), "text")
                elif "\n" in value:
                    row[i] = Cell(value, "wrap")
            elif isinstance(value, EscapedText):
                row[i] = Cell(value.text, "text")
            elif i in money and isinstance(value, int):
                row[i] = Cell(value, "money")
        return row

    return convert


def write_xlsx(sheets, stream, title_lines=(), progress=None):
    """Writes the sheets as one .xlsx workbook to the binary ``stream`` and returns
    the number of data rows written.

    ``title_lines``: what each sheet's first row says (program, school year, scope,
    date made), above the header row. Each sheet prints landscape, fitted to the
    page's width, with the header row repeated on every page; the rows above the
    data stay in sight when scrolling. ``progress(done)`` is called every
    PROGRESS_ROWS rows with the rows written so far."""
    title = " · ".join(str(line) for line in title_lines if line)
    header_row = 2 if title else 1
    written = 0
    with XlsxWriter(stream) as book:
        for sheet in sheets:
            headers = sheet.headers()
            money = sheet.money_columns()
            rows = sheet.values()
            sample = list(itertools.islice(rows, SAMPLE_ROWS))
            ws = book.sheet(
                sheet.title,
                widths=column_widths(headers, sample, money),
                freeze_rows=header_row,
                print_title_row=header_row,
            )
            if title:
                ws.append([Cell(f"{sheet.title} · {title}", "title")])
            ws.append([Cell(str(header), "header") for header in headers])
            convert, append = _typed_row(money), ws.append
            for values in itertools.chain(sample, rows):
                append(convert(values))
                written += 1
                if progress is not None and written % PROGRESS_ROWS == 0:
                    progress(written)
    return written


def write_csv(sheet, stream):
    """Writes one sheet as CSV to the text ``stream``: BOM, header, rows."""
    for line in csv_lines(sheet):
        stream.write(line)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)  # an EscapedText keeps its apostrophe here


def xlsx_response(sheets, filename):
    """An attachment response holding the sheets as one .xlsx workbook."""
    from django.http import HttpResponse

    stream = io.BytesIO()
    write_xlsx(sheets, stream)
    response = HttpResponse(stream.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class _Line:
    """A file-like object whose write returns what it was given (for csv.writer)."""

    def write(self, text):
        return text


def csv_lines(sheet):
    """The sheet as CSV text, a line at a time: BOM and header first."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(sheet.headers())
    for values in sheet.values():
        yield writer.writerow([_csv_value(v) for v in values])


def csv_response(sheet, filename):
    """An attachment streaming one sheet as CSV (UTF-8 with a BOM): rows go out as
    they are read, in batches of about 64 KB, so memory stays flat whatever the size."""
    from django.http import StreamingHttpResponse

    def chunks():
        buffer, size = [], 0
        with reading_from_replica():
            for line in csv_lines(sheet):
                buffer.append(line)
                size += len(line)
                if size >= 65536:
                    yield "".join(buffer).encode("utf-8")
                    buffer, size = [], 0
        if buffer:
            yield "".join(buffer).encode("utf-8")

    response = StreamingHttpResponse(chunks(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
