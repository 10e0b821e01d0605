"""The dates a record of something that happened may carry.

Activities and donations record what has already happened: a date after today is a
typing mistake or a plan (an activity that has not taken place belongs in the pair's
plan), and a date before 1 January 2000 is a typing mistake (no twinning program
recorded here is that old). The models' ``clean()`` calls ``past_date_error``, so the
workspace forms, the admin and spreadsheet imports refuse the same dates with the
same message on the date field.
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

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
