"""Browser harness check: a person logs in, lands on their workspace and sees the home
page; they open "My account" from the menu (real Chromium)."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.helpers import browser_login


def test_it_logs_in_and_shows_the_home_page(transactional_db, phone_page, settings):
    call_command("seed_demo", verbosity=0)
    page = phone_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    # Staff land on their workspace; the public home is one click away.
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kết nghĩa: trường mạnh giúp trường còn khó khăn")
    expect(page.get_by_text("389.000.000 ₫").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Nhà trường cùng chung tay phát triển – Thầy cô"))).to_be_visible()
    # The phone menu opens and shows who is logged in.
    page.get_by_role("button", name="Mở trình đơn").click()
    expect(page.get_by_text("Chuyên viên Sở GD&ĐT Hà Nội (demo)")).to_be_visible()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "home.png"))


def test_it_refuses_a_wrong_password_in_vietnamese(transactional_db, phone_page):
    call_command("seed_demo", verbosity=0)
    browser_login(phone_page, "sogd.hanoi", "sai-mat-khau")
    expect(phone_page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()


def test_my_account_from_the_phone_menu(transactional_db, phone_page, settings):
    call_command("seed_demo", verbosity=0)
    page = phone_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Mở trình đơn").click()
    page.get_by_role("link", name="Chuyên viên Sở GD&ĐT Hà Nội (demo)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản của tôi")
    expect(page.locator(".list-group-item")).to_contain_text(["Chuyên viên"])
    expect(page.locator(".list-group-item .badge")).to_have_text(["Đang đảm nhiệm"])
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa (demo)")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu họ tên và thư điện tử.")).to_be_visible()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "my-account.png"), full_page=True)
