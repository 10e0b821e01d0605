"""Fixtures of the officers' workspace tests (issue 3): small real files and a
Windows-1258 encoder as older Vietnamese Excel writes CSV."""

import io
import unicodedata

import pytest
from django.utils import translation

# A minimal but real PDF (a reader opens it) and a 1×1 PNG.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (11, 92, 74)).save(buffer, format="PNG")
    return buffer.getvalue()


def to_cp1258(text: str) -> bytes:
    """Encodes Vietnamese text the way Windows-1258 does: letters with a circumflex,
    breve or horn are single bytes, tone marks are separate combining bytes."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        # Letter + shape marks (circumflex, breve, horn) compose into one byte; the tone
        # marks (grave, acute, tilde, hook above, dot below) follow as combining bytes.
        shape = "".join(m for m in decomposed[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in decomposed[1:] if m not in shape)
        out += unicodedata.normalize("NFC", decomposed[0] + shape).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def csv_cp1258(rows) -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return to_cp1258(buffer.getvalue())


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield
