"""Browser harness check: a person logs in and sees the home page (real Chromium)."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.helpers import browser_login


def test_it_logs_in_and_shows_the_home_page(transactional_db, phone_page, settings):
    call_command("seed_demo", verbosity=0)
    page = phone_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
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
