"""The public portal in a real browser (Chromium): a visitor on a phone finds a pair
without typing accents and reads it in English; the pages fit 360 px, have enough
contrast, work from the keyboard and without JavaScript."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

PAGES = [
    "/",
    "/pairs/",
    "/pairs/?q=tay+mo&show=units",
    "/pairs/hn-ntl-md/",
    "/pairs/hn-taymo-md/",
    "/units/thcs-tay-mo/",
    "/activities/hd-taymo-nv6/",
    "/programs/nha-truong-cung-chung-tay-phat-trien-2022-2025/",
    "/khong-co-trang-nay/",
]

# For each element with its own text: its colour against the first opaque background
# behind it (WCAG 2 relative luminance). Large text (24px, or 18.66px bold) needs 3:1,
# other text 4.5:1. Returns the elements that fall short.
CONTRAST_JS = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.95)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const blend = (fg, bg) => fg.length === 4 ? fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3])) : fg;
  const failures = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility === "hidden" || style.display === "none" || rect.width === 0 || rect.height === 0) continue;
    if (el.closest(".visually-hidden, .visually-hidden-focusable")) continue;
    const bg = background(el);
    const fg = blend(parse(style.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName} "${el.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}`);
  }
  return failures;
}
"""


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0)


def test_it_lets_a_visitor_find_a_pair_without_accents_and_read_it_in_english(demo, phone_page):
    page = phone_page
    page.goto("/")
    page.get_by_label("Tìm trường, đơn vị hoặc cặp kết nghĩa").fill("tay mo")
    page.get_by_role("button", name="Tìm", exact=True).click()
    expect(page).to_have_url(re.compile(r"/pairs/\?q=tay\+mo$"))
    # Tây Mỗ helps a Mỹ Đức school (2022–2025) and a Nghệ An border school (since 2025).
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 2 cặp kết nghĩa.")
    page.get_by_role("link", name="THCS Tây Mỗ → THCS minh hoạ Mỹ Đức").click()
    expect(page).to_have_url(re.compile(r"/pairs/hn-taymo-md/$"))
    # The arrow is read out as words.
    expect(page.get_by_role("heading", level=1, name="THCS Tây Mỗ giúp đỡ THCS minh hoạ Mỹ Đức")).to_be_visible()
    expect(page.get_by_text("Bên giúp đỡ", exact=True)).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/pairs/hn-taymo-md/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="THCS Tây Mỗ helps THCS minh hoạ Mỹ Đức")).to_be_visible()
    expect(page.get_by_text("Helping side", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Memorandum of understanding")).to_be_visible()
    # Links stay English: the breadcrumb leads to the English program page.
    page.get_by_role("link", name="Nhà trường cùng chung tay phát triển").first.click()
    expect(page).to_have_url(re.compile(r"/en/programs/nha-truong-cung-chung-tay-phat-trien-2022-2025/$"))
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page).to_have_url(re.compile(r"/programs/nha-truong-cung-chung-tay-phat-trien-2022-2025/$"))
    expect(page.get_by_role("heading", name="Kết nghĩa giữa các đơn vị")).to_be_visible()


def test_it_fits_a_phone_screen_and_has_enough_contrast(demo, phone_page, settings):
    # English runs longer ("389,000,000 VND"): check both languages.
    for path in PAGES + [f"/en{path}" for path in PAGES]:
        phone_page.goto(path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide"
        assert phone_page.evaluate(CONTRAST_JS) == [], path


def test_it_has_enough_contrast_on_a_laptop(demo, laptop_page):
    for path in PAGES:
        laptop_page.goto(path)
        assert laptop_page.evaluate(CONTRAST_JS) == [], path


def test_it_works_from_the_keyboard(demo, laptop_page):
    page = laptop_page
    page.goto("/pairs/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    # From the content, the next stops are the search box and its button.
    page.keyboard.press("Tab")
    search = page.get_by_label("Tìm theo tên hoặc mã")
    expect(search).to_be_focused()
    ring = "el => getComputedStyle(el).outlineStyle + ' ' + getComputedStyle(el).outlineColor"
    # A dark ring, not Bootstrap's pale shadow: rgb(8, 69, 54) is 10:1 on white.
    assert search.evaluate(ring) == "solid rgb(8, 69, 54)"
    page.keyboard.press("Tab")
    assert page.get_by_role("button", name="Tìm", exact=True).evaluate(ring) == "solid rgb(8, 69, 54)"
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("dang thai mai")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="THCS Đặng Thai Mai → THCS Lý Nhật Quang")).to_be_visible()


def test_it_works_without_javascript(demo, browser, live_server):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/")
        # The phone menu cannot open without JavaScript, so it shows unfolded.
        expect(page.get_by_role("link", name="Cặp kết nghĩa và trường")).to_be_visible()
        page.get_by_role("link", name="Cặp kết nghĩa và trường").click()
        page.get_by_text("Lọc theo địa bàn, cấp học, chương trình và trạng thái").click()
        page.get_by_label("Cấp học").select_option(label="THPT")
        page.get_by_role("button", name="Lọc", exact=True).click()
        expect(page.get_by_role("status")).to_have_text("Tìm thấy 7 cặp kết nghĩa.")
        page.get_by_role("button", name="English").click()
        expect(page).to_have_url(re.compile(r"/en/pairs/\?.*level=upper_secondary"))
        expect(page.get_by_role("status")).to_have_text("7 pairs found.")
    finally:
        context.close()


def test_it_narrows_the_districts_as_soon_as_a_province_is_chosen(demo, phone_page):
    page = phone_page
    page.goto("/pairs/")
    page.get_by_text("Lọc theo địa bàn, cấp học, chương trình và trạng thái").click()
    district = page.get_by_label("Quận/huyện")
    assert "Mỹ Đức" in district.inner_text() and "Kỳ Sơn" in district.inner_text()
    page.get_by_label("Tỉnh/thành phố").select_option(label="Nghệ An")
    expect(district.locator("option", has_text="Mỹ Đức")).to_have_count(0)
    expect(district.locator("option", has_text="Kỳ Sơn")).to_have_count(1)
    district.select_option(label="Kỳ Sơn")
    page.get_by_role("button", name="Lọc", exact=True).click()
    expect(page).to_have_url(re.compile(r"province=nghe-an.*district="))
    # After the search the server offers Nghệ An's districts only, Kỳ Sơn still chosen.
    expect(page.get_by_label("Quận/huyện").locator("option", has_text="Mỹ Đức")).to_have_count(0)
    expect(page.get_by_label("Quận/huyện")).to_have_value(re.compile("ky-son"))
    page.get_by_label("Tỉnh/thành phố").select_option(label="Mọi tỉnh/thành phố")
    expect(page.get_by_label("Quận/huyện").locator("option", has_text="Mỹ Đức")).to_have_count(1)
