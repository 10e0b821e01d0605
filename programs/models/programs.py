"""Programs (movements) and the kinds of activity they count."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.querysets import (
    ProgramQuerySet,
)
from schools.models import Organization
from twinning.lib.collation import vi_order
from twinning.lib.schoolyear import (
    school_year_bounds,
    school_years_between,
)
from twinning.lib.text import nfc, slugify_vi

User = settings.AUTH_USER_MODEL


class ActivityKind(models.TextChoices):
    DEMONSTRATION = "demonstration", _("Demonstration lesson")
    EXCHANGE = "exchange", _("Exchange")
    STUDY_VISIT = "study_visit", _("Study visit")
    TRAINING = "training", _("Training")
    TUTORING = "tutoring", _("Remedial tutoring")
    MANAGEMENT = "management", _("Management experience sharing")
    FACILITIES = "facilities", _("Support for facilities")
    OTHER = "other", _("Other")


class Program(models.Model):
    """A movement (phong trào) with a phase of school years and its organizers."""

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    slug = models.SlugField(
        _("slug"), max_length=140, unique=True, blank=True, help_text=_("Filled in from the name when left empty.")
    )
    description = models.TextField(_("description"), blank=True)
    start_year = models.PositiveSmallIntegerField(
        _("phase starts"), help_text=_("The year the first school year of the phase starts, e.g. 2022.")
    )
    end_year = models.PositiveSmallIntegerField(
        _("phase ends"), help_text=_("The year the last school year of the phase ends, e.g. 2025.")
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    launch_place = models.CharField(_("launched at"), max_length=255, blank=True)
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        help_text=_("The documents the phase rests on, one per line, e.g. “Thông báo 81-TB/TW ngày 18/7/2025”."),
    )
    previous_phase = models.ForeignKey(
        "self",
        verbose_name=_("previous phase"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_phases",
        help_text=_("The same movement's earlier phase, if any."),
    )
    # The first and last day of the phase, from its school years (derived on save):
    # queries compare pairs' dates with them without computing dates in SQL.
    phase_starts_on = models.DateField(_("phase starts on"), editable=False, null=True)
    phase_ends_on = models.DateField(_("phase ends on"), editable=False, null=True)
    organizers = models.ManyToManyField(
        Organization, verbose_name=_("organizers"), related_name="organized_programs", blank=True
    )
    is_public = models.BooleanField(
        _("shown on the public site"), default=True, help_text=_("Unticked, the program stays inside the workspace.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["-start_year", vi_order("name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year")),
                name="programs_program_phase_order",
                violation_error_message=_("The phase must end after it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.phase_display})"

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def phase_display(self):
        return f"{self.start_year}–{self.end_year}"

    @property
    def school_years(self):
        return school_years_between(self.start_year, self.end_year)

    def is_over(self, today=None) -> bool:
        """Whether the phase's last school year has ended."""
        from django.utils import timezone

        return bool(self.phase_ends_on) and self.phase_ends_on < (today or timezone.localdate())

    def structure_date(self, today=None):
        """The day whose structure (managing bodies, areas) pages about this program
        show: today while the phase runs; once it is over, the first day of its last
        school year — the 2022–2025 movement reads as it stood in 2024–2025, under
        the district offices, not under the communes that replaced them in July 2025."""
        from django.utils import timezone

        today = today or timezone.localdate()
        if not self.is_over(today):
            return today
        return school_year_bounds(f"{self.end_year - 1}-{self.end_year}")[0]

    def get_absolute_url(self):
        return reverse("public:program-detail", kwargs={"slug": self.slug})

    def clean(self):
        self.name = nfc(self.name)
        self.short_name = nfc(self.short_name)
        if self.previous_phase_id and self.pk and self.previous_phase_id == self.pk:
            raise ValidationError({"previous_phase": _("A phase cannot follow itself.")})
        if self.previous_phase_id and self.start_year and self.previous_phase.end_year > self.start_year:
            raise ValidationError(
                {
                    "previous_phase": _("The previous phase must end (%(year)s) before this one starts.")
                    % {"year": self.previous_phase.end_year}
                }
            )

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        if self.start_year and self.end_year:
            self.phase_starts_on = school_year_bounds(f"{self.start_year}-{self.start_year + 1}")[0]
            self.phase_ends_on = school_year_bounds(f"{self.end_year - 1}-{self.end_year}")[1]
        if not self.slug:
            base = slugify_vi(f"{self.short_name or self.name} {self.start_year} {self.end_year}")[:120]
            slug, n = base, 2
            while Program.objects.filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)
