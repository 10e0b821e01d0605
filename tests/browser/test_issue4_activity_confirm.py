"""A principal logs an activity with a photo from a phone; the partner principal
confirms it; it shows as confirmed on the pair's timeline (real Chromium, 360×740).
Today's pair crosses provinces: THCS Tây Mỗ (Hà Nội) helps the Nhôn Mai border boarding
school (Nghệ An)."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Activity
from tests.helpers import browser_login
from tests.workspace_principal.conftest import photo_bytes

TITLE = "Chuyên đề Ngữ văn 7: đọc hiểu văn bản nghị luận"


def test_it_logs_an_activity_with_a_photo_and_the_partner_confirms_it(
    transactional_db, phone_page, browser, live_server, settings, tmp_path
):
    call_command("seed_demo", verbosity=0)
    photo = tmp_path / "IMG_20261115_0930.jpg"
    photo.write_bytes(photo_bytes(size=(4000, 3000)))  # a phone photo, with GPS in its EXIF

    page = phone_page
    browser_login(page, "ht.taymo", settings.DEMO_PASSWORD)
    page.goto("/workspace/")
    page.get_by_role("link", name="Ghi hoạt động").first.click()
    # As a cluster head too, the principal first chooses the pair.
    expect(page.get_by_text("Cho cặp kết nghĩa nào?")).to_be_visible()
    page.get_by_role("link", name=re.compile("^THCS Tây Mỗ → PTNT TH&THCS Nhôn Mai")).click()
    expect(page.get_by_label("Loại hoạt động")).to_be_visible()
    page.get_by_label("Loại hoạt động").select_option(label="Chuyên đề")
    page.get_by_label("Ngày").fill("2026-11-15")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Môn học").fill("Ngữ văn")
    page.get_by_label("Giáo viên thực hiện").fill("Đào Thị Yến")
    page.get_by_label("Học sinh").fill("38")
    page.get_by_label("Thực hiện nội dung kế hoạch").select_option(
        label="2026–2027 · 12/2026 · Chuyên đề Ngữ văn 7 (minh hoạ)"
    )
    page.get_by_label("Thêm ảnh").set_input_files(str(photo))
    # The browser makes the photo smaller before it is sent.
    expect(page.get_by_text(re.compile(r"1 ảnh sẵn sàng gửi"))).to_be_visible()
    page.get_by_role("button", name="Gửi xác nhận").click()
    expect(page.get_by_text("Đã gửi hoạt động để PTNT TH&THCS Nhôn Mai xác nhận.")).to_be_visible()
    expect(page.get_by_text("Chờ xác nhận", exact=True)).to_be_visible()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "issue4-logged.png"), full_page=True)

    activity = Activity.objects.get(title=TITLE)
    assert activity.status == "reported" and activity.photos.count() == 1
    assert activity.photos.get().width <= 1600

    partner = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url)
    other = partner.new_page()
    browser_login(other, "ht.nhonmai", settings.DEMO_PASSWORD)
    other.goto("/workspace/")
    # The demo's own report of a thematic session waits too: two to confirm.
    expect(other.get_by_text("2 hoạt động chờ trường xác nhận")).to_be_visible()
    other.goto(f"/workspace/activities/{Activity.objects.get(title=TITLE).code}/")
    expect(other.get_by_role("heading", name=TITLE)).to_be_visible()
    other.get_by_role("button", name="Xác nhận hoạt động").click()
    expect(other.get_by_text("Đã xác nhận hoạt động. Xin cảm ơn.")).to_be_visible()

    # The pair page shows it among the latest records; the whole timeline too.
    other.get_by_role("link", name="THCS Tây Mỗ → PTNT TH&THCS Nhôn Mai").click()
    recent = other.locator(".kn-timeline-item", has_text=TITLE)
    expect(recent.get_by_text("Đã xác nhận", exact=True)).to_be_visible()
    other.get_by_role("link", name="Xem toàn bộ dòng thời gian").click()
    expect(other.get_by_role("heading", name="Dòng thời gian")).to_be_visible()
    item = other.locator(".kn-timeline-item", has_text=TITLE)
    expect(item.get_by_text("Đã xác nhận", exact=True)).to_be_visible()
    thumb = item.locator("img")
    expect(thumb).to_have_attribute("loading", "lazy")
    assert other.evaluate("img => img.naturalWidth", thumb.element_handle()) > 0
    other.screenshot(path=str(settings.MEDIA_ROOT.parent / "issue4-timeline.png"), full_page=True)
    partner.close()
