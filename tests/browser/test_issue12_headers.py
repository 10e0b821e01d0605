"""Browser check of the Content-Security-Policy: the pages that run scripts (menu,
print button, photo shrinking, pickers, formsets, job progress) work under it and
Chromium reports no violation (real Chromium)."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from tests.helpers import browser_login

PAGES = [
    "/",
    "/pairs/?q=tay+mo",
    "/reports/",
    "/workspace/",
    "/workspace/pairs/",
    "/workspace/activities/",
    "/exports/",
    "/accounts/password_change/",
]


def test_no_page_breaks_the_content_security_policy(transactional_db, phone_page, settings):
    call_command("seed_demo", verbosity=0)
    page = phone_page
    violations = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    for path in PAGES:
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
    # Scripts still run: the phone menu opens (Bootstrap) and the printable report shows its button.
    page.goto("/")
    page.get_by_role("button", name="Mở trình đơn").click()
    expect(page.get_by_role("link", name="Tệp của tôi")).to_be_visible()
    page.goto("/reports/")
    page.get_by_role("link", name="Báo cáo để in").click()
    expect(page.get_by_role("button", name="In hoặc lưu PDF")).to_be_visible()
    assert violations == []
    assert re.search(r"no-store", page.goto("/workspace/").headers["cache-control"])
