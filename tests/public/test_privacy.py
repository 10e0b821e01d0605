"""What stays private (issue 6, DESIGN.md §5). Each test creates one private thing
next to public ones, then reads every public page in both languages (by following
links from the home page and the directory) and searches the directory for it."""

import datetime

import pytest

from programs.models import Pair, Review
from tests import factories as f
from tests.helpers import page_text
from tests.public.conftest import add_photo, pdf_upload
from tests.public.crawl import assert_nowhere

pytestmark = pytest.mark.django_db


def test_it_never_shows_or_links_memorandum_scans(client, world):
    world.memo.scan = pdf_upload("bien-ban-ky-ntl-md.pdf")
    world.memo.save()
    pages = assert_nowhere(client, world.memo.scan.name, "bien-ban-ky-ntl-md", ".pdf", "private/", world.memo.code)
    # The memorandum itself is public: date, place and who signed.
    pair_page = page_text(client.get(world.cast.ntl_md.get_absolute_url()))
    assert "Biên bản ghi nhớ Nam Từ Liêm – Mỹ Đức" in pair_page
    assert "15/11/2022" in pair_page and "Phòng GD&ĐT huyện Mỹ Đức" in pair_page
    assert "Nguyễn Thị Hương, Trưởng phòng" in pair_page
    assert world.cast.ntl_md.get_absolute_url() in pages
    assert client.get(f"/media-not-served/{world.memo.scan.name}").status_code == 404


def test_it_never_shows_or_links_receipts(client, world):
    world.donation.receipt = pdf_upload("bien-nhan-240tr.pdf")
    world.donation.save()
    assert_nowhere(client, world.donation.receipt.name, "bien-nhan-240tr", "private/", world.donation.code)
    # Support shows as a total.
    assert "240.000.000 ₫" in page_text(client.get(world.cast.ntl_md.get_absolute_url()))


def test_it_never_shows_private_notes_about_sponsored_students(client, world):
    world.donation.private_note = "Em Hà Thị Hoa, lớp 7A, mồ côi cha, nhà ở thôn Đồng Bèn"
    world.donation.save()
    assert_nowhere(client, "Hà Thị Hoa", "mồ côi", "Đồng Bèn", searches=["ha thi hoa"])


def test_it_never_shows_names_of_sponsored_students(client, world):
    # Staff sometimes type the children's names into the description or the donor
    # field of a donation: public pages show support only as totals by kind.
    f.donation(
        world.cast.program,
        world.cast.school_md,
        amount=5_000_000,
        kind="scholarship",
        donor_name="Gia đình em Lò Văn Sáng",
        description="Học bổng cho em Lò Văn Sáng (lớp 6B) và em Hà Văn Tú (lớp 8A)",
        beneficiaries=2,
        pair=world.cast.taymo_md,
    )
    assert_nowhere(client, "Lò Văn Sáng", "Hà Văn Tú", "lớp 6B", searches=["lo van sang"])
    assert "5.000.000 ₫" in page_text(client.get(world.cast.taymo_md.get_absolute_url()))


def test_it_never_shows_phone_numbers_or_email_addresses(client, world, django_user_model):
    for unit in (world.cast.taymo, world.cast.office["ntl"], world.cast.dept):
        unit.phone = "0912 345 678"
        unit.email = f"lienhe.{unit.pk}@truong.edu.vn"
        unit.save()
    world.cast.users.principal_taymo.email = "hieutruong.taymo@gmail.com"
    world.cast.users.principal_taymo.save()
    pages = assert_nowhere(client, "0912 345 678", "0912345678", "@truong.edu.vn", "hieutruong.taymo@gmail.com")
    assert not any("mailto:" in page or "tel:" in page for page in pages.values())
    # The school page itself is public: name, level, place and head.
    assert "Trường THCS Tây Mỗ" in page_text(client.get(world.cast.taymo.get_absolute_url()))


def test_it_never_shows_drafts(client, world):
    draft = f.activity(world.cast.taymo_md, title="Bản nháp chuyên đề Toán", status="draft", is_public=True)
    photo = add_photo(draft, caption="Ảnh của bản nháp")
    Review.objects.create(
        pair=world.cast.taymo_md, school_year="2022-2023", achievements="Nội dung tổng kết còn đang viết dở"
    )
    assert_nowhere(client, "Bản nháp chuyên đề Toán", "Ảnh của bản nháp", photo.code, "đang viết dở")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/photos/{photo.code}/thumb/").status_code == 404


def test_it_never_shows_activities_not_marked_public(client, world):
    hidden = f.activity(world.cast.taymo_md, title="Buổi họp nội bộ hai trường", is_public=False)
    photo = add_photo(hidden, caption="Ảnh buổi họp nội bộ")
    assert_nowhere(client, "Buổi họp nội bộ hai trường", "Ảnh buổi họp nội bộ", photo.code)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    # ...while the public lesson of the same pair is shown.
    assert "Chuyên đề Ngữ văn 6 công khai" in page_text(client.get(world.cast.taymo_md.get_absolute_url()))


def test_it_never_shows_activities_not_yet_confirmed_by_the_partner(client, world):
    reported = f.activity(world.cast.taymo_md, title="Giao lưu chờ Mỹ Đức xác nhận", status="reported")
    returned = f.activity(world.cast.taymo_md, title="Thăm quan bị trả lại để sửa", status="returned")
    assert_nowhere(client, "Giao lưu chờ Mỹ Đức xác nhận", "Thăm quan bị trả lại để sửa")
    for activity in (reported, returned):
        assert client.get(activity.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("status", [Pair.Status.PROPOSED, Pair.Status.DECLINED])
def test_it_never_shows_pairs_not_yet_active(client, world, another_school, status):
    mentor = another_school("Trường Tiểu học Chưa Kết Nghĩa")
    mentee = another_school("Trường Tiểu học Chờ Duyệt")
    pair = f.pair(world.cast.program, mentor, mentee, status=status)
    activity = f.activity(pair, title="Hoạt động của cặp chưa kết nghĩa")
    f.donation(world.cast.program, mentee, amount=7_000_000, donor_org=mentor, pair=pair)
    home_before = page_text(client.get("/"))
    pages = assert_nowhere(
        client,
        "Chưa Kết Nghĩa",
        "Chờ Duyệt",
        "Hoạt động của cặp chưa kết nghĩa",
        "247.000.000",  # the program's total if the 7 million were counted
        searches=["chua ket nghia", "cho duyet"],
    )
    assert "240.000.000\u00a0₫" in pages["/"] and home_before == page_text(client.get("/"))
    for url in (pair.get_absolute_url(), mentor.get_absolute_url(), mentee.get_absolute_url()):
        assert client.get(url).status_code == 404
    assert client.get(activity.get_absolute_url()).status_code == 404


def test_it_never_shows_programs_not_marked_public(client, world, another_school):
    program = f.program("Phong trào nội bộ chưa công bố", 2024, 2027, organizers=[world.cast.dept], is_public=False)
    mentor = another_school("Trường Tiểu học Nội Bộ A")
    mentee = another_school("Trường Tiểu học Nội Bộ B")
    pair = f.pair(program, mentor, mentee)
    activity = f.activity(pair, title="Chuyên đề của phong trào nội bộ")
    photo = add_photo(activity)
    f.donation(program, mentee, amount=9_000_000, donor_org=mentor, pair=pair)
    assert_nowhere(
        client,
        "Phong trào nội bộ chưa công bố",
        program.slug,
        "Nội Bộ A",
        "Nội Bộ B",
        "Chuyên đề của phong trào nội bộ",
        photo.code,
        "249.000.000",
        searches=["noi bo"],
    )
    for url in (program.get_absolute_url(), pair.get_absolute_url(), mentor.get_absolute_url()):
        assert client.get(url).status_code == 404
    assert client.get(activity.get_absolute_url()).status_code == 404
    assert client.get(f"/photos/{photo.code}/full/").status_code == 404
    # Not offered as a filter either, and a hand-typed slug filters nothing in.
    assert client.get(f"/pairs/?program={program.slug}&q=noi+bo").context["pair_count"] == 0


def test_it_serves_photos_of_public_activities_only(client, world):
    assert client.get(f"/photos/{world.photo.code}/thumb/").status_code == 200
    assert client.get(f"/photos/{world.photo.code}/full/").status_code == 200
    for kwargs in ({"status": "draft"}, {"status": "reported"}, {"is_public": False}):
        activity = f.activity(world.cast.taymo_md, title=f"Ảnh riêng {kwargs}", **kwargs)
        photo = add_photo(activity)
        for size in ("thumb", "full"):
            assert client.get(f"/photos/{photo.code}/{size}/").status_code == 404, kwargs


def test_it_never_shows_internal_notes(client, world):
    world.cast.taymo_md.note = "Ghi chú nội bộ: hiệu trưởng mới chưa bàn giao"
    world.cast.taymo_md.save()
    world.memo.note = "Bản gốc lưu ở tủ hồ sơ số 3"
    world.memo.save()
    world.cast.taymo.note = "Trường đang bị thanh tra"
    world.cast.taymo.save()
    world.lesson.return_comment = "Lần trước thiếu ảnh lớp học"
    world.lesson.save()
    ended = f.pair(
        world.cast.program,
        world.cast.school_lb,
        world.cast.school_ml,
        status=Pair.Status.ENDED,
        ended_on=datetime.date(2024, 6, 1),
        decision_reason="Kết thúc vì trường sáp nhập (lý do nội bộ)",
    )
    assert_nowhere(
        client, "hiệu trưởng mới chưa bàn giao", "tủ hồ sơ số 3", "đang bị thanh tra", "thiếu ảnh", "lý do nội bộ"
    )
    assert client.get(ended.get_absolute_url()).status_code == 200
