"""What happens: programs (movements), twinning pairs, memoranda, working groups,
plans, exchange activities, donations and year-end reviews."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.querysets import (
    PUBLIC_PAIR_STATUSES,
    ActivityQuerySet,
    DonationQuerySet,
    MemorandumQuerySet,
    PairQuerySet,
    PlanItemQuerySet,
    PlanQuerySet,
    ProgramQuerySet,
    ReviewQuerySet,
    WorkingGroupQuerySet,
)
from schools.models import Organization
from twinning.lib.codes import new_code
from twinning.lib.collation import vi_order
from twinning.lib.dates import date_errors, past_date_error
from twinning.lib.schoolyear import (
    display_school_year,
    school_year_bounds,
    school_year_of,
    school_years_between,
    validate_school_year,
)
from twinning.lib.text import nfc, slugify_vi
from twinning.lib.uploads import FileContentValidator, RandomName

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
        help_text=_("The school or office that helps."),
    )
    mentee = models.ForeignKey(
        Organization,
        verbose_name=_("helped side"),
        on_delete=models.PROTECT,
        related_name="mentee_pairs",
        help_text=_("The school or office that is helped."),
    )
    # Copies of the two sides' kinds, so the database itself refuses a school paired
    # with an office (a CHECK cannot look into another table). Set by save().
    mentor_kind = models.CharField(max_length=20, editable=False)
    mentee_kind = models.CharField(max_length=20, editable=False)
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

    history = HistoricalRecords(excluded_fields=["mentor_kind", "mentee_kind"])
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
            Organization.Kind.OFFICE: gettext("Office partnership"),
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
        if self.mentor_id:
            self.mentor_kind = self.mentor.kind
        if self.mentee_id:
            self.mentee_kind = self.mentee.kind

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

    def save(self, *args, **kwargs):
        self._sync_kinds()
        super().save(*args, **kwargs)
        self._loaded_sides = (self.mentor_id, self.mentee_id)


def _scan_validator():
    return FileContentValidator(("pdf", "jpeg", "png"))


class Memorandum(models.Model):
    """A signed memorandum of understanding (biên bản ghi nhớ) covering one or more
    pairs. Its scan is private: it is downloaded through a view that checks scope."""

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="memoranda")
    title = models.CharField(_("title"), max_length=255)
    reference_number = models.CharField(_("reference number"), max_length=80, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    place = models.CharField(_("signed at"), max_length=255, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    pairs = models.ManyToManyField(Pair, verbose_name=_("pairs covered"), related_name="memoranda", blank=True)
    scan = models.FileField(
        _("scanned document"),
        upload_to=RandomName("private/memoranda"),
        blank=True,
        validators=[_scan_validator()],
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = MemorandumQuerySet.as_manager()

    class Meta:
        verbose_name = _("memorandum")
        verbose_name_plural = _("memoranda")
        ordering = ["-signed_on", vi_order("title")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="programs_memorandum_validity_order",
                violation_error_message=_("A memorandum cannot expire before it takes effect."),
            ),
        ]

    def __str__(self):
        if self.signed_on:
            return f"{self.title} ({self.signed_on:%d/%m/%Y})"
        return self.title

    def clean(self):
        self.title = nfc(self.title)
        errors = date_errors(
            self, not_in_future=("signed_on",), within_a_year=("valid_from",), any_date=("valid_until",)
        )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors.setdefault("valid_until", _("A memorandum cannot expire before it takes effect."))
        if errors:
            raise ValidationError(errors)


class Signatory(models.Model):
    memorandum = models.ForeignKey(
        Memorandum, verbose_name=_("memorandum"), on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120, blank=True, help_text=_("Leave empty when not known."))
    title = models.CharField(_("title"), max_length=160)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["memorandum", "order", "pk"]

    def __str__(self):
        return f"{self.name} – {self.title}" if self.name else self.title

    def clean(self):
        self.name = nfc(self.name)
        self.title = nfc(self.title)


class WorkingGroup(models.Model):
    """A working group (tổ công tác) of one office for one school level in a program;
    with no level it is the office's own group."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="working_groups"
    )
    office = models.ForeignKey(
        Organization, verbose_name=_("office"), on_delete=models.PROTECT, related_name="working_groups"
    )
    level = models.CharField(
        _("school level"),
        max_length=20,
        choices=Organization.Level.choices,
        blank=True,
        help_text=_("Empty for the office-level group."),
    )
    name = models.CharField(_("name"), max_length=200)
    tasks = models.TextField(_("tasks"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WorkingGroupQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["program", vi_order("office__name"), "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "office", "level"],
                name="programs_workinggroup_unique_level",
                violation_error_message=_("This office already has a working group for this level in this program."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.name = nfc(self.name)
        if self.office_id and self.office.kind not in (Organization.Kind.OFFICE, Organization.Kind.DEPARTMENT):
            raise ValidationError({"office": _("A working group belongs to a district office or a department.")})
        if self.program_id and self.office_id:
            # The constraint programs_workinggroup_unique_level, in words that say
            # which group already exists and what to do.
            existing = (
                WorkingGroup.objects.filter(program_id=self.program_id, office_id=self.office_id, level=self.level)
                .exclude(pk=self.pk)
                .first()
            )
            if existing is not None:
                params = {"office": self.office.name, "group": existing.name, "level": self.get_level_display()}
                if self.level:
                    message = _(
                        "%(office)s already has a working group for the level %(level)s in this program "
                        "(“%(group)s”). Choose another level, or open that group to change its members."
                    )
                else:
                    message = _(
                        "%(office)s already has its own working group in this program (“%(group)s”). "
                        "Choose a school level, or open that group to change its members."
                    )
                raise ValidationError({"level": message % params})


class WorkingGroupMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        MEMBER = "member", _("Member")

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("working group"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=160, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="working_group_members",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        ordering = ["group", "order", "pk"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"

    def clean(self):
        self.name = nfc(self.name)
        self.title = nfc(self.title)


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
    review_comment = models.TextField(_("office's comment"), blank=True)
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


class Activity(models.Model):
    """An exchange activity of a pair. Logged (reported) by one side and confirmed by
    the other; only confirmed activities marked public appear on the public site."""

    Kind = ActivityKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REPORTED = "reported", _("Reported, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        RETURNED = "returned", _("Returned for changes")

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    happened_on = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=255)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_activities",
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=120, blank=True)
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    leading_teacher = models.CharField(_("led by"), max_length=120, blank=True)
    teachers_count = models.PositiveIntegerField(_("teachers taking part"), default=0)
    students_count = models.PositiveIntegerField(_("students taking part"), default=0)
    managers_count = models.PositiveIntegerField(_("managers taking part"), default=0)
    description = models.TextField(_("description"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    plan_item = models.ForeignKey(
        PlanItem,
        verbose_name=_("plan item fulfilled"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    is_public = models.BooleanField(_("may be shown publicly"), default=False)
    reported_by_org = models.ForeignKey(
        Organization,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_activities",
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("logged by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, verbose_name=_("confirmed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    return_comment = models.TextField(_("comment when returned"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-happened_on", "-pk"]
        indexes = [models.Index(fields=["pair", "happened_on"], name="programs_activity_pair_date")]

    def __str__(self):
        return f"{self.happened_on:%d/%m/%Y} – {self.title}"

    def get_absolute_url(self):
        return reverse("public:activity-detail", kwargs={"code": self.code})

    @property
    def school_year(self):
        return school_year_of(self.happened_on)

    @property
    def participants_count(self):
        return self.teachers_count + self.students_count + self.managers_count

    def clean(self):
        self.title = nfc(self.title)
        self.leading_teacher = nfc(self.leading_teacher)
        errors = {}
        date_error = past_date_error(
            self.happened_on,
            future_message=_(
                "This date has not come yet. An activity that has not taken place belongs in the pair's plan: "
                "log it here once it has happened."
            ),
        )
        if date_error:
            errors["happened_on"] = date_error
        if self.pair_id and self.host_id:
            # A side of the pair, or (for an office partnership) a school of either office.
            sides = {self.pair.mentor_id, self.pair.mentee_id}
            if self.host_id not in sides and self.host.parent_id not in sides:
                errors["host"] = _("The host must be one of the two sides of the pair or a school they manage.")
        if self.plan_item_id and self.pair_id and self.plan_item.plan.pair_id != self.pair_id:
            errors["plan_item"] = _("This plan item belongs to another pair's plan.")
        if errors:
            raise ValidationError(errors)


class ActivityPhoto(models.Model):
    """A photo of an activity, stored re-encoded (at most 1600 px, without location or
    camera metadata) with a small thumbnail. Served through a view that checks the
    activity may be seen."""

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    activity = models.ForeignKey(Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=RandomName("photos"), width_field="width", height_field="height")
    thumbnail = models.ImageField(_("thumbnail"), upload_to=RandomName("photos/thumbs"), blank=True)
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["activity", "order", "pk"]

    def __str__(self):
        return self.caption or _("Photo %(n)s") % {"n": self.order + 1}


class Donation(models.Model):
    """Support given in a program: sponsorship of students, gift packages,
    scholarships, equipment, books. The amount is whole đồng. The note about
    beneficiaries is private to the two sides' staff, their officers and the
    department; public pages show only totals."""

    class Kind(models.TextChoices):
        SPONSORSHIP = "sponsorship", _("Student sponsorship")
        GIFT = "gift", _("Gift packages")
        SCHOLARSHIP = "scholarship", _("Scholarship")
        EQUIPMENT = "equipment", _("Equipment")
        BOOKS = "books", _("Books")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="donations")
    pair = models.ForeignKey(
        Pair, verbose_name=_("pair"), on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )

    class Nature(models.TextChoices):
        MONEY = "money", _("In money")
        IN_KIND = "in_kind", _("In kind")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    nature = models.CharField(_("given as"), max_length=10, choices=Nature.choices, default=Nature.MONEY)
    amount = models.BigIntegerField(
        _("amount (VND)"),
        null=True,
        blank=True,
        help_text=_("Whole đồng, e.g. 240.000.000. Required for money; for a gift in kind, its value if known."),
    )
    # A gift in kind: how many of what ("35 bộ máy tính", "1.200 cuốn sách").
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit_label = models.CharField(
        _("items"), max_length=80, blank=True, help_text=_("What was given, e.g. “bộ máy tính”, “cuốn sách”.")
    )
    packages = models.PositiveIntegerField(_("number of packages"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("number of beneficiaries"), null=True, blank=True)
    given_on = models.DateField(_("date"), db_index=True)
    donor_org = models.ForeignKey(
        Organization,
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations_given",
    )
    donor_name = models.CharField(
        _("donor's name"),
        max_length=255,
        blank=True,
        help_text=_("Who gave it, e.g. “Nhà giáo quận Nam Từ Liêm” or an outside sponsor."),
    )
    recipient = models.ForeignKey(
        Organization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="donations_received"
    )
    description = models.TextField(_("description"), blank=True)
    receipt = models.FileField(
        _("receipt scan"),
        upload_to=RandomName("private/receipts"),
        blank=True,
        validators=[_scan_validator()],
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    private_note = models.TextField(
        _("private note about beneficiaries"),
        blank=True,
        help_text=_("Seen only by the two schools' staff, their offices and the department. Never public."),
    )
    note_consent = models.CharField(
        _("consent to keep the children's names"),
        max_length=300,
        blank=True,
        help_text=_("Who agreed, and how: the parent or guardian, and the pupil from the age of 7."),
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_org = models.ForeignKey(
        Organization,
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="programs_donation_amount_positive",
                violation_error_message=_("The amount must be greater than 0 đồng."),
            ),
            models.CheckConstraint(
                condition=~Q(nature="money") | Q(amount__isnull=False),
                name="programs_donation_money_has_amount",
                violation_error_message=_("Enter the amount in đồng of support given in money."),
            ),
            models.CheckConstraint(
                condition=~Q(nature="in_kind") | (Q(quantity__isnull=False, quantity__gt=0) & ~Q(unit_label="")),
                name="programs_donation_in_kind_has_items",
                violation_error_message=_("A gift in kind needs its quantity and what was given."),
            ),
            models.CheckConstraint(
                condition=~Q(nature="money") | (Q(quantity__isnull=True) & Q(unit_label="")),
                name="programs_donation_money_has_no_items",
                violation_error_message=_("A quantity of items belongs to a gift in kind."),
            ),
            models.CheckConstraint(
                condition=Q(donor_org__isnull=False) | ~Q(donor_name=""),
                name="programs_donation_has_donor",
                violation_error_message=_("Choose the donor organization or type the donor's name."),
            ),
        ]

    def __str__(self):

        return f"{self.get_kind_display()} – {self.value_display} – {self.recipient.display_name}"

    @property
    def is_in_kind(self) -> bool:
        return self.nature == self.Nature.IN_KIND

    @property
    def items_display(self) -> str:
        """ "35 bộ máy tính" for a gift in kind, "" for money."""
        from twinning.lib.money import format_count

        return f"{format_count(self.quantity)} {self.unit_label}" if self.is_in_kind and self.quantity else ""

    @property
    def value_display(self) -> str:
        """What a list shows of this record: the amount of money; the items of a gift
        in kind, with its value when one was given (never "0 ₫" for a missing one)."""
        from twinning.lib.money import format_vnd

        if not self.is_in_kind:
            return format_vnd(self.amount)
        if self.amount:
            return _("%(items)s (value %(amount)s)") % {"items": self.items_display, "amount": format_vnd(self.amount)}
        return self.items_display

    @property
    def donor_display(self):
        return self.donor_name or (self.donor_org.display_name if self.donor_org_id else "")

    def clean(self):
        self.donor_name = nfc(self.donor_name)
        errors = {}
        date_error = past_date_error(
            self.given_on,
            future_message=_("The date cannot be later than today: record support once it has been given."),
        )
        if date_error:
            errors["given_on"] = date_error
        self.unit_label = " ".join(nfc(self.unit_label).split())
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("The amount must be greater than 0 đồng.")
        elif self.nature == self.Nature.MONEY and self.amount is None:
            errors["amount"] = _("Enter the amount in đồng of support given in money.")
        if self.nature == self.Nature.IN_KIND:
            if not self.quantity:
                errors["quantity"] = _("Enter how many items were given (a whole number greater than 0).")
            if not self.unit_label:
                errors["unit_label"] = _("Say what was given, e.g. “bộ máy tính” or “cuốn sách”.")
        elif self.quantity is not None or self.unit_label:
            errors["quantity"] = _(
                "A quantity of items belongs to a gift in kind: choose “In kind” or leave the quantity and items empty."
            )
        if not self.donor_org_id and not self.donor_name:
            errors["donor_name"] = _("Choose the donor organization or type the donor's name.")
        if self.pair_id and self.program_id and self.pair.program_id != self.program_id:
            errors["pair"] = _("The pair belongs to another program.")
        if errors:
            raise ValidationError(errors)


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


class PrivateNoteAccess(models.Model):
    """Each time a department user opened the private note about sponsored children
    (Law on Personal Data Protection, 2026): who, which donation, when, and what for."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        CORRECT = "correct", _("corrected")
        ERASE = "erase", _("erased")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.SET_NULL, null=True, related_name="+")
    donation = models.ForeignKey(
        Donation, verbose_name=_("support"), on_delete=models.SET_NULL, null=True, related_name="note_accesses"
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.VIEW)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access to a private note")
        verbose_name_plural = _("accesses to private notes")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.action} {self.donation_id} {self.at:%Y-%m-%d %H:%M}"


# Each pair's figures per school year, kept by the writes above (programs/summaries.py).
from programs.summaries import PairYear  # noqa: E402, F401
