"""Activity photos: recognised by content, re-encoded small, without metadata.

Children appear in these photos, and a phone photo carries where it was taken (GPS)
and with what camera. ``process_photo`` reads an upload (JPEG, PNG or WebP, at most
``settings.MAX_UPLOAD_BYTES``), turns it upright from its EXIF orientation, and
re-encodes it from the pixels alone as a JPEG of at most ``MAX_LONG_SIDE`` pixels on
the long side, plus a small thumbnail cropped to 3:2. Nothing of the original file
but its pixels survives: no EXIF, GPS, camera, maker notes, comments or XMP.
"""

import io
import os
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from twinning.lib.uploads import sniff

PHOTO_KINDS = ("jpeg", "png", "webp")
MAX_LONG_SIDE = 1600
THUMB_SIZE = (360, 240)
JPEG_QUALITY = 82
THUMB_QUALITY = 72
# Larger than any phone camera's full resolution (200 MP sensors save 50 MP by default);
# a bigger image is a mistake or an attack on the server's memory.
MAX_PIXELS = 60_000_000

_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class ProcessedPhoto:
    image: bytes  # JPEG, at most MAX_LONG_SIDE px on the long side
    thumbnail: bytes  # JPEG, THUMB_SIZE
    width: int
    height: int


def _name(upload) -> str:
    return os.path.basename(getattr(upload, "name", "") or "") or "ảnh"


def check_photo(upload) -> None:
    """Raises ValidationError (naming the file) unless ``upload`` is a JPEG, PNG or
    WebP by content and at most the upload limit. Reads only the first bytes."""
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The photo “%(name)s” is %(size)s; a photo may be at most %(limit)s. Choose a smaller photo."),
            code="photo_too_large",
            params={"name": _name(upload), "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    if sniff(upload) not in PHOTO_KINDS:
        raise ValidationError(
            _("The file “%(name)s” is not a photo (JPEG, PNG or WebP). Choose a photo file."),
            code="photo_type",
            params={"name": _name(upload)},
        )


def _unreadable(upload):
    return ValidationError(
        _("The photo “%(name)s” could not be read; the file may be damaged. Choose it again or take another photo."),
        code="photo_unreadable",
        params={"name": _name(upload)},
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    """Converts pixels described by an embedded colour profile (a phone's Display P3)
    to sRGB, so colours survive dropping the profile."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels only; transparent areas become white."""
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def _encode(image: Image.Image, quality: int) -> bytes:
    # A fresh image built from the pixels alone: no info dict (EXIF, ICC, XMP,
    # comments) can reach the encoder.
    clean = Image.frombytes("RGB", image.size, image.tobytes())
    buffer = io.BytesIO()
    clean.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def process_photo(upload) -> ProcessedPhoto:
    """Checks and re-encodes an uploaded photo; raises ValidationError with a message
    naming the file when it is not a photo, too large or unreadable.

    Memory stays bounded: JPEGs are decoded at a reduced scale (``draft``) close to
    the target size, and images over MAX_PIXELS are refused before decoding."""
    check_photo(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _(
                        "The photo “%(name)s” is %(width)s × %(height)s pixels, too large to process. "
                        "Choose a smaller photo."
                    ),
                    code="photo_too_many_pixels",
                    params={"name": _name(upload), "width": width, "height": height},
                )
            if image.format == "JPEG":
                scale = max(width, height) / MAX_LONG_SIDE
                if scale > 1:
                    image.draft("RGB", (int(width / scale), int(height / scale)))
            image.load()
            image = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise _unreadable(upload) from None
    image = _flatten(_to_srgb(image))
    image.thumbnail((MAX_LONG_SIDE, MAX_LONG_SIDE), Image.Resampling.LANCZOS)
    thumb = ImageOps.fit(image, THUMB_SIZE, Image.Resampling.LANCZOS, centering=(0.5, 0.4))
    return ProcessedPhoto(
        image=_encode(image, JPEG_QUALITY),
        thumbnail=_encode(thumb, THUMB_QUALITY),
        width=image.width,
        height=image.height,
    )
