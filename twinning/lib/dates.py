"""Plausible dates for what people type: the rules for a pair's start, a memorandum's
signing date and validity, an activity's or a donation's date, whatever the door they
come in by (form, spreadsheet import, admin). Models call these from ``clean()``, and
every door runs ``full_clean()``.

Activities and donations record what has already happened (``past_date_error``): a date
after today is a typing mistake or a plan (an activity that has not taken place belongs
in the pair's plan), and a date before 1 January 2000 is a typing mistake (no twinning
program recorded here is that old).

For pairs and memoranda (``date_errors``), a date before 1 January 1990 is a typo (the
movements began in the 2010s; "1900" is what a spreadsheet shows for an empty date cell).
A document signed in the future, or a pair starting more than a year from now, is a
mistyped year.
"""

from __future__ import annotations

import datetime

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(1990, 1, 1)
# A pair may be registered ahead of its start, but not by more than a school year.
MAX_DAYS_AHEAD = 365


def display_date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def date_errors(
    instance,
    *,
    not_in_future: tuple[str, ...] = (),
    within_a_year: tuple[str, ...] = (),
    any_date: tuple[str, ...] = (),
    today: datetime.date | None = None,
) -> dict[str, str]:
    """{field name: message} for the date fields of ``instance`` that break a rule:
    every one must be on or after EARLIEST_DATE; those in ``not_in_future`` on or
    before today; those in ``within_a_year`` at most MAX_DAYS_AHEAD days after today.
    Empty fields are left alone. No query."""
    today = today or timezone.localdate()
    errors = {}
    for name in (*not_in_future, *within_a_year, *any_date):
        value = getattr(instance, name)
        if value is None:
            continue
        if isinstance(value, datetime.datetime):
            value = value.date()
        params = {
            "field": capfirst(instance._meta.get_field(name).verbose_name),
            "date": display_date(value),
        }
        if value < EARLIEST_DATE:
            errors[name] = _("%(field)s (%(date)s) is before 01/01/1990. Check the year.") % params
        elif name in not_in_future and value > today:
            errors[name] = _("%(field)s (%(date)s) is in the future. Enter the day it was signed.") % params
        elif name in within_a_year and value > today + datetime.timedelta(days=MAX_DAYS_AHEAD):
            errors[name] = _("%(field)s (%(date)s) is more than a year from now. Check the year.") % params
    return errors


EARLIEST_RECORD_DATE = datetime.date(2000, 1, 1)


def past_date_error(day: datetime.date | None, *, future_message: str, today: datetime.date | None = None):
    """Returns the message refusing ``day`` (``future_message`` when it is after today,
    one naming the earliest date when it is before 1 January 2000), or None when the
    date is acceptable or empty."""
    if day is None:
        return None
    today = today or timezone.localdate()
    if day > today:
        return future_message
    if day < EARLIEST_RECORD_DATE:
        return _("%(day)s is too long ago: dates from %(earliest)s on are accepted. Please check the year.") % {
            "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
            "earliest": formats.date_format(EARLIEST_RECORD_DATE, "SHORT_DATE_FORMAT"),
        }
    return None
