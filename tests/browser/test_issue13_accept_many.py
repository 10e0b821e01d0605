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
    page.get_by_role("button", name="Chấp nhận các cặp đã chọn").click()
    expect(page.get_by_text(f"Đã chấp nhận {len(waiting)} cặp; các cặp này đang hoạt động.")).to_be_visible()
    assert not Pair.objects.filter(pk__in=[p.pk for p in waiting]).exclude(status=Pair.Status.ACTIVE).exists()
    expect(page.locator('input[name="pairs"]')).to_have_count(0)
