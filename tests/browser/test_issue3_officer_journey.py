"""Issue 3 in a real browser, in today's structure (issue 10): the commune officer of
Phường Tây Mỗ (Hà Nội) registers a school pair with a Nghệ An border boarding school on a
phone and uploads the memorandum scan; Nghệ An's Department accepts it on a laptop; the
pair is active on both homes."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Memorandum, Pair
from tests.helpers import browser_login
from tests.workspace_officer.conftest import PDF

MENTOR = "Trường THCS Tây Mỗ"
MENTEE = "Trường Phổ thông nội trú liên cấp Tiểu học và THCS xã Bắc Lý"


def test_it_registers_a_pair_uploads_the_memorandum_and_gets_it_accepted(
    transactional_db, phone_page, laptop_page, settings
):
    call_command("seed_demo", verbosity=0)

    # Tây Mỗ's commune officer, on a phone: register the pair, finding each school by
    # typing without diacritics.
    page = phone_page
    browser_login(page, "ubnd.taymo", settings.DEMO_PASSWORD)
    page.goto("/workspace/")
    page.get_by_role("link", name="Đăng ký cặp kết nghĩa").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký cặp kết nghĩa")
    page.get_by_label("Tìm bên giúp đỡ").fill("thcs tay mo")
    expect(page.locator("#id_mentor option:checked")).to_contain_text(MENTOR)
    page.get_by_label("Tìm bên được giúp đỡ").fill("noi tru bac ly")
    expect(page.locator("#id_mentee option:checked")).to_contain_text(MENTEE)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    pair = Pair.objects.get(mentor__name=MENTOR, mentee__name=MENTEE)
    pair_name = f"{pair.mentor.display_name} → {pair.mentee.display_name}"
    expect(page.get_by_text("Cặp chính thức kết nghĩa khi bên kia đồng ý.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(pair_name)
    expect(page.locator(".status-badge").first).to_have_text("Đề xuất")

    # The memorandum, with its scan, from the pair page.
    page.get_by_role("link", name="Thêm biên bản ghi nhớ").click()
    page.get_by_label("Tiêu đề").fill("Biên bản ghi nhớ kết nghĩa THCS Tây Mỗ – PTNT Bắc Lý (minh hoạ)")
    page.get_by_label("Số hiệu").fill("05/BBGN-TM-BL")
    page.locator("#id_signed_on").fill("2026-11-20")
    page.locator("#id_scan").set_input_files({"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF})
    page.locator("#id_signatories-0-title").fill("Hiệu trưởng Trường THCS Tây Mỗ")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã ghi nhận biên bản ghi nhớ.")).to_be_visible()
    expect(page.get_by_role("link", name="Mở bản scan (PDF)")).to_be_visible()
    memo = Memorandum.objects.get(reference_number="05/BBGN-TM-BL")
    assert list(memo.pairs.all()) == [pair] and memo.scan.name.endswith(".pdf")
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "issue3-memo-phone.png"), full_page=True)

    # Nghệ An's Department, on a laptop: the pair waits for its answer on the home page; accept it.
    page = laptop_page
    browser_login(page, "sogd.nghean", settings.DEMO_PASSWORD)
    page.goto("/workspace/")
    waiting = page.locator(".card", has=page.get_by_role("heading", name="Cặp kết nghĩa chờ duyệt"))
    expect(waiting.get_by_role("link", name=pair_name)).to_be_visible()
    waiting.locator("li", has_text="Bắc Lý").get_by_role("button", name="Duyệt").click()
    expect(page.get_by_text("Đã đồng ý cặp kết nghĩa")).to_be_visible()
    expect(page.locator(".status-badge").first).to_have_text("Đang kết nghĩa")
    # The scan opens for the other side too.
    response = page.request.get(f"/workspace/memoranda/{memo.code}/scan/")
    assert response.ok and response.headers["content-type"] == "application/pdf"

    # Nothing waits for Nghệ An's answer any more; active on the commune officer's home.
    page.goto("/workspace/")
    expect(waiting.locator("li", has_text="Bắc Lý")).to_have_count(0)
    phone_page.goto("/workspace/")
    active = phone_page.locator("h4", has_text=re.compile("^Đang kết nghĩa"))
    expect(active.locator("xpath=following-sibling::ul[1]").get_by_role("link", name=pair_name)).to_be_visible()
    expect(phone_page.get_by_text("Đã được trả lời trong 30 ngày qua")).to_be_visible()
    phone_page.screenshot(path=str(settings.MEDIA_ROOT.parent / "issue3-home-phone.png"), full_page=True)
    assert Pair.objects.get(pk=pair.pk).status == Pair.Status.ACTIVE
