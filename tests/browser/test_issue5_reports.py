"""Browser journey of issue 5: department staff open the dashboard, download the annual
summary workbook and open the printable report (real Chromium)."""

import io
import re

from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.helpers import browser_login


def test_it_takes_the_department_from_the_dashboard_to_the_workbook_and_the_report(
    transactional_db, laptop_page, settings
):
    call_command("seed_demo", verbosity=0)
    page = laptop_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo năm học")
    # The dashboard opens on the 2025–2030 phase; the 2022–2025 movement is one choice away.
    page.get_by_label("Chương trình", exact=True).select_option(
        label="Nhà trường cùng chung tay phát triển (2022–2025)"
    )
    page.get_by_role("button", name="Xem").click()
    page.get_by_label("Năm học", exact=True).select_option("2022-2023")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo năm học 2022–2023")
    table = page.locator("table.report-units")
    expect(table.get_by_role("row", name=re.compile("Phòng GD&ĐT Nam Từ Liêm"))).to_contain_text("240.000.000 ₫")

    # The workbook is made by a background job: its page shows a progress bar until a
    # worker has made the file, then the download (the page follows the job by itself).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("button", name="Tạo bảng tổng hợp năm học (Excel)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bảng tổng hợp Nhà trường cùng chung tay phát triển")
    expect(page.get_by_role("progressbar", name="Tiến độ")).to_be_visible()
    expect(page.get_by_text("Có thể rời trang này")).to_be_visible()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "job-waiting.png"), full_page=True)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    download_link = page.get_by_role("link", name="Tải tệp xuống")
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith("2022-2023.xlsx")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    rows = list(book["Tổng hợp theo đơn vị"].iter_rows(min_row=2, values_only=True))
    column = rows[0].index("Đỡ đầu học sinh cho đơn vị khác (đồng)")
    ntl = next(row for row in rows if row[0] == "Phòng GD&ĐT Nam Từ Liêm")
    assert ntl[column] == 240000000

    page.get_by_role("navigation", name="Trình đơn chính").get_by_role("link", name="Tệp của tôi").click()
    expect(page.get_by_role("link", name=re.compile("Bảng tổng hợp Nhà trường cùng chung tay"))).to_be_visible()
    page.go_back()
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo năm học 2022–2023")
    page.get_by_role("link", name="Báo cáo để in").click()
    expect(page.get_by_text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).to_be_visible()
    expect(page.get_by_text("Độc lập - Tự do - Hạnh phúc")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tổng kết năm học 2022–2023")
    expect(page.get_by_role("button", name="In hoặc lưu PDF")).to_be_visible()  # shown by its script
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and int(re.findall(rb"/Count (\d+)", pdf)[0]) >= 1
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "annual-report.png"), full_page=True)
    # In English the program's name is marked lang="vi" inside the title: it runs on in
    # the line of its opening quote instead of standing on a line of its own.
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.goto(origin + "/en" + page.url[len(origin) :])
    title = page.locator(".report-title > span")
    expect(title).to_contain_text("of the movement “Nhà trường cùng chung tay phát triển")
    assert title.locator('span[lang="vi"]').evaluate("e => getComputedStyle(e).display") == "inline"


def test_it_fits_the_dashboard_on_a_phone(transactional_db, phone_page, settings):
    call_command("seed_demo", verbosity=0)
    page = phone_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    page.goto("/reports/?program=nha-truong-cung-chung-tay-phat-trien-2022-2025&year=2022-2023")
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo cáo năm học 2022–2023")
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    # The table per office becomes one card per office, its figures still links.
    row = page.locator("table.report-units tbody tr", has_text="Phòng GD&ĐT Nam Từ Liêm")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert row.bounding_box()["width"] <= 360
    # A long label beside a sum wraps instead of running under it (the sum keeps one line).
    overlaps = row.evaluate(
        """tr => [...tr.querySelectorAll("td.amount[data-label]")]
            .filter(cell => getComputedStyle(cell, "::before").whiteSpace === "nowrap").length"""
    )
    assert overlaps == 0
    row.get_by_role("link", name="240.000.000 ₫").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hỗ trợ")
    expect(page.get_by_text("1 dòng")).to_be_visible()
