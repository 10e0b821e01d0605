"""Vietnamese alphabetical order, the same on PostgreSQL, on SQLite and in Python.

A Vietnamese reader expects A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y,
with the tones after the base letter: "Đặng" after "Dương", "Ô Môn" after "Oanh",
"Ánh Dương" next to "An Lão" and "Anh Sơn" (not after Z, where a byte order puts them).

- PostgreSQL orders with its ICU collation ``vi-x-icu`` (Unicode collation with the
  Vietnamese tailoring).
- SQLite has no such collation: ``register_sqlite_collation`` gives every SQLite
  connection one named ``vi`` that compares with ``vi_key`` below, which follows the
  same rules (three levels: letters, then tones, then case) for the text a
  portal holds — names of units, areas and people, with digits and punctuation.
- Python code that sorts what it already loaded uses ``vi_key``.

``vi_order("name")`` is the expression to put in ``order_by()`` and ``Meta.ordering``;
``tests/test_collation.py`` checks that the two databases and ``vi_key`` agree.
"""

from __future__ import annotations

import functools
import unicodedata

from django.db.models import F
from django.db.models.functions import Collate
from django.utils.deconstruct import deconstructible

POSTGRESQL_COLLATION = "vi-x-icu"
SQLITE_COLLATION = "vi"

# Primary order of letters. Breve, circumflex and horn make letters of their own.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Marks that change the letter (primary) and the five tones (secondary), in the order
# of the Vietnamese dictionary and of ICU: ngang, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {"\u0306": "\u0306", "\u0302": "\u0302", "\u031b": "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Spaces and punctuation sort before digits, digits before letters (ICU's root order
# for the characters met in names).
_PUNCTUATION = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_BASE = 1000


def _letter_weights() -> dict[str, int]:
    weights = {}
    for i, ch in enumerate(_PUNCTUATION):
        weights[ch] = 1 + i
    for d in range(10):
        weights[str(d)] = 100 + d
    for i, letter in enumerate(_ALPHABET):
        weights[letter] = 200 + i
    return weights


_WEIGHTS = _letter_weights()


def _split(ch: str) -> tuple[str, int, int]:
    """(base letter with its letter marks, tone 0–5, case 0 lower / 1 upper) of one
    precomposed character."""
    lower = ch.lower()
    case = 0 if ch == lower else 1
    if lower == "\u00f0":
        # Ð/ð (eth), sometimes typed for Đ: ICU sorts it as a variant of D.
        return "d", 6, case
    decomposed = unicodedata.normalize("NFD", lower)
    base = decomposed[0]
    tone = 0
    marks = ""
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark in _LETTER_MARKS:
            marks += mark
        else:
            # Another mark (not Vietnamese): keep it in the letter, after the plain one.
            marks += mark
    return unicodedata.normalize("NFC", base + marks), tone, case


@functools.lru_cache(maxsize=65536)
def vi_key(value) -> tuple:
    """A sort key giving Vietnamese alphabetical order, as ``vi-x-icu`` does:
    letters first (the whole text), then tones, then lower case before upper case."""
    text = unicodedata.normalize("NFC", str(value or ""))
    primary, secondary, tertiary = [], [], []
    for ch in text:
        if ch.isspace():
            ch = " "
        letter, tone, case = _split(ch)
        weight = _WEIGHTS.get(letter)
        if weight is None:
            # Not a letter of the alphabet above: after them, by code point.
            weight = _BASE + ord(letter[0]) * 4 + len(letter)
        primary.append(weight)
        secondary.append(tone)
        tertiary.append(case)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def vi_compare(a: str, b: str) -> int:
    """-1, 0 or 1: the comparison SQLite's ``vi`` collation makes."""
    ka, kb = vi_key(a), vi_key(b)
    return (ka > kb) - (ka < kb)


def register_sqlite_collation(sender, connection, **kwargs):
    """``connection_created`` receiver: teaches every SQLite connection the ``vi``
    collation (PostgreSQL has ``vi-x-icu`` built in)."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, vi_compare)


@deconstructible(path="twinning.lib.collation.ViCollate")
class ViCollate(Collate):
    """``COLLATE "vi-x-icu"`` on PostgreSQL, ``COLLATE vi`` on SQLite."""

    def __init__(self, expression):
        super().__init__(expression, POSTGRESQL_COLLATION)

    def as_sqlite(self, compiler, connection, **extra_context):
        extra_context["collation"] = SQLITE_COLLATION
        return super().as_sql(compiler, connection, **extra_context)


def vi_order(field: str, descending: bool = False):
    """An ``order_by`` term sorting ``field`` (a column or a ``__`` path) in
    Vietnamese order: ``.order_by(vi_order("name"))``."""
    expression = ViCollate(F(field))
    return expression.desc() if descending else expression.asc()
