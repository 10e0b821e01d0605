"""Browser journey of a request about a child's data: department staff find the notes
naming the child, correct one and erase it (real Chromium, phone width)."""

import datetime

from playwright.sync_api import expect

from programs.models import Donation, PrivateNoteAccess
from tests import factories as f
from tests.helpers import browser_login


def test_the_department_answers_a_familys_request_about_a_child(transactional_db, phone_page, cast, settings):
    donation = f.donation(
        cast.program,
        cast.school_md,
        donor_org=cast.taymo,
        pair=cast.taymo_md,
        amount=2_000_000,
        given_on=datetime.date(2025, 9, 20),
        private_note="Em Hà Thị Hoa, lớp 7A",
        note_consent="Mẹ em đồng ý bằng văn bản ngày 15/09/2025",
    )
    page = phone_page
    browser_login(page, cast.users.staff_hn.username)
    page.goto("/workspace/pupil-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Yêu cầu về dữ liệu của học sinh")
    page.get_by_label("Họ tên của em, như được ghi trong các ghi chú").fill("Hà Thị Hoa")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_text("1 ghi chú có tên em này.")).to_be_visible()
    note = page.get_by_label("Ghi chú riêng về người nhận")
    expect(note).to_have_value("Em Hà Thị Hoa, lớp 7A")
    expect(page.get_by_text("Mẹ em đồng ý bằng văn bản ngày 15/09/2025")).to_be_visible()
    note.fill("Em Hà Thị Hoa, lớp 7B")
    page.get_by_role("button", name="Lưu nội dung đã sửa").click()
    expect(page.get_by_text("Đã sửa ghi chú.")).to_be_visible()
    expect(page.get_by_label("Ghi chú riêng về người nhận")).to_have_value("Em Hà Thị Hoa, lớp 7B")
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "pupil-found.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Xoá ghi chú này").click()
    expect(page.get_by_text("Đã xoá ghi chú, cả trong lịch sử thay đổi.")).to_be_visible()
    expect(page.get_by_text("Không có ghi chú nào trong tỉnh, thành phố có tên em này.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(settings.MEDIA_ROOT.parent / "pupil-data.png"), full_page=True)
    donation.refresh_from_db()
    assert donation.private_note == ""
    actions = list(PrivateNoteAccess.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions[0] == "view" and "correct" in actions and actions[-1] == "erase"
    assert not Donation.history.filter(id=donation.pk).exclude(private_note="").exists()
