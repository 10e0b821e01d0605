"""Year-end reviews and the reporting calendar of a program's year."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.activities import Activity
from programs.models.pairs import Pair
from programs.models.programs import Program
from programs.querysets import (
    ReviewQuerySet,
)
from twinning.lib.schoolyear import (
    display_school_year,
    school_year_bounds,
    validate_school_year,
)
from twinning.lib.text import nfc

User = settings.AUTH_USER_MODEL


class Review(models.Model):
    """A pair's year-end review (tổng kết năm học): written by either principal or the
    officer, submitted, sent on by the office, rated by the department, which may
    also commend the unit."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        FORWARDED = "forwarded", _("Sent to the department")
        RATED = "rated", _("Rated")

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        PASS = "pass", _("Satisfactory")
        FAIL = "fail", _("Unsatisfactory")

    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.PROTECT, related_name="reviews")
    school_year = models.CharField(_("school year"), max_length=9, validators=[validate_school_year])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    achievements = models.TextField(_("what was achieved"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    written_by = models.ForeignKey(
        User, verbose_name=_("written by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        User, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The first hand-in, kept when the review is reopened and submitted again.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)
    forwarded_by = models.ForeignKey(
        User, verbose_name=_("sent on by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    forwarded_at = models.DateTimeField(_("sent on at"), null=True, blank=True)
    returned_by = models.ForeignKey(
        User, verbose_name=_("returned by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_comment = models.TextField(_("what to correct"), blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("department's comment"), blank=True)
    rated_by = models.ForeignKey(
        User, verbose_name=_("rated by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    commended = models.BooleanField(_("commended"), default=False)
    commendation = models.TextField(_("commended for"), blank=True)
    commendation_activities = models.ManyToManyField(
        Activity, verbose_name=_("activities behind the commendation"), related_name="commendations", blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("year-end review")
        verbose_name_plural = _("year-end reviews")
        ordering = ["-school_year", "pair"]
        # The years with data (reports.params.year_span) and a year's rows, by index.
        indexes = [models.Index(fields=["school_year", "pair"], name="review_year_pair")]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "school_year"],
                name="programs_review_unique_year",
                violation_error_message=_("This pair already has a review for this school year."),
            ),
            models.CheckConstraint(
                condition=Q(commended=False) | Q(status="rated"),
                name="programs_review_commended_when_rated",
                violation_error_message=_("Only a rated review can carry a commendation."),
            ),
        ]

    def __str__(self):
        return _("Review %(year)s – %(pair)s") % {"year": display_school_year(self.school_year), "pair": self.pair}


class ReportingCalendar(models.Model):
    """When a program's plans and year-end reviews of one school year are due, set by
    the organizing Department: the units that have not handed in are reminded some
    days before and after the deadline (``programs.services.deadlines``), and a late
    hand-in is either accepted and marked late or refused, as the Department chose."""

    class LatePolicy(models.TextChoices):
        ACCEPT = "accept", _("Accept it and mark it late")
        REFUSE = "refuse", _("Refuse it")

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="reporting_calendars"
    )
    school_year = models.CharField(_("school year"), max_length=9, validators=[validate_school_year])
    plan_due = models.DateField(_("plans due"), null=True, blank=True)
    review_due = models.DateField(_("year-end reviews due"), null=True, blank=True)
    remind_before_days = models.PositiveSmallIntegerField(
        _("remind … days before"),
        default=7,
        help_text=_("Units that have not handed in are reminded this many days before the deadline (0: no reminder)."),
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind … days after"),
        default=3,
        help_text=_("…and this many days after it, if they still have not (0: no reminder)."),
    )
    late_policy = models.CharField(
        _("after the deadline"), max_length=10, choices=LatePolicy.choices, default=LatePolicy.ACCEPT
    )
    contact = models.CharField(
        _("whom to ask"),
        max_length=255,
        blank=True,
        help_text=_("Shown to a unit whose late hand-in is refused, e.g. “Phòng Giáo dục Tiểu học, 024 3825 1234”."),
    )
    updated_by = models.ForeignKey(
        User, verbose_name=_("set by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting calendar")
        verbose_name_plural = _("reporting calendars")
        ordering = ["program", "-school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "school_year"],
                name="programs_calendar_unique_year",
                violation_error_message=_("This program already has a calendar for this school year."),
            ),
        ]

    def __str__(self):
        return _("Reporting calendar %(year)s – %(program)s") % {
            "year": display_school_year(self.school_year),
            "program": self.program.display_name,
        }

    def clean(self):
        self.contact = nfc(self.contact).strip()
        if not self.school_year:
            return
        import datetime

        first, last = school_year_bounds(self.school_year)
        # Plans may be asked for in the summer before the year; reviews are often
        # collected in the summer after it.
        windows = {
            "plan_due": (first - datetime.timedelta(days=92), last),
            "review_due": (first, last + datetime.timedelta(days=153)),
        }
        errors = {}
        for name, (earliest, latest) in windows.items():
            day = getattr(self, name)
            if day and not earliest <= day <= latest:
                errors[name] = _("For the school year %(year)s this date must fall between %(first)s and %(last)s.") % {
                    "year": display_school_year(self.school_year),
                    "first": earliest.strftime("%d/%m/%Y"),
                    "last": latest.strftime("%d/%m/%Y"),
                }
        if errors:
            raise ValidationError(errors)

    def due(self, what: str):
        """The deadline of "plan" or "review" (None when not set)."""
        return self.plan_due if what == "plan" else self.review_due

    @staticmethod
    def is_late(first_submitted_at, due) -> bool:
        """Whether a hand-in at ``first_submitted_at`` (None: not yet) missed ``due``."""
        from django.utils import timezone

        return bool(due and first_submitted_at and timezone.localdate(first_submitted_at) > due)
