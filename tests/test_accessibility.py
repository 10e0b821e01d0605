"""Accessibility and validity of the portal's pages (issue 15): no duplicate
attributes, ``aria-label`` only on elements whose role allows a name, horizontally
scrolling tables reachable by keyboard, Vietnamese data marked ``lang="vi"`` on English
pages, the dashboard's statistic links underlined, targets of at least 24 × 24 px;
and two small things from the walk: no empty grey box for an activity without photos,
the steps of a year-end review said in words, not by colour alone."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.utils import translation

from programs.models import ActivityPhoto
from tests import factories as f
from tests.helpers import browser_login

YEAR = "2022-2023"

# Elements whose implicit role (generic, paragraph, emphasis, …) has no accessible name:
# ARIA forbids aria-label on them unless they are given a role that allows one.
NAMELESS = {"div", "span", "p", "b", "i", "em", "strong", "small", "code", "pre", "dd", "dt", "br", "sub", "sup"}


class A11yChecker(HTMLParser):
    """What an HTML validator and an accessibility checker would report on the
    points of issue 15, read with the standard library's parser (which, unlike a
    browser, keeps every attribute as written, duplicates included)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._wrapper_problem = None  # a scrolling wrapper's problem, until its table is seen

    def handle_starttag(self, tag, attrs):
        names = [name for name, _value in attrs]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        attributes = dict(attrs)
        line = self.getpos()[0]
        if duplicates:
            self.problems.append(f"<{tag}> repeats {', '.join(duplicates)} (line {line})")
        if tag in NAMELESS and "aria-label" in attributes and "role" not in attributes:
            self.problems.append(f"aria-label on <{tag}> without a role (line {line})")
        if "table-responsive" in (attributes.get("class") or "").split():
            reachable = (
                attributes.get("tabindex") == "0"
                and attributes.get("role") == "region"
                and (attributes.get("aria-label") or attributes.get("aria-labelledby"))
            )
            if not reachable:
                self.problems.append(f"scrolling table not reachable by keyboard (line {line})")
                self._wrapper_problem = len(self.problems) - 1
                return
        if tag == "table" and self._wrapper_problem is not None:
            # Which table it is, for the one known case (see test_the_table_per_office_…).
            if "report-units" in (attributes.get("class") or "").split():
                self.problems[self._wrapper_problem] += " [table per office]"
        self._wrapper_problem = None

    handle_startendtag = handle_starttag


def problems(html: str) -> list[str]:
    checker = A11yChecker()
    checker.feed(html)
    checker.close()
    return checker.problems


def test_the_checker_finds_what_it_looks_for():
    page = (
        '<input type="checkbox" class="form-check-input" class="pair-checklist">'
        '<div aria-label="Các bước"></div><ol aria-label="Các bước"></ol><div role="group" aria-label="x"></div>'
        '<div class="table-responsive"></div>'
        '<div class="table-responsive" tabindex="0" role="region" aria-label="Đơn vị"></div>'
    )
    assert problems(page) == [
        "<input> repeats class (line 1)",
        "aria-label on <div> without a role (line 1)",
        "scrolling table not reachable by keyboard (line 1)",
    ]


# --- the pages, read as their users read them ---------------------------------------------


@pytest.fixture
def year(cast):
    """A school year of work on the cast's school pair: a confirmed activity without
    photos, one waiting for confirmation with a photo, a plan and a review."""
    from programs.models import Plan, PlanItem, Review

    d = datetime.date
    lesson = f.activity(cast.taymo_md, title="Chuyên đề Ngữ văn 6", happened_on=d(2023, 3, 30), host=cast.taymo)
    exchange = f.activity(cast.taymo_md, title="Giao lưu tháng 11", happened_on=d(2022, 11, 20), status="reported")
    ActivityPhoto.objects.create(activity=exchange, image="photos/x.jpg", width=3, height=2)
    plan = Plan.objects.create(pair=cast.taymo_md, school_year=YEAR, status=Plan.Status.ACCEPTED)
    PlanItem.objects.create(plan=plan, kind="exchange", title="Giao lưu", planned_month=d(2022, 11, 1))
    Review.objects.create(pair=cast.taymo_md, school_year=YEAR, status=Review.Status.SUBMITTED, achievements="Tốt.")
    return {"lesson": lesson, "exchange": exchange}


SKIPPED = ("/static/", "/media/", "/admin/", "/photos/", "/i18n/", "/accounts/logout")
FILES = (".xlsx", ".csv", "/receipt/", "/scan/", "/template/", "/download/")


def crawl(client, starts, language, limit=70):
    """{url: HTML} of the pages reachable by links from ``starts`` in one language,
    at most two per kind of address (a pair's page stands for every pair's)."""
    pages, seen_kinds, queue = {}, {}, list(starts)
    while queue and len(pages) < limit:
        url = queue.pop(0)
        kind = re.sub(r"/[^/?]*\d[^/?]*/", "/N/", url.split("?")[0])
        if url in pages or url.startswith(SKIPPED) or url.endswith(FILES) or seen_kinds.get(kind, 0) >= 2:
            continue
        if (language == "en") != url.startswith("/en/"):
            continue
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        pages[url] = response.content.decode()
        for href in re.findall(r'href="([^"#]*)', pages[url]):
            parts = urlsplit(urljoin(url, href.replace("&amp;", "&")))
            if parts.netloc in ("", "testserver"):
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    translation.activate(settings.LANGUAGE_CODE)
    return pages


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("who", ["staff_hn", "principal_taymo", "officer_ntl"])
def test_no_page_repeats_an_attribute_misplaces_a_name_or_traps_a_table(cast, year, client_for, who, language):
    client = client_for(getattr(cast.users, who))
    prefix = "/en" if language == "en" else ""
    starts = [f"{prefix}/workspace/", f"{prefix}/reports/?program={cast.program.slug}&year={YEAR}", f"{prefix}/"]
    pages = crawl(client, starts, language)
    assert len(pages) > 20
    found = {url: [p for p in problems(html) if not p.endswith("[table per office]")] for url, html in pages.items()}
    assert {url: found for url, found in found.items() if found} == {}


def test_the_table_per_office_is_reachable_by_keyboard(cast, year, client_for):
    page = client_for(cast.users.staff_hn).get("/reports/", {"program": cast.program.slug, "year": YEAR})
    assert problems(page.content.decode()) == []


def test_the_memorandum_form_gives_each_pair_checkbox_one_class(cast, client_for):
    page = client_for(cast.users.officer_ntl).get("/workspace/memoranda/new/").content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*name="pairs"[^>]*>', page)
    assert boxes, "the form lists the pairs the memorandum may cover"
    for box in boxes:
        assert box.count("class=") == 1, box
    assert problems(page) == []


def test_scrolling_tables_take_the_focus_and_say_what_they_hold(cast, year, client_for):
    page = client_for(cast.users.staff_hn).get("/reports/pairs/", {"program": cast.program.slug, "year": YEAR})
    wrapper = re.search(r'<div class="table-responsive"[^>]*>', page.content.decode()).group(0)
    assert 'tabindex="0"' in wrapper and 'role="region"' in wrapper
    assert re.search(r'aria-label="[^"]+"', wrapper)
    people = client_for(cast.users.staff_hn).get("/accounts/people/").content.decode()
    assert '<div class="table-responsive mb-3" tabindex="0" role="region" aria-label="Người trong đơn vị">' in people


def test_the_review_steps_are_a_named_list_and_say_which_are_done(cast, year, client_for):
    page = client_for(cast.users.principal_taymo).get(f"/workspace/reviews/{cast.taymo_md.code}/{YEAR}/")
    html = page.content.decode()
    steps = re.search(r'<ol class="review-steps[^"]*" aria-label="Các bước">(.*?)</ol>', html, re.S).group(1)
    items = re.findall(r"<li[^>]*>(.*?)</li>", steps, re.S)
    assert len(items) == 4
    # Written and submitted: done, said by a tick and in words; the other two not.
    assert [("✓" in item, "(đã thực hiện)" in item) for item in items] == [(True, True)] * 2 + [(False, False)] * 2
    assert problems(html) == []


def test_the_header_counts_unread_notifications_in_words_not_with_an_aria_label(cast, client_for):
    from notifications.models import Notification

    Notification.objects.create(
        user=cast.users.officer_ml, kind="pair_to_answer", subject="Cặp chờ trả lời", link="/workspace/pairs/"
    )
    html = client_for(cast.users.officer_ml).get("/workspace/").content.decode()
    assert (
        '<span class="badge rounded-pill text-bg-danger"><span aria-hidden="true">1</span>'
        '<span class="visually-hidden">1 chưa đọc</span></span>'
    ) in html
    assert problems(html) == []


# --- Vietnamese data on English pages ------------------------------------------------------


def test_english_pages_mark_vietnamese_names_and_titles(cast, year, client):
    pair = client.get(f"/en/pairs/{cast.taymo_md.code}/").content.decode()
    # The heading and the breadcrumbs: the English words stay English, the names Vietnamese.
    assert '<span lang="vi">THCS Tây Mỗ</span> <span class="text-body-secondary" aria-hidden="true">→</span>' in pair
    assert f'<li class="breadcrumb-item"><a href="/en/programs/{cast.program.slug}/"><span lang="vi">' in pair
    assert '<span lang="vi">Chuyên đề Ngữ văn 6</span>' in pair
    activity = client.get(f"/en/activities/{year['lesson'].code}/").content.decode()
    assert '<h1 class="h3"><span lang="vi">Chuyên đề Ngữ văn 6</span></h1>' in activity
    unit = client.get(f"/en/units/{cast.taymo.slug}/").content.decode()
    assert '<h1 class="h3"><span lang="vi">Trường THCS Tây Mỗ</span></h1>' in unit
    # …never inside an attribute or the page's title.
    assert "<title>THCS Tây Mỗ" in unit and "<title><span" not in unit
    assert f'<a href="/en/pairs/{cast.taymo_md.code}/"><span lang="vi">Trường THCS Mỹ Đức A</span></a>' in unit


def test_english_workspace_lists_mark_vietnamese_names(cast, year, client_for):
    client = client_for(cast.users.principal_taymo)
    pairs = client.get("/en/workspace/pairs/").content.decode()
    assert '<span lang="vi">THCS Tây Mỗ</span> → <span lang="vi">Trường THCS Mỹ Đức A</span>' in pairs
    activities = client.get("/en/workspace/activities/").content.decode()
    assert '<span class="fw-semibold d-block"><span lang="vi">Chuyên đề Ngữ văn 6</span></span>' in activities


def test_vietnamese_pages_need_no_marking(cast, year, client_for):
    client = client_for(cast.users.principal_taymo)
    for url in ("/workspace/pairs/", "/workspace/activities/", f"/pairs/{cast.taymo_md.code}/"):
        html = client.get(url).content.decode()
        assert '<html lang="vi">' in html
        assert '<span lang="vi">' not in html, url


# --- small things seen in a walk -------------------------------------------------------------


def test_an_activity_without_photos_shows_no_empty_box(cast, year, client_for):
    html = client_for(cast.users.principal_taymo).get("/workspace/activities/").content.decode()
    items = re.findall(r'<li class="kn-item">(.*?)</li>', html, re.S)
    by_title = {re.search(r'<span class="fw-semibold d-block">([^<]*)</span>', item).group(1): item for item in items}
    without, with_photo = by_title["Chuyên đề Ngữ văn 6"], by_title["Giao lưu tháng 11"]
    assert "kn-item-thumb" not in without and "nophoto" not in without and "<img" not in without
    assert re.search(r'<img src="/photos/\w+/thumb/"[^>]*class="kn-item-thumb rounded">', with_photo)


# --- in a browser: underlined statistic links, 24 px targets ----------------------------------

TARGETS_JS = """
() => {
  // Targets smaller than 24 × 24 px whose 24 px circle meets another target (WCAG 2.5.8),
  // leaving out links inside a sentence (the inline exception).
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const els = [...document.querySelectorAll(sel)].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && !e.closest('.visually-hidden, .visually-hidden-focusable');
  });
  const rects = els.map(e => e.getBoundingClientRect());
  const small = r => r.width < 24 || r.height < 24;
  const out = [];
  els.forEach((e, i) => {
    const r = rects[i];
    if (!small(r)) return;
    if (e.tagName === 'A' && getComputedStyle(e).display === 'inline'
        && e.parentElement.textContent.replace(e.textContent, '').trim()) return;
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const clash = els.some((o, j) => {
      if (i === j || o.contains(e) || e.contains(o)) return false;
      const q = rects[j];
      const d = Math.hypot(Math.max(q.left - cx, 0, cx - q.right), Math.max(q.top - cy, 0, cy - q.bottom));
      if (d < 12) return true;
      return small(q) && Math.hypot(q.left + q.width / 2 - cx, q.top + q.height / 2 - cy) < 24;
    });
    const size = `${Math.round(r.width)}×${Math.round(r.height)}`;
    if (clash) out.push(`${e.tagName} "${e.textContent.trim().slice(0, 40)}" ${size}`);
  });
  return out;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [360, 1280])
def test_in_a_browser_statistic_links_are_underlined_and_targets_are_big_enough(
    browser, live_server, cast, year, width
):
    from schools.models import Membership

    f.user("sogd.a11y", role=Membership.Role.DEPARTMENT_STAFF, organization=cast.dept)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        browser_login(page, "sogd.a11y")
        page.goto(f"/reports/?program={cast.program.slug}&year={YEAR}")
        decorations = page.eval_on_selector_all(
            ".report-stats .stat-value a", "links => links.map(a => getComputedStyle(a).textDecorationLine)"
        )
        assert decorations and set(decorations) == {"underline"}
        for url in (
            f"/reports/?program={cast.program.slug}&year={YEAR}",
            f"/workspace/pairs/{cast.taymo_md.code}/",
            f"/workspace/reviews/{cast.taymo_md.code}/{YEAR}/",
            f"/activities/{year['lesson'].code}/",
            f"/en/pairs/{cast.taymo_md.code}/",
        ):
            page.goto(url)
            page.evaluate("document.querySelectorAll('main details').forEach(d => d.open = true)")
            assert page.evaluate(TARGETS_JS) == [], url
    finally:
        context.close()
