"""The reporting calendar: when a program's plans and year-end reviews of a school
year are due, whether a hand-in is late (or refused after the deadline), and the
reminders to the units that have not handed in (``manage.py send_deadline_reminders``,
run daily)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Notification
from programs.models import Pair, Plan, ReportingCalendar, Review
from programs.querysets import SUBMITTED_REVIEW_STATUSES
from programs.summaries import COUNTED_PLAN_STATUSES
from twinning.lib.schoolyear import display_school_year

Kind = Notification.Kind
WHAT = ("plan", "review")


def calendar_of(program, school_year) -> ReportingCalendar | None:
    return ReportingCalendar.objects.filter(program=program, school_year=school_year).first()


def calendars_by_year(program) -> dict[str, ReportingCalendar]:
    return {c.school_year: c for c in ReportingCalendar.objects.filter(program=program)}


@transaction.atomic
def calendar_save(*, calendar: ReportingCalendar, user) -> ReportingCalendar:
    calendar.updated_by = user
    calendar._history_user = user
    calendar.full_clean()
    calendar.save()
    return calendar


def _day(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def check_hand_in(obj, what: str) -> None:
    """Called when a plan (``what`` = "plan") or a review is submitted: refuses a
    first hand-in after the deadline when the Department chose so, saying why and
    whom to ask. A plan returned or a review reopened may always be sent again."""
    if obj.first_submitted_at:
        return
    calendar = calendar_of(obj.pair.program, obj.school_year)
    due = calendar.due(what) if calendar else None
    if not due or timezone.localdate() <= due or calendar.late_policy != ReportingCalendar.LatePolicy.REFUSE:
        return
    ask = calendar.contact or _("the Department that organizes the program")
    if what == "plan":
        message = _(
            "Plans for %(year)s were due on %(due)s and the Department no longer accepts late plans. "
            "To hand it in now, ask %(ask)s."
        )
    else:
        message = _(
            "Year-end reviews for %(year)s were due on %(due)s and the Department no longer accepts late "
            "reviews. To hand it in now, ask %(ask)s."
        )
    raise ValidationError(message % {"year": display_school_year(obj.school_year), "due": _day(due), "ask": ask})


def day_after(due: datetime.date) -> datetime.datetime:
    """The first moment after the deadline day, in the portal's time zone: a hand-in
    from then on is late (as ``ReportingCalendar.is_late`` judges it)."""
    return timezone.make_aware(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time.min))


def mark_hand_in(obj) -> None:
    """Records the first hand-in (kept when the plan or review is sent again)."""
    obj.submitted_at = timezone.now()
    if not obj.first_submitted_at:
        obj.first_submitted_at = obj.submitted_at


def lateness(obj, calendar: ReportingCalendar | None, what: str) -> dict | None:
    """The deadline of ``obj`` and whether it was (or, not handed in, is) late:
    {"due": date, "late": bool, "overdue": bool} or None without a deadline."""
    due = calendar.due(what) if calendar else None
    if not due:
        return None
    first = getattr(obj, "first_submitted_at", None)
    return {
        "due": due,
        "late": ReportingCalendar.is_late(first, due),
        "overdue": not first and timezone.localdate() > due,
    }


def mark_page(objects, what: str) -> None:
    """Sets ``late`` and ``overdue`` on each plan or review of a page (whose pair is
    loaded), from the calendars of their programs and years. One query."""
    objects = list(objects)
    keys = {(obj.pair.program_id, obj.school_year) for obj in objects}
    calendars = {}
    if keys:
        found = ReportingCalendar.objects.filter(
            program_id__in={k[0] for k in keys}, school_year__in={k[1] for k in keys}
        )
        calendars = {(c.program_id, c.school_year): c for c in found}
    for obj in objects:
        mark = lateness(obj, calendars.get((obj.pair.program_id, obj.school_year)), what)
        obj.late = bool(mark and mark["late"])
        obj.overdue = bool(mark and mark["overdue"])


# --- Reminders ---------------------------------------------------------------


def _missing_pairs(calendar: ReportingCalendar, what: str):
    """The program's active pairs that have not handed in ``what`` for the year, as
    the reporting rate counts them: a plan returned or a review reopened and not sent
    again is missing."""
    pairs = Pair.objects.filter(program=calendar.program, status=Pair.Status.ACTIVE)
    if what == "plan":
        handed = Plan.objects.filter(school_year=calendar.school_year, status__in=COUNTED_PLAN_STATUSES)
    else:
        handed = Review.objects.filter(school_year=calendar.school_year, status__in=SUBMITTED_REVIEW_STATUSES)
    return pairs.exclude(pk__in=handed.values("pair_id")).select_related("mentor", "mentee")


def _link(pair, calendar, what, drafted):
    """The page where the missing thing is done: the plan (or the page starting one,
    when the pair has none for the year) or the review."""
    if what == "plan" and pair.pk not in drafted:
        return reverse("workspace:plan-new") + f"?pair={pair.code}"
    name = "workspace:plan-detail" if what == "plan" else "workspace:review-detail"
    return reverse(name, kwargs={"code": pair.code, "year": calendar.school_year})


def _subject(pair, calendar, what, due) -> str:
    from programs.notices import pair_name

    with translation.override(settings.LANGUAGE_CODE):  # stored, like the e-mails, in Vietnamese
        return _subject_text(calendar, what, due) + " – " + pair_name(pair)


def _subject_text(calendar, what, due) -> str:
    if what == "plan":
        text = _("plan %(year)s due %(due)s") % {"year": display_school_year(calendar.school_year), "due": _day(due)}
    else:
        text = _("year-end review %(year)s due %(due)s") % {
            "year": display_school_year(calendar.school_year),
            "due": _day(due),
        }
    return text


def reminders_due(calendar: ReportingCalendar, what: str, today: datetime.date):
    """The reminder to send today for ``what`` under ``calendar``, if any: the kind
    (DEADLINE_SOON from ``remind_before_days`` before the deadline to the deadline,
    DEADLINE_PASSED from ``remind_after_days`` after it), else None. A day missed by
    the daily run is caught up the next day; each person is told once of each."""
    due = calendar.due(what)
    if not due:
        return None
    before, after = calendar.remind_before_days, calendar.remind_after_days
    if after and today >= due + datetime.timedelta(days=after):
        return Kind.DEADLINE_PASSED
    if before and due - datetime.timedelta(days=before) <= today <= due:
        return Kind.DEADLINE_SOON
    return None


def send_reminders(today: datetime.date | None = None) -> int:
    """Reminds the principals and officers of each active pair that has not handed in
    a plan or review whose deadline is near or passed (see ``reminders_due``), once
    per person, pair and kind of reminder. Returns how many notifications were made."""
    from notifications.services import notify
    from programs.notices import candidates

    today = today or timezone.localdate()
    made = 0
    for calendar in ReportingCalendar.objects.select_related("program"):
        for what in WHAT:
            kind = reminders_due(calendar, what, today)
            if kind is None:
                continue
            due = calendar.due(what)
            # The principals and officers of the pair, not every Department staffer.
            rule = Pair.objects.review_writable_by
            drafted = set(Plan.objects.filter(school_year=calendar.school_year).values_list("pair_id", flat=True))
            for pair in _missing_pairs(calendar, what).iterator(chunk_size=500):
                link = _link(pair, calendar, what, drafted)
                subject = _subject(pair, calendar, what, due)
                # Once per person: a moved deadline (another subject) is told again.
                told = set(
                    Notification.objects.filter(kind=kind, link=link, subject=subject).values_list("user_id", flat=True)
                )
                users = [
                    user for user in candidates(pair) if user.pk not in told and rule(user).filter(pk=pair.pk).exists()
                ]
                made += len(notify(kind, users, subject=subject, link=link))
    return made
