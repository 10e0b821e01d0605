"""Did the helped school catch up? School indicators per school year, the gap between
the two schools of each pair over the years, the pair's goals, and its health.

``Indicator``: one measure a Department defines for some school levels (enrolment, the
share of teachers meeting the standard, a dropout rate…), with its unit, whether higher
or lower is better, who enters it, and whether public pages may show it (only as
aggregates). ``IndicatorValue``: a school's value for a school year. ``PairGap``: kept
by ``outcomes.services`` whenever a value changes — for each school pair, indicator and
year with both values, how far the helped school is behind and whether that gap
narrowed, held or widened since the year before the pair began, so that the dashboard
counts pairs without reading every value. ``Goal``: what a pair sets out to reach in
its phase, with the activities and donations that show it. ``PairHealth``: the pair's
mark (good / needs attention / at risk) and why, refreshed daily and on changes.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models import Organization
from twinning.lib.schoolyear import display_school_year, validate_school_year
from twinning.lib.text import nfc

User = settings.AUTH_USER_MODEL


class Indicator(models.Model):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class EnteredBy(models.TextChoices):
        SCHOOL = "school", _("The school or its managing body")
        MANAGER = "manager", _("The managing body")
        DEPARTMENT = "department", _("The Department")

    owner = models.ForeignKey(
        Organization,
        verbose_name=_("defined by"),
        on_delete=models.PROTECT,
        related_name="indicators",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
    )
    code = models.SlugField(
        _("code"), max_length=40, help_text=_("Short, without accents, used as the column of the Excel sheet.")
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=40, blank=True, help_text=_("e.g. %, pupils, points"))
    direction = models.CharField(_("better when"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=1)
    minimum = models.DecimalField(_("smallest value"), max_digits=14, decimal_places=4, null=True, blank=True)
    maximum = models.DecimalField(_("largest value"), max_digits=14, decimal_places=4, null=True, blank=True)
    tolerance = models.DecimalField(
        _("counts as held within"),
        max_digits=14,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(0)],
        help_text=_("A gap that changed by less than this is counted as held."),
    )
    levels = models.JSONField(_("school levels"), default=list, blank=True, help_text=_("None ticked: every level."))
    entered_by = models.CharField(_("entered by"), max_length=12, choices=EnteredBy.choices, default=EnteredBy.SCHOOL)
    is_public = models.BooleanField(
        _("shown on the public site"),
        default=False,
        help_text=_("Only as counts of pairs that narrowed, held or widened the gap; never a school's value."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["owner", "order", "pk"]
        constraints = [
            # Without case: the Excel sheet's columns are matched without case.
            models.UniqueConstraint(
                "owner",
                Lower("code"),
                name="outcomes_indicator_unique_code",
                violation_error_message=_("The Department already has an indicator with this code."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def clean(self):
        self.name = nfc(self.name).strip()
        self.unit = nfc(self.unit).strip()
        if self.minimum is not None and self.maximum is not None and self.minimum >= self.maximum:
            raise ValidationError({"maximum": _("The largest value must be greater than the smallest.")})
        levels = set(Organization.Level.values)
        if any(level not in levels for level in self.levels or []):
            raise ValidationError({"levels": _("Choose school levels from the list.")})

    @property
    def level_labels(self) -> list[str]:
        return [str(Organization.Level(level).label) for level in self.levels or []]

    def applies_to(self, school) -> bool:
        """Whether a school of that level has this indicator (no level listed: every level)."""
        return not self.levels or school.level in self.levels

    @property
    def lower_is_better(self) -> bool:
        return self.direction == self.Direction.LOWER

    def behind(self, mentor_value, mentee_value):
        """How far the helped school is behind the helping one (negative: ahead)."""
        if mentor_value is None or mentee_value is None:
            return None
        return mentee_value - mentor_value if self.lower_is_better else mentor_value - mentee_value

    def value_error(self, value):
        """The message for a value outside the indicator's range, or None."""
        if self.minimum is not None and value < self.minimum or self.maximum is not None and value > self.maximum:
            low = "" if self.minimum is None else f"{self.minimum.normalize():f}"
            high = "" if self.maximum is None else f"{self.maximum.normalize():f}"
            return _("The value must be between %(low)s and %(high)s.") % {"low": low or "…", "high": high or "…"}
        return None


class IndicatorValue(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    school = models.ForeignKey(
        Organization, verbose_name=_("school"), on_delete=models.PROTECT, related_name="indicator_values"
    )
    school_year = models.CharField(_("school year"), max_length=9, validators=[validate_school_year])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Demo data: shown as “minh hoạ”, never as a real result.")
    )
    entered_by = models.ForeignKey(
        User, verbose_name=_("entered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["school", "indicator", "school_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "indicator", "school_year"],
                name="outcomes_value_unique_year",
                violation_error_message=_("This school already has a value of this indicator for this school year."),
            )
        ]

    def __str__(self):
        return f"{self.indicator.name} {display_school_year(self.school_year)} – {self.school}: {self.value}"


class PairGap(models.Model):
    """Kept by ``outcomes.services.refresh_gaps``: for a school pair, an indicator and a
    school year with both schools' values, how far the helped school is behind, the
    gap of the base year (the year before the pair began, when known) and the trend."""

    class Trend(models.TextChoices):
        NARROWED = "narrowed", _("narrowed")
        HELD = "held", _("held")
        WIDENED = "widened", _("widened")
        UNKNOWN = "unknown", _("not enough data")

    pair = models.ForeignKey("programs.Pair", on_delete=models.CASCADE, related_name="gaps")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="gaps")
    school_year = models.CharField(max_length=9)
    mentor_value = models.DecimalField(max_digits=14, decimal_places=4)
    mentee_value = models.DecimalField(max_digits=14, decimal_places=4)
    behind = models.DecimalField(max_digits=14, decimal_places=4)
    base_year = models.CharField(max_length=9, blank=True)
    base_behind = models.DecimalField(max_digits=14, decimal_places=4, null=True)
    trend = models.CharField(max_length=10, choices=Trend.choices)
    is_illustrative = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("pair gap")
        verbose_name_plural = _("pair gaps")
        constraints = [
            models.UniqueConstraint(fields=["pair", "indicator", "school_year"], name="outcomes_gap_unique_year")
        ]
        indexes = [models.Index(fields=["indicator", "school_year"], name="gap_indicator_year")]

    def __str__(self):
        return f"{self.pair_id} {self.indicator_id} {self.school_year}: {self.trend}"


class Goal(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Not started")
        ON_TRACK = "on_track", _("On track")
        OFF_TRACK = "off_track", _("Off track")
        MET = "met", _("Met")
        MISSED = "missed", _("Not met")

    pair = models.ForeignKey("programs.Pair", verbose_name=_("pair"), on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, null=True, blank=True, related_name="goals"
    )
    target = models.DecimalField(
        _("target for the helped school"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("With an indicator: the value the helped school should reach."),
    )
    due_year = models.CharField(_("by the school year"), max_length=9, validators=[validate_school_year])
    status = models.CharField(
        _("progress"),
        max_length=12,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text=_("With an indicator and a target, worked out from the values entered."),
    )
    progress_note = models.TextField(_("progress note"), blank=True)
    activities = models.ManyToManyField(
        "programs.Activity", verbose_name=_("activities as evidence"), blank=True, related_name="goals"
    )
    donations = models.ManyToManyField(
        "programs.Donation", verbose_name=_("support as evidence"), blank=True, related_name="goals"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("set by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pair goal")
        verbose_name_plural = _("pair goals")
        ordering = ["pair", "due_year", "pk"]

    def __str__(self):
        return self.text

    def clean(self):
        self.text = nfc(self.text).strip()
        if self.target is not None and not self.indicator_id:
            raise ValidationError({"indicator": _("Choose the indicator the target is measured on.")})
        if self.indicator_id and self.target is not None:
            error = self.indicator.value_error(self.target)
            if error:
                raise ValidationError({"target": error})

    @property
    def is_derived(self) -> bool:
        return bool(self.indicator_id and self.target is not None)


class PairHealth(models.Model):
    class Mark(models.TextChoices):
        GOOD = "good", _("Good")
        ATTENTION = "attention", _("Needs attention")
        AT_RISK = "at_risk", _("At risk")

    pair = models.OneToOneField("programs.Pair", on_delete=models.CASCADE, related_name="health")
    mark = models.CharField(_("health"), max_length=10, choices=Mark.choices, db_index=True)
    # [[rule, mark, {values}], …]: each reason is worded when shown (outcomes.health).
    reasons = models.JSONField(default=list)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pair health")
        verbose_name_plural = _("pair health")

    def __str__(self):
        return f"{self.pair_id}: {self.mark}"
