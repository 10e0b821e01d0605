"""Signed memoranda and their signatories; working groups and their members."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.pairs import Pair
from programs.models.programs import Program
from programs.querysets import (
    MemorandumQuerySet,
    WorkingGroupQuerySet,
)
from schools.models import Organization
from twinning.lib.codes import new_code
from twinning.lib.collation import vi_order
from twinning.lib.dates import date_errors
from twinning.lib.text import nfc
from twinning.lib.uploads import FileContentValidator, RandomName

User = settings.AUTH_USER_MODEL


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
