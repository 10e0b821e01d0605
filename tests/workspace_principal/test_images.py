"""The photo pipeline (twinning.lib.images): by content, capped, small, no metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.workspace_principal.conftest import GPS_IFD, photo_bytes, upload
from twinning.lib.images import MAX_LONG_SIDE, THUMB_SIZE, process_photo


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_it_removes_gps_and_camera_metadata_from_a_jpeg():
    original = photo_bytes()
    assert _open(original).getexif().get_ifd(GPS_IFD), "the test photo must carry a GPS position"
    result = process_photo(upload(data=original))
    for data in (result.image, result.thumbnail):
        image = _open(data)
        assert not image.getexif(), "no EXIF at all"
        assert "exif" not in image.info and "icc_profile" not in image.info
        assert b"Samsung" not in data and b"SM-A515F" not in data


def test_it_shrinks_to_1600_pixels_on_the_long_side_and_makes_a_3_2_thumbnail():
    result = process_photo(upload(data=photo_bytes(size=(4000, 3000))))
    assert (result.width, result.height) == (MAX_LONG_SIDE, 1200)
    assert _open(result.image).size == (MAX_LONG_SIDE, 1200)
    assert _open(result.thumbnail).size == THUMB_SIZE
    assert len(result.image) < 1_000_000


def test_it_keeps_a_small_photo_its_size():
    result = process_photo(upload(data=photo_bytes(size=(800, 600))))
    assert (result.width, result.height) == (800, 600)


def test_it_turns_a_photo_upright_before_dropping_the_orientation():
    # Orientation 6: the camera was held upright, the sensor stored it lying down.
    result = process_photo(upload(data=photo_bytes(size=(2000, 1500), orientation=6)))
    assert (result.width, result.height) == (1200, MAX_LONG_SIDE)


@pytest.mark.parametrize("fmt, name", [("PNG", "scan.png"), ("WEBP", "photo.webp")])
def test_it_accepts_png_and_webp_and_stores_jpeg(fmt, name):
    result = process_photo(upload(name, photo_bytes(size=(900, 600), fmt=fmt)))
    assert _open(result.image).format == "JPEG"


def test_it_puts_transparent_areas_on_white():
    result = process_photo(upload("logo.png", photo_bytes(size=(300, 200), fmt="PNG", mode="RGBA", gps=False)))
    assert _open(result.image).convert("RGB").getpixel((299, 199))[:3] == (255, 255, 255)


def test_it_refuses_a_text_file_renamed_to_jpg_with_a_clear_message():
    with pytest.raises(ValidationError) as caught:
        process_photo(SimpleUploadedFile("IMG_0002.jpg", b"this is not a photo\n", content_type="image/jpeg"))
    assert caught.value.code == "photo_type"
    assert "IMG_0002.jpg" in caught.value.messages[0]


def test_it_refuses_a_photo_over_10_mb(settings):
    data = photo_bytes(size=(300, 200)) + b"\0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        process_photo(upload("huge.jpg", data))
    assert caught.value.code == "photo_too_large"
    assert "huge.jpg" in caught.value.messages[0] and "10,0" in caught.value.messages[0]


def test_it_refuses_an_image_with_too_many_pixels(monkeypatch):
    monkeypatch.setattr("twinning.lib.images.MAX_PIXELS", 1000)
    with pytest.raises(ValidationError) as caught:
        process_photo(upload(data=photo_bytes(size=(100, 100))))
    assert caught.value.code == "photo_too_many_pixels"


def test_it_refuses_a_damaged_photo():
    damaged = photo_bytes()[:400]  # a JPEG header and nothing after it
    with pytest.raises(ValidationError) as caught:
        process_photo(upload("broken.jpg", damaged))
    assert caught.value.code == "photo_unreadable"
