"""The last of issue 15 on printed documents (the year-end report, the list of
commendations) and the public support table:

- each table of a printed document scrolls sideways on a phone inside a box that the
  keyboard reaches and that is named by its heading (role="region", tabindex="0"),
  while on paper it stays a plain table with its header repeated on every page;
- the signature block prints together with the last lines of the text, never alone at
  the top of the last page;
- a printed document is a Vietnamese administrative document (Decree 30/2020): on an
  English page its letterhead and signature block stay Vietnamese, marked lang="vi",
  while its body follows the page's language, the Vietnamese data in it (the
  program's name, units' names, gifts in kind, commendations) marked lang="vi";
- the public support table closes with its total as the last row of its body (a tfoot
  would be printed at the foot of every page), a row headed "Tổng cộng"/"Total"."""

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from programs.models import Activity, Donation, Review
from programs.support import SupportTotal
from tests import factories as f
from tests.helpers import page_text
from tests.reports.conftest import YEAR, year_data  # noqa: F401  (the fixture, for usefixtures)

pytestmark = pytest.mark.usefixtures("year_data")


@pytest.fixture(autouse=True)
def _default_language_after():
    """A request to an English page leaves English active in the test's thread, and the
    next test's reverse() would give /en/ addresses: back to Vietnamese after each test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def report_url(program, language="vi", year=YEAR):
    with translation.override(language):  # reverse() follows the active language
        return reverse("reports:annual-report", args=[program.slug, year])


def commendations_url(program, language="vi", year=YEAR):
    with translation.override(language):
        return reverse("workspace:commendation-list") + f"?program={program.slug}&year={year}"


@pytest.fixture
def commended(cast):
    """The year's submitted review of THCS Tây Mỗ → THCS Mỹ Đức A, rated and commended."""
    review = Review.objects.get(pair=cast.taymo_md, school_year=YEAR)
    review.status, review.rating, review.commended = Review.Status.RATED, Review.Rating.EXCELLENT, True
    review.commendation = "Tổ chức giao lưu chuyên môn đều đặn"
    review.save()
    return review


class Elements(HTMLParser):
    """Every element of a page with its attributes, its parent and the text inside it."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self._open = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "parent": self._open[-1] if self._open else None, "text": ""}
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def by_class(self, name):
        return [e for e in self.elements if name in (e["attrs"].get("class") or "").split()]

    def by_id(self, value):
        return next((e for e in self.elements if e["attrs"].get("id") == value), None)


def region_names(html):
    """{the table's class: the accessible name of the region around it} for each report
    table; a table without a reachable, named region around it fails the test."""
    page = Elements(html)
    tables = page.by_class("report-table")
    assert tables, "the page has report tables"
    names = {}
    for table in tables:
        box = table["parent"]
        attrs = box["attrs"]
        assert box["tag"] == "div" and "report-table-scroll" in attrs.get("class", "").split(), attrs
        assert attrs.get("role") == "region" and attrs.get("tabindex") == "0", attrs
        heading = page.by_id(attrs.get("aria-labelledby"))
        assert heading is not None, f"aria-labelledby={attrs.get('aria-labelledby')!r} names no element"
        name = " ".join(heading["text"].split())
        assert name, "the region is named by a heading with text"
        names.setdefault(table["attrs"]["class"], []).append(name)
    ids = [e["attrs"]["id"] for e in page.elements if "id" in e["attrs"]]
    assert len(ids) == len(set(ids)), "ids are unique"
    return names


# --- 1. tables that scroll on a phone are reachable by keyboard and named ---------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_table_of_the_printed_report_sits_in_a_named_region_the_keyboard_reaches(
    cast, commended, client_for, language
):
    html = client_for(cast.users.staff_hn).get(report_url(cast.program, language)).content.decode()
    names = region_names(html)
    if language == "vi":
        assert names == {
            "report-table": [
                "1. Hoạt động giao lưu, hỗ trợ chuyên môn",
                "2. Hỗ trợ",
                "IV. KHEN THƯỞNG",
            ],
            "report-table report-table-units": ["4. Số liệu theo đơn vị"],
        }
    else:
        assert names["report-table report-table-units"] == ["4. Figures per unit"]
        assert len(names["report-table"]) == 3


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_list_of_commendations_sits_in_a_named_region_the_keyboard_reaches(cast, commended, client_for, language):
    html = client_for(cast.users.staff_hn).get(commendations_url(cast.program, language)).content.decode()
    (name,) = region_names(html)["report-table"]
    assert name.startswith("DANH SÁCH" if language == "vi" else "LIST")


def css_rules():
    css = Path(settings.BASE_DIR, "static", "css", "report-print.css").read_text()
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def media_block(css, query):
    """The text of the first ``@media <query> { … }`` block (braces balanced)."""
    start = css.index(f"@media {query}")
    depth, i = 0, css.index("{", start)
    for j in range(i, len(css)):
        depth += {"{": 1, "}": -1}.get(css[j], 0)
        if depth == 0:
            return css[i + 1 : j]
    raise AssertionError(query)


def test_the_region_scrolls_on_screen_and_prints_as_a_plain_table():
    css = css_rules()
    # On screen the box scrolls, not the table (a table made display:block loses its
    # table semantics for some screen readers, and its box cannot be named).
    assert re.search(r"@media screen\s*\{\s*\.report-table-scroll\s*\{[^}]*overflow-x:\s*auto", css)
    assert not re.search(r"\.report-table\s*\{[^}]*display:\s*block", css)
    # Printed, a scrolling box would be printed as one piece: the box lets the table run
    # over pages, the header repeated, and shows no focus ring.
    printed = media_block(css, "print")
    assert re.search(r"\.report-table-scroll\s*\{[^}]*overflow:\s*visible", printed)
    assert re.search(r"\.report-table thead\s*\{[^}]*display:\s*table-header-group", printed)
    assert re.search(r"\.report-table-scroll:focus[^{]*\{[^}]*outline:\s*none", printed)
    # Nothing outside @media screen makes the box scroll.
    outside = css.replace(media_block(css, "screen and (max-width: 767.98px)"), "")
    outside = re.sub(r"@media screen\s*\{\s*\.report-table-scroll\s*\{[^}]*\}\s*\}", "", outside)
    assert not re.search(r"\.report-table-scroll\s*\{[^}]*overflow(-x)?:\s*(auto|scroll)", outside)


# --- 2. the signature prints with the last lines of the text ----------------------------------


def closing(html):
    match = re.search(r'<div class="report-closing">(.*?)</table>\s*</div>', html, re.S)
    assert match, "the signature sits in the document's closing"
    return match.group(1)


def test_the_signature_prints_together_with_the_last_lines_of_the_text(cast, commended, client_for):
    client = client_for(cast.users.staff_hn)
    report = closing(client.get(report_url(cast.program)).content.decode())
    # The report closes with a line of its own after the last table (Decree 30: "./."),
    # and the signature block follows it inside the closing.
    assert re.match(r"\s*<p>Trên đây là báo cáo tổng kết năm học 2022–2023 phong trào “[^”]+”\./\.</p>", report)
    assert '<table class="report-signature"' in report
    listing = closing(client.get(commendations_url(cast.program)).content.decode())
    assert re.match(r"\s*<p>Danh sách gồm 1 đơn vị\.</p>\s*<table class=\"report-signature\"", listing)
    english = closing(client.get(report_url(cast.program, "en")).content.decode())
    assert re.match(r"\s*<p>The above is the review of the school year 2022–2023 of the movement “", english)
    # The closing does not break across pages: it goes over whole when it does not fit.
    css = css_rules()
    assert re.search(r"\.report-closing\s*\{[^}]*break-inside:\s*avoid", css)
    assert re.search(r"\.report-signature\s*\{[^}]*break-inside:\s*avoid", css)


def test_without_commendations_the_list_still_closes_with_its_line_and_signature(cast, client_for):
    listing = closing(client_for(cast.users.staff_hn).get(commendations_url(cast.program)).content.decode())
    assert "Chưa có đơn vị nào được khen thưởng" in listing and "GIÁM ĐỐC" in listing


# --- 3. the letterhead and the signature stay Vietnamese on an English page --------------------


def block(html, css_class):
    match = re.search(rf'<table class="{css_class}"[^>]*>.*?</table>', html, re.S)
    assert match, css_class
    return match.group(0)


def text_of(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&hellip;", "…").split())


def test_an_english_printed_report_keeps_a_vietnamese_letterhead_and_signature(cast, client_for):
    response = client_for(cast.users.staff_hn).get(report_url(cast.program, "en"))
    html = response.content.decode()
    assert '<html lang="en"' in html
    head, signature = block(html, "report-letterhead"), block(html, "report-signature")
    assert head.startswith('<table class="report-letterhead" role="presentation" lang="vi">')
    assert signature.startswith('<table class="report-signature" role="presentation" lang="vi">')
    head_text = text_of(head)
    assert head_text.startswith("UBND THÀNH PHỐ HÀ NỘI SỞ GD&amp;ĐT HÀ NỘI Số: ……/BC-SGDĐT")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc" in head_text
    assert re.search(r"Hà Nội, ngày \d\d tháng \d\d? năm \d{4}", head_text)
    signature_text = text_of(signature)
    assert signature_text.startswith("Nơi nhận: - Các đơn vị tham gia phong trào; - Lưu: VT. GIÁM ĐỐC")
    page = page_text(response)
    for english in ("PEOPLE'S COMMITTEE", "SOCIALIST REPUBLIC", "Independence", "Document number", "DIRECTOR"):
        assert english not in page, english
    assert "Recipients:" not in page and "Filed: Archive" not in page
    # The body of the report follows the page's language.
    assert "REPORT" in page and "I. OVERVIEW" in page


def test_a_union_s_english_printed_documents_keep_the_union_s_vietnamese_heading(cast, client_for):
    client = client_for(cast.users.union_na)
    for url in (report_url(cast.program_na, "en", "2019-2020"), commendations_url(cast.program_na, "en", "2019-2020")):
        html = client.get(url).content.decode()
        head, signature = text_of(block(html, "report-letterhead")), text_of(block(html, "report-signature"))
        assert head.startswith("LIÊN ĐOÀN LAO ĐỘNG TỈNH NGHỆ AN CÔNG ĐOÀN GIÁO DỤC NGHỆ AN Số: ……/"), url
        assert "TM. BAN THƯỜNG VỤ CHỦ TỊCH" in signature and "Lưu: VT" in signature, url
        assert "LABOUR CONFEDERATION" not in html and "ON BEHALF OF" not in html, url


def test_a_vietnamese_page_needs_no_marking_on_its_letterhead(cast, client_for):
    html = client_for(cast.users.staff_hn).get(report_url(cast.program)).content.decode()
    assert block(html, "report-letterhead").startswith('<table class="report-letterhead" role="presentation">')
    assert block(html, "report-signature").startswith('<table class="report-signature" role="presentation">')
    assert 'lang="vi"' not in html.split("<body")[1]


def test_the_letterhead_reads_vietnamese_whatever_the_active_language(cast):
    from programs.reports.letterhead import letterhead

    with translation.override("en"):
        context = letterhead(cast.users.officer_ntl, cast.program)
    assert context["superior"].startswith("UBND ") and context["signer_title"] == "Trưởng phòng"
    assert context["recipients"][-1].startswith("UBND ")


# --- 3b. the Vietnamese data of an English printed document is marked lang="vi" ---------------


@pytest.fixture
def marked_data(cast, commended):
    """Gifts in kind between units and from an outside donor, a unit row of the
    Department (a school it manages itself) and an activity behind the commendation."""
    d = datetime.date
    office = cast.office
    for recipient, donor, quantity, items, kind in (
        (office["ml"], {"donor_org": office["lb"]}, 300, "cuốn sách", Donation.Kind.BOOKS),
        (cast.school_md, {"donor_name": "Công ty ABC"}, 35, "bộ máy tính", Donation.Kind.EQUIPMENT),
    ):
        f.donation(
            cast.program,
            recipient,
            nature=Donation.Nature.IN_KIND,
            quantity=quantity,
            unit_label=items,
            amount=None,
            kind=kind,
            given_on=d(2023, 1, 6),
            **donor,
        )
    school = f.org("Trường THCS Chu Văn An", area=cast.hanoi, parent=cast.dept)
    f.pair(cast.program, school, cast.school_md, started_on=d(2022, 9, 5))
    commended.commendation_activities.add(Activity.objects.get(pair=cast.taymo_md, title="Giao lưu tháng 11"))
    return commended


def test_an_english_printed_report_marks_its_vietnamese_data(cast, marked_data, client_for):
    client = client_for(cast.users.staff_hn)
    html = client.get(report_url(cast.program, "en")).content.decode()
    program = '<span lang="vi">Nhà trường cùng chung tay phát triển</span>'
    # The program's name in the title (and in the closing line).
    assert f"<span>Review of the school year 2022–2023 of the movement “{program}”</span>" in html
    assert f"of the movement “{program}”." in html
    # The gifts in kind: the items typed in Vietnamese, the sentence around them English.
    assert (
        'Gifts in kind, counted apart from the money: <span lang="vi">300 cuốn sách</span> between units; '
        '<span lang="vi">35 bộ máy tính</span> from outside donors.'
    ) in html
    assert '<td class="num">5,000,000<br><span lang="vi">300 cuốn sách</span></td>' in html  # Long Biên → Mê Linh
    # The row of each unit: its name Vietnamese, the Department's "schools it manages directly" English.
    assert '<td><span lang="vi">Phòng GD&amp;ĐT Nam Từ Liêm</span></td>' in html
    assert '<td><span lang="vi">Sở GD&amp;ĐT Hà Nội</span> – schools it manages directly</td>' in html
    assert "<td>All pairs, each counted once</td>" in html
    # The commendation and the activities behind it.
    assert '<td lang="vi">Tổ chức giao lưu chuyên môn đều đặn</td>' in html
    assert '20/11/2022: <span lang="vi">Giao lưu tháng 11</span></td>' in html
    # The Vietnamese page needs no marking, and names the same things.
    vietnamese = client.get(report_url(cast.program)).content.decode()
    assert 'lang="vi"' not in vietnamese.split("<body")[1]
    assert "<td>Sở GD&amp;ĐT Hà Nội – các trường trực thuộc</td>" in vietnamese
    assert "300 cuốn sách" in vietnamese and "<td>Tổ chức giao lưu chuyên môn đều đặn</td>" in vietnamese


def test_an_english_list_of_commendations_marks_its_vietnamese_data(cast, marked_data, client_for):
    client = client_for(cast.users.staff_hn)
    html = client.get(commendations_url(cast.program, "en")).content.decode()
    assert (
        "<span>of the units commended in the school year 2022–2023 for the movement "
        '“<span lang="vi">Nhà trường cùng chung tay phát triển</span>”</span>'
    ) in html
    assert '<td lang="vi">Tổ chức giao lưu chuyên môn đều đặn</td>' in html
    assert ': <span lang="vi">Giao lưu tháng 11</span></a>' in html
    # The program chooser's choices are Vietnamese names.
    assert f'<option value="{cast.program.slug}" selected lang="vi">Nhà trường cùng chung tay phát triển (' in html
    vietnamese = client.get(commendations_url(cast.program)).content.decode()
    assert 'lang="vi"' not in vietnamese.split("<body")[1]


def test_more_gifts_in_kind_than_are_named_leave_the_count_of_the_rest_in_the_page_s_language():
    total = SupportTotal()
    for label, n in (("cuốn sách", 1200), ("bộ máy tính", 35), ("bàn ghế", 20), ("quạt", 4), ("bảng", 2)):
        total.add(nature="in_kind", total=0, quantity=n, unit_label=label, n=1)
    with translation.override("en"):
        assert total.items_html == (
            '<span lang="vi">1,200 cuốn sách</span>, <span lang="vi">35 bộ máy tính</span>, '
            '<span lang="vi">20 bàn ghế</span>, 6 other items'
        )
        assert total.items_display == "1,200 cuốn sách, 35 bộ máy tính, 20 bàn ghế, 6 other items"
    with translation.override("vi"):
        assert total.items_html == total.items_display == "1.200 cuốn sách, 35 bộ máy tính, 20 bàn ghế, 6 hiện vật khác"


# --- 4. the public support table closes with its total in the body ------------------------------


@pytest.mark.parametrize(("language", "total"), [("vi", "Tổng cộng"), ("en", "Total")])
def test_the_public_support_table_ends_with_its_total_as_the_last_row_of_its_body(cast, client, language, total):
    with translation.override(language):
        urls = (cast.program.get_absolute_url(), cast.ntl_md.get_absolute_url())
    for url in urls:
        html = client.get(url).content.decode()
        table = re.search(r'<table class="table table-sm mb-0">\s*<caption[^>]*>[^<]*</caption>.*?</table>', html, re.S)
        assert table, url
        table = table.group(0)
        assert "<tfoot" not in table, url
        body = re.search(r"<tbody>(.*)</tbody>", table, re.S).group(1)
        rows = re.findall(r"<tr[^>]*>.*?</tr>", body, re.S)
        assert len(rows) >= 2, url
        last = rows[-1]
        # The total: once, last, bold, headed by a row header said through gettext.
        assert re.match(r'<tr class="[^"]*fw-semibold[^"]*"><th scope="row">' + total + "</th>", last), last
        assert sum(f'<th scope="row">{total}</th>' in row for row in rows) == 1
        # The kinds above it are row headers too, in normal weight.
        assert all('<th scope="row" class="fw-normal">' in row for row in rows[:-1]), url
