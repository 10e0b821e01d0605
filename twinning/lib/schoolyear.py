"""School years (năm học): "2023-2024" starts on the configured day of 2023.

The start day and month come from settings (SCHOOL_YEAR_START_DAY/MONTH, 1 September
by default). A school year is written "2023-2024" in data and URLs and shown
"2023–2024" (with an en dash) to people.
"""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_PATTERN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")


def _start(year: int) -> datetime.date:
    return datetime.date(year, settings.SCHOOL_YEAR_START_MONTH, settings.SCHOOL_YEAR_START_DAY)


def school_year_of(day: datetime.date) -> str:
    """Returns the school year a date falls in, e.g. ``"2023-2024"`` for 30/3/2024."""
    first = day.year if day >= _start(day.year) else day.year - 1
    return f"{first}-{first + 1}"


def current_school_year() -> str:
    return school_year_of(timezone.localdate())


def parse_school_year(value: str) -> str:
    """Normalises "2023–2024" or "2023 - 2024" to "2023-2024"; raises ValidationError
    when the text is not two consecutive years."""
    match = _PATTERN.match((value or "").strip())
    if not match or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(
            _("Enter a school year as two consecutive years, for example 2023-2024."),
            code="invalid_school_year",
        )
    return f"{match.group(1)}-{match.group(2)}"


def validate_school_year(value: str) -> None:
    if value != parse_school_year(value):
        raise ValidationError(
            _("Enter a school year as two consecutive years, for example 2023-2024."),
            code="invalid_school_year",
        )


def school_year_bounds(year: str) -> tuple[datetime.date, datetime.date]:
    """Returns the first and the last day of a school year (both inclusive)."""
    first = int(parse_school_year(year)[:4])
    return _start(first), _start(first + 1) - datetime.timedelta(days=1)


def school_years_between(first_year: int, last_year: int) -> list[str]:
    """The school years of a phase: 2022..2025 gives 2022-2023, 2023-2024, 2024-2025."""
    return [f"{y}-{y + 1}" for y in range(first_year, last_year)]


def display_school_year(year: str) -> str:
    return year.replace("-", "–")
