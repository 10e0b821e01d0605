"""Issue 14 §1–§4 in a real browser: Hà Nội's Department fills in the Excel template
for its Long Biên school, Nghệ An's Department types the Keng Đu boarding school's
values in the form, three school years each; the pair page and the dashboard show the
gap narrowing; a goal on the indicator is met, with an activity as evidence; the list
of pairs shows each pair's health and why."""

import datetime
import io
import re

from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from outcomes.models import Goal
from programs.models import Pair
from tests import factories as f
from tests.helpers import browser_login

PAIR = "hn-lb-kengdu"  # began 05/09/2026: the year before it is 2025–2026
PROGRAM = "nha-truong-cung-chung-tay-phat-trien-2025-2030-minh-hoa"
INDICATOR = "Tỉ lệ giáo viên đạt chuẩn nghề nghiệp (%)"
YEARS = ["2024-2025", "2025-2026", "2026-2027"]


def _shot(page, settings, name):
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / f"issue14-{name}.png"), full_page=True)


def test_values_by_excel_and_form_show_the_gap_narrowing_and_a_goal_met(
    transactional_db, laptop_page, phone_page, settings, tmp_path
):
    call_command("seed_demo", verbosity=0)
    pair = Pair.objects.select_related("mentor", "mentee").get(code=PAIR)

    # 1. Hà Nội fills in the template for Long Biên 01 (no code: found by its name).
    hanoi = laptop_page
    browser_login(hanoi, "sogd.hanoi", settings.DEMO_PASSWORD)
    hanoi.goto("/workspace/outcomes/import/")
    with hanoi.expect_download() as download:
        hanoi.get_by_role("link", name="Tải tệp mẫu").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    column = header.index(f"{INDICATOR} – Sở Giáo dục và Đào tạo Nghệ An") + 1
    sheet.delete_rows(2, sheet.max_row)
    for year, value in zip(YEARS, ["97", "98", "98,5"], strict=True):
        sheet.append(["", pair.mentor.name, year])
        sheet.cell(row=sheet.max_row, column=column, value=value)
    path = tmp_path / "chi-so-long-bien.xlsx"
    book.save(path)
    hanoi.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(str(path))
    hanoi.get_by_role("button", name="Kiểm tra và lưu").click()
    expect(hanoi.get_by_text("Đã đọc 3 dòng: thêm 3 giá trị, sửa 0.")).to_be_visible()

    # 2. Nghệ An types Keng Đu's values in the form, year by year, on a phone.
    nghean = phone_page
    browser_login(nghean, "sogd.nghean", settings.DEMO_PASSWORD)
    for year, value in zip(YEARS, ["72", "78", "88,5"], strict=True):
        nghean.goto(f"/workspace/outcomes/schools/{pair.mentee.slug}/?year={year}")
        nghean.get_by_label(INDICATOR).fill(value)
        nghean.get_by_role("button", name="Lưu số liệu").click()
        expect(nghean.get_by_text(re.compile(r"Đã lưu số liệu năm học"))).to_be_visible()
    _shot(nghean, settings, "school-values")

    # 3. The pair page shows the gap narrowing since 2025–2026.
    nghean.goto(f"/workspace/pairs/{PAIR}/")
    expect(nghean.get_by_text("Khoảng cách thu hẹp so với năm học 2025–2026")).to_be_visible()
    nghean.get_by_text("Số liệu từng năm học").first.click()
    expect(nghean.get_by_role("row", name=re.compile(r"2026–2027 98,5 88,5 10,0"))).to_be_visible()
    _shot(nghean, settings, "pair-gap")

    # 4. …and so does the dashboard of the program.
    hanoi.goto(f"/reports/?program={PROGRAM}&year=2026-2027")
    section = hanoi.locator("section", has=hanoi.get_by_role("heading", name="Trường được giúp đỡ có tiến bộ không?"))
    expect(section.get_by_role("row", name=re.compile(rf"{re.escape(INDICATOR)} 1 0 0 0"))).to_be_visible()
    _shot(hanoi, settings, "dashboard")

    # 5. A goal on the indicator, with an activity as evidence, is met.
    activity = f.activity(pair, title="Dự giờ chéo môn Toán", happened_on=datetime.date(2026, 10, 20))
    hanoi.goto(f"/workspace/pairs/{PAIR}/")
    hanoi.get_by_role("link", name="Đặt mục tiêu").click()
    hanoi.get_by_label("Mục tiêu").fill("85 % giáo viên Keng Đu đạt chuẩn nghề nghiệp")
    hanoi.get_by_label("Chỉ số").select_option(label=INDICATOR)
    hanoi.get_by_label("Mức cần đạt của trường được giúp đỡ").fill("85")
    hanoi.get_by_label("Hạn (năm học)").select_option("2026-2027")
    hanoi.get_by_label("20/10/2026 – Dự giờ chéo môn Toán").check()
    hanoi.get_by_role("button", name="Lưu").click()
    goals = hanoi.locator("#goals")
    expect(goals.get_by_text("Đã đạt", exact=True)).to_be_visible()
    expect(goals.get_by_role("link", name=re.compile("Dự giờ chéo môn Toán"))).to_be_visible()
    assert Goal.objects.get(pair=pair).status == "met"
    assert list(Goal.objects.get(pair=pair).activities.all()) == [activity]
    _shot(hanoi, settings, "goal")

    # 6. The list of pairs shows the health of each, at risk first, with the reasons.
    call_command("refresh_pair_health", verbosity=0)
    hanoi.goto("/workspace/pairs/?order=health")
    expect(hanoi.locator(".badge.health-at_risk", has_text="Có nguy cơ").first).to_be_visible()
    expect(hanoi.get_by_role("link", name="(cách đánh giá)").first).to_be_visible()
    _shot(hanoi, settings, "health")
