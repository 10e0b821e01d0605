"""Amounts of money in whole đồng."""

import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

# Separators people type between groups of three digits: "240.000.000",
# "240,000,000", "240 000 000" (also the no-break and thin spaces Word inserts).
_GROUPED = re.compile(r"^\d{1,3}([.,\s\u00a0\u202f]\d{3})+$")


def parse_vnd(value) -> int:
    """Reads "240.000.000", "240000000", "240 000 000" or "240.000.000 ₫" as 240000000.
    Raises ValidationError for anything that is not a whole, positive number of đồng."""
    if isinstance(value, int):
        amount = value
    else:
        text = str(value or "").strip()
        for suffix in ("₫", "đ", "VNĐ", "VND", "vnđ", "vnd", "đồng"):
            if text.endswith(suffix):
                text = text[: -len(suffix)].strip()
        if text.isdigit():
            amount = int(text)
        elif _GROUPED.match(text):
            amount = int(re.sub(r"\D", "", text))
        else:
            raise ValidationError(_("Enter the amount in whole đồng, for example 240.000.000."), code="invalid_amount")
    if amount <= 0:
        raise ValidationError(_("The amount must be greater than 0 đồng."), code="amount_not_positive")
    return amount


def format_vnd(amount, language: str | None = None) -> str:
    """ "240.000.000 ₫" in Vietnamese, "240,000,000 VND" in English."""
    if amount is None or amount == "":
        return ""
    language = language or get_language() or "vi"
    with override(language):
        grouped = number_format(int(amount), decimal_pos=0, use_l10n=True, force_grouping=True)
    if language.startswith("vi"):
        return f"{grouped}\u00a0₫"
    return f"{grouped}\u00a0VND"


def format_count(number, language: str | None = None) -> str:
    """ "1.200" in Vietnamese, "1,200" in English: a count of items, grouped."""
    if number is None or number == "":
        return ""
    language = language or get_language() or "vi"
    with override(language):
        return number_format(int(number), decimal_pos=0, use_l10n=True, force_grouping=True)
