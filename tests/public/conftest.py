"""Fixtures of the public-portal tests: the cast with something public on every page."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import ActivityPhoto, Memorandum, Signatory
from schools.models import Organization
from tests import factories as f


def png_bytes(color=(11, 92, 74), size=(24, 16)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def add_photo(activity, caption="", name="anh.png"):
    """A real (tiny) photo with its thumbnail, as the upload form would store it."""
    photo = ActivityPhoto(
        activity=activity,
        caption=caption,
        image=SimpleUploadedFile(name, png_bytes(), content_type="image/png"),
        thumbnail=SimpleUploadedFile(f"thumb-{name}", png_bytes(size=(12, 8)), content_type="image/png"),
    )
    photo.save()
    return photo


def pdf_upload(name="bien-ban.pdf"):
    return SimpleUploadedFile(
        name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )


@pytest.fixture
def world(cast):
    """The cast, plus: a confirmed public lesson of THCS Tây Mỗ → THCS Mỹ Đức A with a
    photo, the memorandum of Nam Từ Liêm → Mỹ Đức with its signatories, support for
    that partnership, and the Nghệ An school pair Đặng Thai Mai → Lý Nhật Quang."""
    do_luong = f.area("Đô Lương", parent=cast.nghean, designation="huyện")
    lnq = f.org("Trường THCS Lý Nhật Quang", area=do_luong, parent=cast.dept_na, short_name="THCS Lý Nhật Quang")
    dtm_lnq = f.pair(cast.program_na, cast.school_vinh, lnq, started_on=datetime.date(2019, 10, 10))
    lesson = f.activity(
        cast.taymo_md,
        title="Chuyên đề Ngữ văn 6 công khai",
        host=cast.taymo,
        place="Phòng học tầng 2",
        leading_teacher="Đào Thị Yến",
        subject="Ngữ văn",
        grade="6",
        teachers_count=20,
        description="Tiết dạy mẫu về kỹ năng nói và nghe.",
        lessons_learned="Dùng vật liệu sẵn có trong lớp.",
    )
    photo = add_photo(lesson, caption="Cô Yến giảng bài")
    memo = Memorandum(
        program=cast.program,
        title="Biên bản ghi nhớ Nam Từ Liêm – Mỹ Đức",
        reference_number="01/BBGN",
        signed_on=datetime.date(2022, 11, 15),
        place="Phòng GD&ĐT huyện Mỹ Đức",
    )
    memo.full_clean()
    memo.save()
    memo.pairs.add(cast.ntl_md)
    Signatory.objects.create(memorandum=memo, name="Nguyễn Thị Hương", title="Trưởng phòng", order=1)
    donation = f.donation(
        cast.program,
        cast.office["md"],
        amount=240_000_000,
        kind="sponsorship",
        donor_org=cast.office["ntl"],
        pair=cast.ntl_md,
    )
    return SimpleNamespace(
        cast=cast, lnq=lnq, dtm_lnq=dtm_lnq, lesson=lesson, photo=photo, memo=memo, donation=donation
    )


@pytest.fixture
def another_school(cast):
    """A factory of schools in Mỹ Đức, for pairs the tests make private."""

    def make(name):
        return f.org(name, area=cast.districts["Mỹ Đức"], parent=cast.office["md"], level=Organization.Level.PRIMARY)

    return make
