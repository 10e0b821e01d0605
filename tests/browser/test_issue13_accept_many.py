"""Issue 13 §4 in a real browser: Nghệ An's Department, on a phone, opens the pairs
waiting for its answer, ticks them all with one box and accepts them together."""

from django.core.management import call_command
from playwright.sync_api import expect

from programs.models import Pair
from tests.helpers import browser_login


def test_the_department_accepts_the_waiting_pairs_together(transactional_db, phone_page, settings):
    call_command("seed_demo", verbosity=0)
    waiting = list(Pair.objects.filter(status=Pair.Status.PROPOSED, mentee__province__name="Nghệ An"))
    assert waiting
    page = phone_page
    browser_login(page, "sogd.nghean", settings.DEMO_PASSWORD)
    page.goto("/workspace/pairs/?waiting=on")
    boxes = page.locator('input[name="pairs"]')
    expect(boxes).to_have_count(len(waiting))
    page.get_by_label("Chọn tất cả trên trang này").check()
    for i in range(len(waiting)):
        expect(boxes.nth(i)).to_be_checked()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "accept-many.png"), full_page=True)
    page.get_by_role("button", name="Đồng ý các cặp đã chọn").click()
    expect(
        page.get_by_text(
            f"Đã đồng ý {len(waiting)} cặp kết nghĩa; các cặp này chuyển sang trạng thái “Đang kết nghĩa”."
        )
    ).to_be_visible()
    assert not Pair.objects.filter(pk__in=[p.pk for p in waiting]).exclude(status=Pair.Status.ACTIVE).exists()
    expect(page.locator('input[name="pairs"]')).to_have_count(0)


def test_a_notification_in_the_phone_header_leads_to_the_pair(transactional_db, phone_page, settings):
    from programs.services.pairs import pair_register
    from schools.models import Organization

    call_command("seed_demo", verbosity=0)
    page = phone_page
    # Tây Mỗ's commune officer proposes a pair to a Nghệ An border boarding school.
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="ubnd.taymo")
    mentor = Organization.objects.get(name="Trường THCS Tây Mỗ")
    mentee = Organization.objects.get(name="Trường Phổ thông nội trú liên cấp Tiểu học và THCS xã Bắc Lý")
    program = Pair.objects.filter(mentee__province__name="Nghệ An").first().program
    pair = pair_register(user=officer, program=program, mentor=mentor, mentee=mentee)
    browser_login(page, "sogd.nghean", settings.DEMO_PASSWORD)
    new = page.get_by_role("link", name="1 thông báo mới")
    expect(new).to_be_visible()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "notice-header.png"))
    new.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thông báo")
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "notice-list.png"), full_page=True)
    page.get_by_role("link", name="Cặp kết nghĩa chờ trả lời: THCS Tây Mỗ", exact=False).click()
    expect(page).to_have_url(
        f"{page.url.split('/workspace')[0].split('/notifications')[0]}/workspace/pairs/{pair.code}/"
    )
    expect(page.get_by_role("button", name="Đồng ý kết nghĩa")).to_be_visible()


def test_a_commune_officer_invites_a_teacher_who_sets_up_the_account(
    transactional_db, phone_page, laptop_page, settings
):
    import re

    from django.core import mail

    call_command("seed_demo", verbosity=0)
    page = phone_page
    browser_login(page, "ubnd.taymo", settings.DEMO_PASSWORD)
    page.goto("/accounts/invitations/new/")
    page.get_by_label("Họ và tên").fill("Lê Thị Lan")
    page.get_by_label("Thư điện tử").fill("lan.gv@example.vn")
    page.get_by_label("Tìm đơn vị").fill("tay mo")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.locator("#id_organization").select_option(label="Trường THCS Tây Mỗ")
    page.locator("#id_role").select_option(label="Giáo viên")
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "invite-phone.png"), full_page=True)
    page.get_by_role("button", name="Gửi lời mời").click()
    expect(page.get_by_text("Đã gửi lời mời tới lan.gv@example.vn")).to_be_visible()
    (message,) = mail.outbox
    link = re.search(r"(/accounts/invitation/\S+/)", message.body).group(1)

    invitee = laptop_page
    invitee.goto(link)
    expect(invitee.get_by_text("Lê Thị Lan được mời với vai trò Giáo viên của Trường THCS Tây Mỗ.")).to_be_visible()
    invitee.locator("#id_username").fill("gv.lan")
    invitee.locator("#id_password1").fill("Tay-Mo-Lan-2026!")
    invitee.locator("#id_password2").fill("Tay-Mo-Lan-2026!")
    invitee.screenshot(path=str(settings.MEDIA_ROOT.parent / "invite-accept.png"), full_page=True)
    invitee.get_by_role("button", name="Tạo tài khoản").click()
    expect(invitee.get_by_text("Tài khoản đã sẵn sàng. Chào mừng đến với Kết nghĩa.")).to_be_visible()
    expect(invitee).to_have_url(re.compile(r"/workspace/$"))


def test_an_officer_approves_submitted_plans_together_on_a_phone(transactional_db, phone_page, settings):
    from django.contrib.auth import get_user_model

    from programs.models import Plan

    call_command("seed_demo", verbosity=0)
    officer = get_user_model().objects.get(username="ubnd.taymo")
    pairs = list(Pair.objects.filter(status=Pair.Status.ACTIVE, mentor__name="Trường THCS Tây Mỗ")[:2])
    plans = [Plan.objects.create(pair=p, school_year="2029-2030", status=Plan.Status.SUBMITTED) for p in pairs]
    approvable = Plan.objects.approvable_by(officer).filter(pk__in=[p.pk for p in plans])
    assert approvable.count() == len(plans)
    page = phone_page
    browser_login(page, "ubnd.taymo", settings.DEMO_PASSWORD)
    page.goto("/workspace/plans/?state=submitted")
    page.get_by_label("Chọn tất cả trên trang này").check()
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "plans-many.png"), full_page=True)
    page.get_by_role("button", name="Duyệt các kế hoạch đã chọn").click()
    expect(page.get_by_text(f"Đã duyệt {len(plans)} kế hoạch.")).to_be_visible()
    assert set(Plan.objects.filter(pk__in=[p.pk for p in plans]).values_list("status", flat=True)) == {"accepted"}
