"""Issue 14 §5 in a real browser: Nhôn Mai's principal posts a need from a phone, Tây
Mỗ's principal pledges it on a laptop, Nhôn Mai confirms what arrived, which records
the support in kind; the public needs board shows the need as met."""

from pathlib import Path

from django.core.management import call_command
from playwright.sync_api import expect

from needs.models import Need
from programs.models import Donation
from tests.helpers import browser_login

SHOTS = Path("/tmp/issue14-shots")


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_need_is_posted_pledged_received_and_shown_as_met(transactional_db, phone_page, laptop_page, settings):
    call_command("seed_demo", verbosity=0)
    title = "Sách tham khảo Tiếng Anh lớp 6 (minh hoạ)"
    helped = phone_page
    browser_login(helped, "ht.nhonmai", settings.DEMO_PASSWORD)
    helped.goto("/workspace/needs/")
    _shot(helped, "1-needs-list-phone")
    helped.get_by_role("link", name="Đăng nhu cầu hỗ trợ").click()
    helped.get_by_label("Cho cặp kết nghĩa").select_option(label="THCS Tây Mỗ → PTNT TH&THCS Nhôn Mai")
    helped.get_by_label("Loại nhu cầu").select_option(label="Sách")
    helped.get_by_label("Nội dung cần hỗ trợ").fill(title)
    helped.get_by_label("Số lượng").fill("120")
    helped.get_by_label("Đơn vị tính").fill("cuốn sách")
    _shot(helped, "2-post-form-phone")
    helped.get_by_role("button", name="Đăng nhu cầu").click()
    expect(helped.get_by_text("Đã đăng nhu cầu hỗ trợ.")).to_be_visible()
    need = Need.objects.get(title=title)
    assert need.status == Need.Status.OPEN

    partner = laptop_page
    browser_login(partner, "ht.taymo", settings.DEMO_PASSWORD)
    partner.goto(f"/workspace/needs/{need.code}/")
    partner.get_by_role("link", name="Đăng ký hỗ trợ").click()
    partner.get_by_label("Số lượng đăng ký").fill("120")
    partner.get_by_role("button", name="Đăng ký hỗ trợ").click()
    expect(partner.get_by_text("Đã ghi nhận đăng ký hỗ trợ.", exact=False)).to_be_visible()
    _shot(partner, "3-pledged-laptop")

    helped.goto(f"/workspace/needs/{need.code}/")
    expect(helped.get_by_text("Đã đăng ký đủ", exact=True)).to_be_visible()
    _shot(helped, "4-need-pledged-phone")
    helped.get_by_role("link", name="Xác nhận đã nhận").click()
    expect(helped.get_by_label("Giá trị (đồng, không bắt buộc)")).to_be_visible()
    _shot(helped, "5-receive-form-phone")
    helped.get_by_role("button", name="Xác nhận đã nhận").click()
    expect(helped.get_by_text("Đã xác nhận đã nhận và ghi nhận thành khoản hỗ trợ bằng hiện vật.")).to_be_visible()
    _shot(helped, "6-need-met-phone")
    helped.get_by_role("link", name="Xem khoản hỗ trợ").click()
    expect(helped.get_by_text("120 cuốn sách").first).to_be_visible()
    expect(helped.get_by_text("Không ghi giá trị bằng tiền.")).to_be_visible()
    _shot(helped, "7-donation-phone")
    donation = Donation.objects.get(pledge__need=need)
    assert (donation.nature, donation.quantity, donation.amount) == (Donation.Nature.IN_KIND, 120, None)

    public = partner.context.browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=helped.url.split("/workspace")[0]
    ).new_page()
    public.goto("/needs/?show=met")
    item = public.get_by_role("listitem").filter(has_text=title)
    expect(item).to_be_visible()
    expect(item.get_by_text("Đã đáp ứng")).to_be_visible()
    expect(public.get_by_text("Ngữ văn và Toán lớp 6", exact=False)).to_be_visible()  # the demo's met need
    _shot(public, "8-public-board-phone")
    public.context.close()
