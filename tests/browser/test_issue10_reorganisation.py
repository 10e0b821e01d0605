"""Issue 10 in a real browser.

1. Hà Nội's Department, on a phone, records that a school passes to another commune
   People's Committee from a date, with the decision behind it; the unit's timeline
   shows both placements, today's public page shows the new place and the 2022–2025
   pair page reads exactly as before.
2. Hà Nội's Department registers a school pair across provinces (a Hà Nội school
   helping a Nghệ An border boarding school) in the 2025–2030 phase; Nghệ An's
   Department accepts it; both Departments' reports of the year count it.
"""

import datetime
import re

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Pair, Program
from schools.models import Organization, Placement
from tests.helpers import browser_login


def without_token(html: str) -> str:
    """The page without its CSRF token (new on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


SCHOOL = "Trường Mầm non minh hoạ Chương Mỹ 01"
PHASE = "nha-truong-cung-chung-tay-phat-trien-2025-2030-minh-hoa"


def test_the_department_records_a_school_passing_to_another_commune_on_a_phone(
    transactional_db, phone_page, client, settings
):
    call_command("seed_demo", verbosity=0)
    school = Organization.objects.get(name=SCHOOL)
    old_pair = Pair.objects.filter(mentee=school).first() or Pair.objects.filter(mentor=school).first()
    before = without_token(client.get(f"/pairs/{old_pair.code}/").content.decode())
    assert "Huyện Chương Mỹ" in before

    page = phone_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    page.goto(f"/workspace/units/{school.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(SCHOOL)
    page.get_by_role("link", name="Ghi nhận thay đổi đơn vị quản lý hoặc địa bàn…").click()
    page.locator("#id_valid_from").fill("2026-09-01")
    page.get_by_label("Đơn vị quản lý").select_option(label="Ủy ban nhân dân xã Mỹ Đức")
    page.get_by_label("Tìm địa bàn").fill("xa my duc")
    expect(page.locator("#id_area option:checked")).to_contain_text("Xã Mỹ Đức")
    page.get_by_label("Căn cứ pháp lý").fill("Quyết định 15/QĐ-SGDĐT (minh hoạ)")
    page.get_by_role("button", name="Ghi nhận thay đổi").click()
    expect(page.get_by_text("Đã ghi nhận thay đổi của")).to_be_visible()
    timeline = page.locator("h2", has_text="Dòng thời gian").locator("xpath=following-sibling::*[1]")
    expect(timeline).to_contain_text("Từ 01/09/2026")
    expect(timeline).to_contain_text("Quyết định 15/QĐ-SGDĐT (minh hoạ)")
    expect(timeline).to_contain_text("Ủy ban nhân dân phường Chương Mỹ")
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "issue10-unit-timeline-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    placement = Placement.objects.get(organization=school, valid_from=datetime.date(2026, 9, 1))
    assert placement.parent.name == "Ủy ban nhân dân xã Mỹ Đức" and placement.area.name == "Mỹ Đức"
    assert placement.legal_reference == "Quyết định 15/QĐ-SGDĐT (minh hoạ)"
    # Today's page shows the new place; the pair of 2022–2025 reads exactly as before.
    page.goto(f"/units/{school.slug}/")
    expect(page.locator("main")).to_contain_text("Xã Mỹ Đức")
    assert without_token(client.get(f"/pairs/{old_pair.code}/").content.decode()) == before


def test_a_cross_province_pair_is_registered_accepted_and_reported_by_both_departments(
    transactional_db, phone_page, laptop_page, settings
):
    call_command("seed_demo", verbosity=0)
    mentor, mentee = (
        "Trường THCS minh hoạ huyện Mỹ Đức",
        "Trường Phổ thông nội trú liên cấp Tiểu học và THCS xã Môn Sơn",
    )

    page = phone_page
    browser_login(page, "sogd.hanoi", settings.DEMO_PASSWORD)
    page.goto("/workspace/pairs/new/")
    page.get_by_label("Chương trình").select_option(str(Program.objects.get(slug=PHASE).pk))
    page.get_by_label("Tìm bên giúp đỡ").fill("thcs minh hoa my duc")
    expect(page.locator("#id_mentor option:checked")).to_contain_text(mentor)
    page.get_by_label("Tìm bên được giúp đỡ").fill("noi tru mon son")
    expect(page.locator("#id_mentee option:checked")).to_contain_text(mentee)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Cặp chính thức kết nghĩa khi bên kia đồng ý.")).to_be_visible()
    pair = Pair.objects.get(mentor__name=mentor, mentee__name=mentee)
    assert pair.status == Pair.Status.PROPOSED and pair.program.slug == PHASE

    # Nghệ An's Department finds it waiting on its home and accepts it.
    page = laptop_page
    browser_login(page, "sogd.nghean", settings.DEMO_PASSWORD)
    page.goto("/workspace/")
    waiting = page.locator(".card", has=page.get_by_role("heading", name="Cặp kết nghĩa chờ duyệt"))
    waiting.locator("li", has_text="Môn Sơn").get_by_role("button", name="Duyệt").click()
    expect(page.get_by_text("Đã đồng ý cặp kết nghĩa")).to_be_visible()
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE and pair.started_on == datetime.date.today()

    # Both Departments' reports of this school year count and list it.
    year = pair.started_on.year if pair.started_on.month >= 9 else pair.started_on.year - 1
    rows = f"/reports/pairs/?program={PHASE}&year={year}-{year + 1}"
    for pg in (laptop_page, phone_page):  # Nghệ An's Department, then Hà Nội's
        pg.goto(rows)
        expect(pg.locator("main")).to_contain_text("Môn Sơn")
    shot = settings.MEDIA_ROOT.parent / "issue10-cross-province-rows-phone.png"
    phone_page.screenshot(path=str(shot), full_page=True)
