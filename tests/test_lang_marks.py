"""Issue 15, the rest of the browser walk: on English pages the Vietnamese data of the
outcomes pages, the memorandum and goal forms' choices, the table per office and the
"waiting for … to confirm" alert sit inside an element with lang="vi" (as the ``vi``
filter marks it: on English pages only); the people page's badges read as labels; the
values form's button is an ordinary one; the footer's link keeps its line as high as
the others on a phone."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from outcomes import services
from outcomes.models import Goal, Indicator, IndicatorValue
from programs.models import Donation
from schools.models import Membership
from tests import factories as f
from tests.helpers import browser_login, page_text

Y0, Y1 = "2021-2022", "2022-2023"  # taymo_md began on 05/09/2022
VI = '<span lang="vi">'


@pytest.fixture
def reading(cast):
    """An indicator of the Department with the two schools' values, a goal on it, and
    evidence to link: a lesson and a gift in kind with a value."""
    indicator = Indicator.objects.create(
        owner=cast.dept, code="doc_tot", name="Tỉ lệ học sinh đọc tốt", unit="điểm", minimum=0, maximum=100
    )
    for school, values in ((cast.taymo, ("90", "91")), (cast.school_md, ("60", "70"))):
        for year, value in zip((Y0, Y1), values, strict=True):
            IndicatorValue.objects.create(indicator=indicator, school=school, school_year=year, value=Decimal(value))
    services.refresh_gaps(school_ids=[cast.taymo.pk, cast.school_md.pk])
    Goal.objects.create(
        pair=cast.taymo_md, text="Học sinh Mỹ Đức A đọc tốt hơn", indicator=indicator, target=Decimal("80"), due_year=Y1
    )
    f.activity(cast.taymo_md, title="Chuyên đề Ngữ văn 7", happened_on=datetime.date(2023, 3, 2))
    f.donation(
        cast.program,
        cast.school_md,
        pair=cast.taymo_md,
        donor_org=cast.taymo,
        nature=Donation.Nature.IN_KIND,
        quantity=300,
        unit_label="cuốn sách",
        amount=45_000_000,
        kind=Donation.Kind.BOOKS,
    )
    return indicator


def _html(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


# --- outcomes -------------------------------------------------------------------------------------


def test_the_pair_pages_outcomes_mark_indicator_goal_and_school_names(cast, reading, client_for):
    url = reverse("workspace:pair-detail", args=[cast.taymo_md.code])
    html = _html(client_for(cast.users.principal_md), f"/en{url}")
    # The indicator's heading: its name and its (Vietnamese) unit, the English badge outside.
    assert (
        '<h3 class="h6 mb-1"><span lang="vi">Tỉ lệ học sinh đọc tốt</span> '
        '<span class="fw-normal text-body-secondary">(<span lang="vi">điểm</span>)</span>'
    ) in html
    assert '<caption class="visually-hidden"><span lang="vi">Tỉ lệ học sinh đọc tốt</span></caption>' in html
    assert 'Helping school: <span lang="vi">THCS Tây Mỗ</span>' in html
    assert 'Helped school: <span lang="vi">Trường THCS Mỹ Đức A</span>' in html
    # The goal: its text and its indicator.
    assert '<span class="fw-semibold" lang="vi">Học sinh Mỹ Đức A đọc tốt hơn</span>' in html
    assert ' · <span lang="vi">Tỉ lệ học sinh đọc tốt</span>: target 80 <span lang="vi">điểm</span>' in html
    # The Vietnamese page needs no marking.
    vietnamese = _html(client_for(cast.users.principal_md), url)
    assert VI not in vietnamese and "Tỉ lệ học sinh đọc tốt" in vietnamese


def test_the_values_form_marks_the_school_and_the_indicators_and_has_an_ordinary_button(cast, reading, client_for):
    url = reverse("outcomes:school-values", args=[cast.school_md.slug])
    client = client_for(cast.users.principal_md)
    html = _html(client, f"/en{url}", year=Y1)
    assert '<h1 class="h4 mb-1"><span lang="vi">Trường THCS Mỹ Đức A</span></h1>' in html
    assert "<title>Indicators – Trường THCS Mỹ Đức A" in html  # never inside the title
    assert '<span lang="vi">Tỉ lệ học sinh đọc tốt (điểm)</span>' in html  # the field's label
    assert '<th scope="row" class="fw-normal"><span lang="vi">Tỉ lệ học sinh đọc tốt</span></th>' in html
    # The button is the size of the other forms' buttons ("btn-lg" spans a phone's width).
    assert '<button type="submit" class="btn btn-brand">Save the values</button>' in html
    assert "btn-lg" not in html.split('method="post"', 1)[1].split("</form>", 1)[0]
    vietnamese = _html(client, url, year=Y1)
    assert VI not in vietnamese and "<label" in vietnamese and "Tỉ lệ học sinh đọc tốt (điểm)" in vietnamese


def test_the_goal_form_marks_its_choices(cast, reading, client_for):
    url = reverse("outcomes:goal-new", args=[cast.taymo_md.code])
    client = client_for(cast.users.principal_taymo)
    html = _html(client, f"/en{url}")
    assert f'<option value="{reading.pk}" lang="vi">Tỉ lệ học sinh đọc tốt (điểm)</option>' in html
    assert '<option value="" selected>---------</option>' in html  # the empty choice is not Vietnamese
    assert '02/03/2023 – <span lang="vi">Chuyên đề Ngữ văn 7</span>' in html
    # A gift in kind: its items and recipient Vietnamese, its kind and value English.
    assert '– <span lang="vi">300 cuốn sách</span> (value 45,000,000' in html
    assert 'VND) – <span lang="vi">Trường THCS Mỹ Đức A</span>' in html
    vietnamese = _html(client, url)
    assert VI not in vietnamese and 'lang="vi">Tỉ lệ' not in vietnamese
    assert "02/03/2023 – Chuyên đề Ngữ văn 7" in vietnamese
    assert "300 cuốn sách (trị giá 45.000.000" in page_text(client.get(url))


def test_the_pair_s_timeline_marks_the_items_of_a_gift_in_kind(cast, reading, client_for):
    # The same words as the goal form's choice (Donation.value_html): the items Vietnamese.
    client = client_for(cast.users.principal_md)
    url = f"/workspace/pairs/{cast.taymo_md.code}/timeline/"
    html = _html(client, f"/en{url}")
    assert '<span lang="vi">300 cuốn sách</span> (value 45,000,000' in html
    vietnamese = _html(client, url)
    assert VI not in vietnamese and "300 cuốn sách (trị giá 45.000.000" in page_text(client.get(url))
    # The donation list says it the same way.
    assert '<span lang="vi">300 cuốn sách</span> (value 45,000,000' in _html(client, "/en/workspace/donations/")


def test_an_english_goal_form_still_saves(cast, reading, client_for):
    client = client_for(cast.users.principal_taymo)
    response = client.post(
        "/en" + reverse("outcomes:goal-new", args=[cast.taymo_md.code]),
        {"text": "Mở 2 chuyên đề", "due_year": Y1, "status": "planned", "indicator": reading.pk, "target": "85"},
    )
    assert response.status_code == 302
    assert Goal.objects.filter(text="Mở 2 chuyên đề", indicator=reading).exists()


# --- the memorandum form, the activity's alert, the table per office --------------------------------


def test_the_memorandum_form_marks_the_pairs_names(cast, client_for):
    client = client_for(cast.users.officer_ntl)
    html = _html(client, "/en/workspace/memoranda/new/")
    assert (
        '<span lang="vi">THCS Tây Mỗ</span> → <span lang="vi">Trường THCS Mỹ Đức A</span> '
        '(<span lang="vi">Nhà trường cùng chung tay phát triển'
    ) in html
    vietnamese = _html(client, "/workspace/memoranda/new/")
    assert VI not in vietnamese and "THCS Tây Mỗ → Trường THCS Mỹ Đức A (Nhà trường cùng chung tay" in vietnamese


def test_the_waiting_alert_marks_the_other_schools_name(cast, client_for):
    activity = f.activity(cast.taymo_md, status="reported", reported_by_org=cast.taymo)
    html = _html(client_for(cast.users.principal_taymo), f"/en/workspace/activities/{activity.code}/")
    assert 'Waiting for <span lang="vi">Trường THCS Mỹ Đức A</span> to confirm.' in html


def test_the_table_per_office_marks_the_units_names(cast, client_for):
    # A school the Department manages itself gives the Department's row.
    school = f.org("Trường THCS Chu Văn An", area=cast.hanoi, parent=cast.dept)
    f.pair(cast.program, school, cast.school_md, started_on=datetime.date(2022, 9, 5))
    client = client_for(cast.users.staff_hn)
    params = {"program": cast.program.slug, "year": Y1}
    html = _html(client, "/en/reports/", **params)
    assert '<th scope="row"><span lang="vi">Phòng GD&amp;ĐT Nam Từ Liêm</span></th>' in html
    assert '<th scope="row"><span lang="vi">Sở GD&amp;ĐT Hà Nội</span> – schools it manages directly</th>' in html
    assert '<th scope="row">All pairs, each counted once</th>' in html
    vietnamese = _html(client, "/reports/", **params)
    assert '<th scope="row">Phòng GD&amp;ĐT Nam Từ Liêm</th>' in vietnamese
    assert '<th scope="row">Sở GD&amp;ĐT Hà Nội – các trường trực thuộc</th>' in vietnamese


# --- the people page's badges ----------------------------------------------------------------------


def test_the_people_pages_badges_read_as_labels(cast, client_for):
    today = datetime.date.today()
    ended = f.user("gv.cu", first_name="Nguyễn Văn Cũ")
    Membership.objects.create(
        user=ended,
        organization=cast.taymo,
        role=Membership.Role.TEACHER,
        valid_from=datetime.date(2020, 9, 1),
        valid_until=datetime.date(2022, 6, 30),
    )
    coming = f.user("gv.moi", first_name="Trần Thị Mới")
    Membership.objects.create(
        user=coming,
        organization=cast.taymo,
        role=Membership.Role.TEACHER,
        valid_from=today + datetime.timedelta(days=10),
    )
    client = client_for(cast.users.officer_ntl)
    html = _html(client, "/en/accounts/people/")
    assert '<span class="badge text-bg-success">Active</span>' in html
    assert '<span class="badge text-bg-light border">Ended on 30/06/2022</span>' in html
    assert '<span class="badge text-bg-info">Starts on ' in html
    assert ">active<" not in html and ">ended on" not in html and ">starts on" not in html
    vietnamese = _html(client, "/accounts/people/")
    assert '<span class="badge text-bg-success">Đang đảm nhiệm</span>' in vietnamese
    assert '<span class="badge text-bg-light border">Kết thúc ngày 30/06/2022</span>' in vietnamese
    assert '<span class="badge text-bg-info">Bắt đầu từ ' in vietnamese


# --- in a browser: the footer on a phone -----------------------------------------------------------

FOOTER_JS = """
() => {
  const p = document.querySelector('.site-footer p:last-child'), a = p.querySelector('a');
  const lineHeight = parseFloat(getComputedStyle(p).lineHeight);
  return {link: a.getBoundingClientRect().height, lines: p.getBoundingClientRect().height / lineHeight,
          lineHeight};
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/en/"])
def test_in_a_browser_the_footers_link_is_a_target_without_a_taller_line(browser, live_server, cast, path):
    f.user("sogd.footer", role=Membership.Role.DEPARTMENT_STAFF, organization=cast.dept)
    context = browser.new_context(viewport={"width": 360, "height": 800}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        browser_login(page, "sogd.footer")
        page.goto(path)
        footer = page.evaluate(FOOTER_JS)
        assert footer["link"] >= 24
        # Every line of the paragraph is as high as the others, the link's one included.
        assert footer["lines"] == pytest.approx(round(footer["lines"]), abs=0.01), footer
    finally:
        context.close()


def test_a_donation_s_value_and_a_unit_s_label_escape_what_was_typed():
    """value_html, items_html and unit_label(html=True) are marked safe: what a user typed
    in them is escaped on pages in either language."""
    from django.utils import translation

    from programs.models import Donation
    from programs.reports.units import unit_label
    from programs.support import SupportTotal
    from schools.models import Organization

    gift = Donation(nature=Donation.Nature.IN_KIND, quantity=3, unit_label="<b>bộ</b>", amount=1_000_000)
    unit = Organization(name="<i>Trường</i>", kind=Organization.Kind.SCHOOL)
    total = SupportTotal()
    total.items["<b>bộ</b>"] = 3
    for language in ("vi", "en"):
        with translation.override(language):
            for html in (gift.value_html, unit_label(unit, html=True), total.items_html):
                assert "<b>" not in html and "<i>" not in html and "&lt;" in html
