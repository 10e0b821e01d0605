"""Issue 13, "done when", in a real browser: Nghệ An's Department invites a new
principal to the Nhôn Mai boarding school, who sets a password from the e-mail and logs
an activity; Tây Mỗ's principal gets the notification and the e-mail, confirms, and the
count clears; a review deadline passes, the reminder arrives and the late mark appears;
a bulk acceptance skips and lists a pair that was declined meanwhile."""

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from programs.models import Activity, Pair, Review
from programs.services.deadlines import send_reminders
from tests.helpers import browser_login
from twinning.lib.schoolyear import display_school_year, school_year_of

PROGRAM = "nha-truong-cung-chung-tay-phat-trien-2025-2030-minh-hoa"
TITLE = "Chuyên đề Toán 6: phân số trong đời sống"


def _shot(page, settings, name):
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / f"issue13-{name}.png"), full_page=True)


def test_invitation_activity_notification_deadline_and_bulk_skip(
    transactional_db, phone_page, laptop_page, browser, live_server, settings
):
    call_command("seed_demo", verbosity=0)

    # 0. Tây Mỗ's principal gives an e-mail address in "My account".
    partner_context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="vi-VN", base_url=live_server.url
    )
    partner = partner_context.new_page()
    browser_login(partner, "ht.taymo", settings.DEMO_PASSWORD)
    partner.goto("/accounts/profile/")
    partner.get_by_label("Thư điện tử").fill("ht.taymo@example.vn")
    partner.get_by_role("button", name="Lưu").click()
    expect(partner.get_by_text("Đã lưu họ tên và thư điện tử.")).to_be_visible()

    # 1. The Department invites a new principal.
    dept = laptop_page
    browser_login(dept, "sogd.nghean", settings.DEMO_PASSWORD)
    dept.goto("/accounts/invitations/new/")
    dept.get_by_label("Họ và tên").fill("Lô Văn Tâm")
    dept.get_by_label("Thư điện tử").fill("tam.nhonmai@example.vn")
    dept.get_by_label("Tìm đơn vị").fill("nhon mai")
    dept.get_by_role("button", name="Tìm", exact=True).click()
    dept.locator("#id_organization").select_option(
        label="Trường Phổ thông nội trú liên cấp Tiểu học và THCS xã Nhôn Mai"
    )
    dept.locator("#id_role").select_option(label="Hiệu trưởng")
    dept.get_by_role("button", name="Gửi lời mời").click()
    expect(dept.get_by_text("Đã gửi lời mời tới tam.nhonmai@example.vn")).to_be_visible()
    (invitation,) = [m for m in mail.outbox if "tam.nhonmai@example.vn" in m.to]
    link = re.search(r"(/accounts/invitation/\S+/)", invitation.body).group(1)

    # 2. The principal sets up the account from the e-mail, on a phone, and logs an activity.
    page = phone_page
    page.goto(link)
    page.locator("#id_username").fill("ht.tam")
    page.locator("#id_password1").fill("Nhon-Mai-Tam-2026!")
    page.locator("#id_password2").fill("Nhon-Mai-Tam-2026!")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page).to_have_url(re.compile(r"/workspace/$"))
    page.goto("/workspace/activities/new/?pair=hn-tm-nmai")
    page.get_by_label("Loại hoạt động").select_option(label="Chuyên đề")
    page.get_by_label("Ngày").fill((timezone.localdate() - datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Học sinh").fill("32")
    _shot(page, settings, "log-activity")
    page.get_by_role("button", name="Gửi xác nhận").click()
    expect(page.get_by_text("Chờ xác nhận", exact=True)).to_be_visible()
    activity = Activity.objects.get(title=TITLE)
    assert activity.status == "reported" and activity.created_by.username == "ht.tam"

    # 3. Tây Mỗ's principal sees the count in the header, and the e-mail links to the activity.
    (told,) = [m for m in mail.outbox if "ht.taymo@example.vn" in m.to]
    assert told.subject == f"Kết nghĩa: Hoạt động chờ xác nhận: {TITLE}"
    opened = re.search(r"https?://[^/]+(/notifications/\d+/)", told.body).group(1)
    partner.goto("/workspace/")
    expect(partner.get_by_role("link", name=re.compile(r"^\d+ thông báo mới$"))).to_be_visible()
    _shot(partner, settings, "partner-header")
    partner.goto(opened)
    expect(partner).to_have_url(re.compile(f"/workspace/activities/{activity.code}/$"))
    partner.get_by_role("button", name="Xác nhận hoạt động").click()
    expect(partner.get_by_text("Đã xác nhận hoạt động. Xin cảm ơn.")).to_be_visible()
    expect(partner.get_by_role("link", name=re.compile("thông báo mới"))).to_have_count(0)
    assert Activity.objects.get(pk=activity.pk).status == "confirmed"

    # 4. Hà Nội's Department sets a review deadline that has passed; the daily run reminds.
    due = timezone.localdate() - datetime.timedelta(days=3)
    year = school_year_of(due)
    hanoi = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN", base_url=live_server.url)
    staff = hanoi.new_page()
    browser_login(staff, "sogd.hanoi", settings.DEMO_PASSWORD)
    staff.goto(f"/workspace/programs/{PROGRAM}/calendar/")
    staff.get_by_role("row", name=re.compile(display_school_year(year))).get_by_role("link", name="Đặt hạn").click()
    staff.get_by_label("Hạn nộp bản tổng kết").fill(due.isoformat())
    staff.get_by_label("nhắc sau hạn (số ngày)").fill("3")
    staff.get_by_label("Vẫn nhận, ghi là nộp muộn").check()
    staff.get_by_role("button", name="Lưu").click()
    expect(staff.get_by_text(f"Đã lưu lịch báo cáo năm học {display_school_year(year)}.")).to_be_visible()
    _shot(staff, settings, "calendar")
    assert send_reminders() > 0  # what cron runs each day (manage.py send_deadline_reminders)

    page.goto("/notifications/")
    reminder = page.get_by_role("link", name=re.compile(r"^Đã quá hạn: bản tổng kết năm học"))
    expect(reminder.first).to_be_visible()
    _shot(page, settings, "reminder")
    page.goto(f"/workspace/reviews/hn-tm-nmai/{year}/")
    expect(page.get_by_text("quá hạn", exact=True)).to_be_visible()
    page.get_by_role("link", name="Viết bản tổng kết").click()
    page.get_by_label("Kết quả đạt được").fill("Hai chuyên đề Toán, một buổi giao lưu.")
    page.get_by_role("button", name="Lưu và gửi").click()
    expect(page.get_by_text("nộp muộn", exact=True)).to_be_visible()
    _shot(page, settings, "late")
    assert Review.objects.get(pair__code="hn-tm-nmai", school_year=year).status == "submitted"

    # 5. A bulk acceptance skips a pair declined in the meantime and says why.
    from programs.services.pairs import pair_decline, pair_register
    from schools.models import Organization

    ubnd = type(activity.created_by).objects.get(username="ubnd.taymo")
    extra = pair_register(
        user=ubnd,
        program=Pair.objects.get(code="hn-tm-nmai").program,
        mentor=Organization.objects.get(name="Trường THCS Tây Mỗ"),
        mentee=Organization.objects.get(name="Trường Phổ thông nội trú liên cấp Tiểu học và THCS xã Bắc Lý"),
    )
    dept.goto("/workspace/pairs/?waiting=on")
    dept.get_by_label("Chọn tất cả trên trang này").check()
    # Meanwhile the same pair is declined from another tab.
    pair_decline(user=type(ubnd).objects.get(username="sogd.nghean"), pair=extra, reason="Trùng với cặp đã có.")
    dept.get_by_role("button", name="Đồng ý các cặp đã chọn").click()
    expect(dept.get_by_text(re.compile(r"Đã đồng ý \d+ cặp kết nghĩa"))).to_be_visible()
    expect(dept.get_by_text(re.compile("Bắc Lý"))).to_be_visible()
    _shot(dept, settings, "bulk-skip")
