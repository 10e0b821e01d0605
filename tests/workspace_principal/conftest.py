"""Fixtures for the principals' workspace: photos as phones make them, and a few
activities of the cast's school pair (Tây Mỗ → Mỹ Đức A)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from schools.models import Organization
from tests import factories as f

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE, MODEL = 0x010F, 0x0110
DAY = datetime.date(2026, 10, 15)  # in the school year 2026-2027 of the demo "today"


def photo_bytes(size=(2400, 1800), fmt="JPEG", *, gps=True, orientation=None, mode="RGB", **save) -> bytes:
    """A picture like a phone's: shapes (so it compresses like a photo), with GPS
    position, camera make and model in its EXIF unless told otherwise."""
    image = Image.new(mode, size, (30, 120, 200) if mode == "RGB" else (30, 120, 200, 0))
    draw = ImageDraw.Draw(image)
    for i in range(0, size[0], 97):
        draw.rectangle((i, i % size[1], i + 60, (i % size[1]) + 80), fill=(200, (i * 7) % 256, 40, 255))
    exif = Image.Exif()
    exif[MAKE], exif[MODEL] = "Samsung", "SM-A515F"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 48.0, 0.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif, **save)
    return buffer.getvalue()


def upload(name="IMG_0001.jpg", data=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data if data is not None else photo_bytes(), content_type=content_type)


@pytest.fixture
def reported(cast):
    """An activity Tây Mỗ logged and sent to Mỹ Đức A for confirmation."""
    return f.activity(
        cast.taymo_md,
        title="Chuyên đề Ngữ văn 7",
        happened_on=DAY,
        status="reported",
        is_public=False,
        reported_by_org=cast.taymo,
        created_by=cast.users.principal_taymo,
    )


@pytest.fixture
def union_seen_donation(cast):
    """A donation in the Nghệ An program the union co-organizes (Vinh → Kỳ Sơn), with
    a private note the union officer must not read."""
    kyson = f.org("Phòng GD&ĐT Kỳ Sơn", Organization.Kind.OFFICE, parent=cast.dept_na)
    pair = f.pair(cast.program_na, cast.office_vinh, kyson)
    return f.donation(cast.program_na, kyson, donor_org=cast.office_vinh, pair=pair, private_note="Tên các em")


@pytest.fixture
def donation(cast):
    """A gift Tây Mỗ gave Mỹ Đức A, recorded by Tây Mỗ's principal, with a private
    note naming a child."""
    return f.donation(
        cast.program,
        cast.school_md,
        donor_org=cast.taymo,
        pair=cast.taymo_md,
        amount=20_000_000,
        given_on=DAY,
        private_note="Em Nguyễn Văn A, lớp 7A, mồ côi cha.",
        recorded_by=cast.users.principal_taymo,
        recorded_by_org=cast.taymo,
    )
