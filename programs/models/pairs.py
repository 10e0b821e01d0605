"""Twinning pairs: two units of a program, with their period and status."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.programs import Program
from programs.querysets import (
    PUBLIC_PAIR_STATUSES,
    PairQuerySet,
)
from schools.models import Organization
from twinning.lib.codes import new_code
from twinning.lib.collation import vi_order
from twinning.lib.dates import date_errors
from twinning.lib.schoolyear import (
    school_year_bounds,
    school_year_of,
)

User = settings.AUTH_USER_MODEL


class Pair(models.Model):
    """A directed twinning, mentor (the helping side) → mentee (the helped side), inside
    a program: two schools, or a partnership of two units of the same kind — district
    offices (until 2025), professional clusters or Departments. A school pair may sit
    inside a partnership (``parent``), cross managing bodies or cross provinces.

    A pair lives from ``started_on`` (set when it is accepted; the phase's first day
    when unknown) to ``ended_on`` (the phase's last day when not ended earlier): it
    counts in the school years it overlaps (``Pair.objects.active_during``)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        DECLINED = "declined", _("Declined")

    PAIRABLE_KINDS = (
        Organization.Kind.SCHOOL,
        Organization.Kind.CLUSTER,
        Organization.Kind.DEPARTMENT,
        Organization.Kind.OFFICE,
    )

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="pairs")
    mentor = models.ForeignKey(
        Organization,
        verbose_name=_("helping side"),
        on_delete=models.PROTECT,
        related_name="mentor_pairs",
        help_text=_("The school or unit that helps."),
    )
    mentee = models.ForeignKey(
        Organization,
        verbose_name=_("helped side"),
        on_delete=models.PROTECT,
        related_name="mentee_pairs",
        help_text=_("The school or unit that is helped."),
    )
    # Copies of the two sides' kinds, so the database itself refuses a school paired
    # with an office (a CHECK cannot look into another table). Set by save().
    mentor_kind = models.CharField(max_length=20, editable=False)
    mentee_kind = models.CharField(max_length=20, editable=False)
    # Copies of the two sides' provinces (``Organization.province``), indexed: a
    # Department's pairs are found through these two indexes instead of testing every
    # pair of the country against its province's units. Set by save() and bulk saves;
    # kept when a unit's province changes (``schools.models.provinces_changed``).
    mentor_province = models.ForeignKey(
        "schools.Area", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    mentee_province = models.ForeignKey(
        "schools.Area", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("office partnership"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The partnership (of offices, clusters or Departments) this school pair belongs to, if any."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    started_on = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, help_text=_("Why the pair was declined or ended."))
    proposed_by = models.ForeignKey(
        User, verbose_name=_("registered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_by_org = models.ForeignKey(
        Organization,
        verbose_name=_("registered for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The unit on whose behalf the pair was registered; the other side answers."),
    )
    decided_by = models.ForeignKey(
        User, verbose_name=_("answered by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["mentor_kind", "mentee_kind", "mentor_province", "mentee_province"])
    objects = PairQuerySet.as_manager()

    class Meta:
        verbose_name = _("twinning pair")
        verbose_name_plural = _("twinning pairs")
        ordering = ["program", vi_order("mentor__name"), vi_order("mentee__name")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mentor=F("mentee")),
                name="programs_pair_distinct_sides",
                violation_error_message=_("The helping side and the helped side must be different units."),
            ),
            models.CheckConstraint(
                condition=Q(mentor_kind=F("mentee_kind")),
                name="programs_pair_same_kind",
                violation_error_message=_("A school is paired with a school and an office with an office."),
            ),
            models.CheckConstraint(
                condition=Q(mentor_kind__in=["school", "cluster", "department", "office"]),
                name="programs_pair_kind_pairable",
                violation_error_message=_(
                    "Only schools, professional clusters, Departments or district offices can be paired."
                ),
            ),
            # A declined proposal does not block registering the same pair again.
            models.UniqueConstraint(
                fields=["program", "mentor", "mentee"],
                condition=~Q(status="declined"),
                name="programs_pair_unique_in_program",
                violation_error_message=_("This pair is already registered in this program."),
            ),
        ]

    def __str__(self):
        return f"{self.mentor.display_name} → {self.mentee.display_name}"

    def get_absolute_url(self):
        return reverse("public:pair-detail", kwargs={"code": self.code})

    @property
    def kind(self):
        return self.mentor_kind

    @property
    def shown_publicly(self) -> bool:
        """Whether the public site has a page for this pair (``Pair.objects.public()``
        for one pair already loaded with its program)."""
        return self.status in PUBLIC_PAIR_STATUSES and self.program.is_public

    @property
    def is_office_partnership(self):
        """A partnership of two units that are not schools (district offices,
        clusters, Departments): school pairs may sit inside it."""
        return self.mentor_kind != Organization.Kind.SCHOOL

    @property
    def kind_label(self):
        from django.utils.translation import gettext

        return {
            Organization.Kind.SCHOOL: gettext("School pair"),
            Organization.Kind.OFFICE: gettext("Education office partnership"),
            Organization.Kind.CLUSTER: gettext("Cluster partnership"),
            Organization.Kind.DEPARTMENT: gettext("Department partnership"),
        }.get(self.mentor_kind, gettext("Partnership"))

    @property
    def period_start(self):
        """The first day the pair counts: its start, else its phase's first day."""
        return self.started_on or self.program.phase_starts_on

    @property
    def period_end(self):
        """The last day the pair counts: its end, else its phase's last day."""
        return self.ended_on or self.program.phase_ends_on

    def structure_date(self, today=None):
        """The day whose structure pages about this pair show: today while it runs;
        once it ended (or its phase is over), the first day of its last school year
        (not before it began), so that a reorganisation recorded after it ended —
        or in the summer it ended — leaves its pages as they were."""
        from django.utils import timezone

        today = today or timezone.localdate()
        end = self.period_end
        if self.status in (self.Status.PROPOSED, self.Status.ACTIVE) and (end is None or end >= today):
            return today
        if self.status == self.Status.DECLINED:
            end = self.decided_at.date() if self.decided_at else today
        end = min(end or today, today)
        first = school_year_bounds(school_year_of(end))[0]
        start = self.period_start
        return max(first, start) if start and start <= end else first

    def sides(self):
        return (self.mentor, self.mentee)

    def other_side(self, organization: Organization) -> Organization:
        return self.mentee if organization.pk == self.mentor_id else self.mentor

    def responding_org(self) -> Organization | None:
        """The side that did not register the pair and answers it."""
        if not self.proposed_by_org_id:
            return None
        if self.proposed_by_org_id in (self.mentor_id, self.mentor.parent_id, self.mentor.cluster_id):
            return self.mentee
        return self.mentor

    def _sync_kinds(self):
        """Fills the copies of the sides' kinds and provinces."""
        if self.mentor_id:
            self.mentor_kind = self.mentor.kind
            self.mentor_province_id = self.mentor.province_id
        if self.mentee_id:
            self.mentee_kind = self.mentee.kind
            self.mentee_province_id = self.mentee.province_id

    def clean(self):
        # full_clean() validates the constraints after clean(): fill the copies first.
        self._sync_kinds()
        errors = {}
        if self.mentor_id and self.mentee_id:
            if self.mentor_id == self.mentee_id:
                errors["mentee"] = _("The helping side and the helped side must be different units.")
            elif self.mentor.kind != self.mentee.kind:
                errors["mentee"] = _("A school is paired with a school and an office with an office.")
            elif self.mentor.kind not in self.PAIRABLE_KINDS:
                errors["mentor"] = _(
                    "Only schools, professional clusters, Departments or district offices can be paired."
                )
            elif self._sides_changed() and self._ceased_side():
                side = self._ceased_side()
                errors["mentor" if side.pk == self.mentor_id else "mentee"] = _(
                    "%(unit)s ceased after %(date)s: it can no longer take part in a new pair."
                ) % {"unit": side.display_name, "date": side.valid_until.strftime("%d/%m/%Y")}
            elif self.mentor.is_school and self._sides_changed() and not self.mentor.shares_level_with(self.mentee):
                # Checked when the sides are chosen: a pair registered before the
                # rule can still be answered or ended.
                errors["mentee"] = _(
                    "%(mentor)s is a school of level %(mentor_level)s and %(mentee)s of level %(mentee_level)s: "
                    "the two schools of a pair must share a school level."
                ) % {
                    "mentor": self.mentor.display_name,
                    "mentor_level": self.mentor.get_level_display(),
                    "mentee": self.mentee.display_name,
                    "mentee_level": self.mentee.get_level_display(),
                }
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A pair cannot belong to itself.")
            elif not self.parent.is_office_partnership:
                errors["parent"] = _("Choose a partnership of two offices, clusters or Departments.")
            elif self.mentor_id and self.mentor.kind != Organization.Kind.SCHOOL:
                errors["parent"] = _("Only a school pair belongs to a partnership.")
            elif self.program_id and self.parent.program_id != self.program_id:
                errors["parent"] = _("The office partnership belongs to another program.")
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A pair cannot end before it starts.")
        for name, message in date_errors(self, within_a_year=("started_on",), any_date=("ended_on",)).items():
            errors.setdefault(name, message)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_sides = (instance.__dict__.get("mentor_id"), instance.__dict__.get("mentee_id"))
        return instance

    def _ceased_side(self) -> Organization | None:
        """A side that had ceased before the pair began (today for a new proposal)."""
        from django.utils import timezone

        start = self.started_on or timezone.localdate()
        for side in (self.mentor, self.mentee):
            if side.valid_until and side.valid_until < start:
                return side
        return None

    def _sides_changed(self) -> bool:
        """True for a new pair, or when the helping or helped side was changed since
        the pair was loaded."""
        return getattr(self, "_loaded_sides", None) != (self.mentor_id, self.mentee_id)

    @classmethod
    def refresh_side_provinces(cls, unit_ids, **_signal) -> None:
        """Copies the provinces of the units ``unit_ids`` again onto their pairs (two
        UPDATEs); receives ``provinces_changed``."""
        from programs.reports.cache import data_changed

        data_changed()
        for side in ("mentor", "mentee"):
            province = Organization.objects.filter(pk=OuterRef(f"{side}_id")).values("province_id")[:1]
            cls.objects.filter(**{f"{side}_id__in": list(unit_ids)}).update(
                **{f"{side}_province_id": Subquery(province)}
            )

    def save(self, *args, **kwargs):
        self._sync_kinds()
        super().save(*args, **kwargs)
        self._loaded_sides = (self.mentor_id, self.mentee_id)
