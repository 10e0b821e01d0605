"""A pair's plan for a school year and its items."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.pairs import Pair
from programs.models.programs import ActivityKind
from programs.querysets import (
    PlanItemQuerySet,
    PlanQuerySet,
)
from twinning.lib.schoolyear import (
    display_school_year,
    school_year_of,
    validate_school_year,
)
from twinning.lib.text import nfc

User = settings.AUTH_USER_MODEL


class Plan(models.Model):
    """A pair's plan for one school year. Drafted by an office officer or either
    principal, submitted, then accepted or returned by the office."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.PROTECT, related_name="plans")
    school_year = models.CharField(_("school year"), max_length=9, validators=[validate_school_year])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("drafted by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        User, verbose_name=_("submitted by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The first hand-in, kept when the plan is returned and sent again: whether it came
    # on time is judged by it (see ReportingCalendar).
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        User, verbose_name=_("reviewed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("managing body's comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-school_year", "pair"]
        # The years with data (reports.params.year_span) and a year's rows, by index.
        indexes = [models.Index(fields=["school_year", "pair"], name="plan_year_pair")]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "school_year"],
                name="programs_plan_unique_year",
                violation_error_message=_("This pair already has a plan for this school year."),
            ),
        ]

    def __str__(self):
        return _("Plan %(year)s – %(pair)s") % {"year": display_school_year(self.school_year), "pair": self.pair}


class PlanItem(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=255)
    planned_month = models.DateField(_("planned month"), help_text=_("The first day of the planned month."))
    responsible = models.CharField(_("responsible"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = PlanItemQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan", "planned_month", "order", "pk"]

    def __str__(self):
        return f"{self.planned_month:%m/%Y} – {self.title}"

    def clean(self):
        self.title = nfc(self.title)
        if self.planned_month:
            self.planned_month = self.planned_month.replace(day=1)
            if self.plan_id and school_year_of(self.planned_month) != self.plan.school_year:
                raise ValidationError(
                    {
                        "planned_month": _("The month must fall within the school year %(year)s.")
                        % {"year": display_school_year(self.plan.school_year)}
                    }
                )
