"""Pointer targets of at least 24 × 24 CSS px (WCAG 2.2, 2.5.8), measured in Chromium on a
phone and on a laptop: the walk found breadcrumb links 16 px high, the dashboard's numbers
(its statistics and the figures of its tables) smaller still, check boxes of 16 px and
fold-out summaries of 21 px. site.css grows them with padding and minimum sizes; these tests
read the sizes the browser lays out."""

import pytest

from tests.helpers import browser_login

pytestmark = pytest.mark.browser

YEAR = "2022-2023"

# {text, width, height, …} of every visible element matching a selector, as laid out.
BOXES_JS = """
els => els.map(e => {
  const r = e.getBoundingClientRect();
  return {text: (e.textContent.trim() || e.name || '').slice(0, 80), left: r.left, right: r.right,
          top: r.top, bottom: r.bottom, width: r.width, height: r.height};
}).filter(box => box.width > 0 && box.height > 0)
"""


@pytest.fixture(params=[360, 1280], ids=["phone", "laptop"])
def screen(request, browser, live_server):
    """A Vietnamese page on a 360 px phone, then on a 1280 px laptop."""
    context = browser.new_context(
        viewport={"width": request.param, "height": 800}, locale="vi-VN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def boxes(page, selector):
    found = page.eval_on_selector_all(selector, BOXES_JS)
    assert found, f"nothing matches {selector} on {page.url}"
    return found


def too_small(found):
    return [box for box in found if box["width"] < 24 or box["height"] < 24]


def test_it_makes_breadcrumb_links_24_px_high(screen, cast):
    screen.goto(f"/pairs/{cast.taymo_md.code}/")
    assert too_small(boxes(screen, ".breadcrumb-item a")) == []

    browser_login(screen, "ht.tm")
    screen.goto(f"/workspace/pairs/{cast.taymo_md.code}/")
    links = boxes(screen, ".breadcrumb-item a")
    assert [link["text"] for link in links] == ["Cặp kết nghĩa", "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức"]
    assert too_small(links) == []
    # The long name starts on the line of its "/" (and wraps from there) instead of leaving
    # the separator alone on a line; two rows of breadcrumbs do not overlap.
    gap = screen.locator(".breadcrumb-item + .breadcrumb-item").first.evaluate(
        "li => li.querySelector('a').getClientRects()[0].top - li.getBoundingClientRect().top"
    )
    assert abs(gap) < 6
    assert links[1]["top"] >= links[0]["bottom"] - 1 or links[1]["left"] >= links[0]["right"]


def test_it_makes_the_dashboards_numbers_24_px_without_taller_rows(screen, cast):
    browser_login(screen, "sogd.hn")
    screen.goto(f"/reports/?program={cast.program.slug}&year={YEAR}")

    statistics = boxes(screen, ".report-stats .stat-value a")
    assert len(statistics) == 5
    assert too_small(statistics) == []

    # A figure of the table per unit is a 24 px box that stays inside its cell: the row is
    # no taller than the figure needs, and two rows' figures never overlap.
    figures = screen.eval_on_selector_all(
        "table.report-units td.text-end a",
        """links => links.map(a => {
          const r = a.getBoundingClientRect(), cell = a.closest('td').getBoundingClientRect();
          return {text: a.textContent.trim(), width: r.width, height: r.height,
                  inside: r.top >= cell.top - 0.5 && r.bottom <= cell.bottom + 0.5};
        })""",
    )
    assert len(figures) >= 11
    assert too_small(figures) == []
    assert [figure for figure in figures if not figure["inside"]] == []


def test_it_makes_check_boxes_24_px_with_their_label_beside_them(screen, cast):
    browser_login(screen, "phong.ntl")
    for url, selector in (
        ("/workspace/pairs/", "input[type=checkbox][name=quiet]"),
        ("/workspace/memoranda/new/", "input[type=checkbox][name=pairs]"),
    ):
        screen.goto(url)
        checks = boxes(screen, selector)
        assert too_small(checks) == [], url
        for index in range(len(checks)):
            box = screen.locator(selector).nth(index)
            label = screen.locator(f"label[for='{box.get_attribute('id')}']").bounding_box()
            assert label["x"] >= checks[index]["right"], f"{url}: the label runs under its box"
            # The label still ticks the box.
            screen.locator(f"label[for='{box.get_attribute('id')}']").click()
            assert box.is_checked(), url


def test_it_makes_fold_out_summaries_24_px_high(screen, cast):
    browser_login(screen, "sogd.hn")
    screen.goto(f"/reports/?program={cast.program.slug}&year={YEAR}")
    summaries = boxes(screen, "details.report-data > summary")
    assert len(summaries) >= 2
    assert too_small(summaries) == []
    # A summary's text is one 24 px line, not a bigger font.
    sizes = screen.eval_on_selector_all(
        "details.report-data > summary", "els => els.map(e => getComputedStyle(e).fontSize)"
    )
    assert set(sizes) == {"14px"}
