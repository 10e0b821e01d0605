"""Vietnamese text helpers: Unicode normalisation, accent-free folding, slugs."""

import unicodedata

from django.utils.text import slugify

# Đ/đ is a letter of its own, not D with a combining mark, so NFD does not split it.
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
# The Combining Diacritical Marks block (all of Vietnamese's tone and shape marks),
# deleted in one pass by str.translate (fold runs for every unit saved or searched).
_COMBINING_MARKS = dict.fromkeys(range(0x0300, 0x0370))


def nfc(value: str) -> str:
    """The NFC form of a text, trimmed, with inner runs of whitespace collapsed.
    "Tây Mỗ" typed with combining marks and with precomposed letters compare equal
    afterwards."""
    if value is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def fold(value: str) -> str:
    """Lower-case, accent-free, đ→d: the form search compares. "Đặng Thai Mai" and
    "dang thai mai" both fold to "dang thai mai"."""
    value = unicodedata.normalize("NFD", str(value or "").translate(_D_MAP)).translate(_COMBINING_MARKS)
    if not value.isascii():  # marks outside the common block (rare): the general rule
        value = "".join(ch for ch in value if unicodedata.category(ch) != "Mn")
    return " ".join(value.lower().split())


def slugify_vi(value: str) -> str:
    """A readable ASCII slug: Django's slugify drops "đ" ("Đống Đa" → "ong-a"),
    so map it to "d" first ("Đống Đa" → "dong-da")."""
    return slugify(str(value or "").translate(_D_MAP))
