"""The roles users hold in organizations, with their dates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from schools.models.organizations import Organization
from schools.querysets import MembershipQuerySet
from twinning.lib.collation import vi_order


class Membership(models.Model):
    """A user's role in one organization, held from ``valid_from`` to ``valid_until``
    (the last day; either may be empty: since always, until further notice). A user's
    scope is the union of their current memberships (see schools.scope and
    ``MembershipQuerySet.current``). A role is changed by ending it and starting a new
    membership, so the old unit keeps who held which role when (a principal who moves
    school stays in the history of the old one)."""

    class Role(models.TextChoices):
        DEPARTMENT_STAFF = "department_staff", _("Department staff")
        OFFICE_OFFICER = "office_officer", _("District office officer")
        COMMUNE_OFFICER = "commune_officer", _("Commune education officer")
        CLUSTER_HEAD = "cluster_head", _("Cluster head")
        PRINCIPAL = "principal", _("Principal")
        TEACHER = "teacher", _("Teacher")
        UNION_OFFICER = "union_officer", _("Trade union officer")

    # The organization kind each role belongs to.
    ROLE_KIND = {
        Role.DEPARTMENT_STAFF: Organization.Kind.DEPARTMENT,
        Role.OFFICE_OFFICER: Organization.Kind.OFFICE,
        Role.COMMUNE_OFFICER: Organization.Kind.COMMUNE_COMMITTEE,
        Role.CLUSTER_HEAD: Organization.Kind.CLUSTER,
        Role.PRINCIPAL: Organization.Kind.SCHOOL,
        Role.TEACHER: Organization.Kind.SCHOOL,
        Role.UNION_OFFICER: Organization.Kind.UNION,
    }

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("title"), max_length=120, blank=True, help_text=_("e.g. Trưởng phòng, Hiệu trưởng"))
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Switched off, the role gives nothing whatever its dates.")
    )
    valid_from = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Empty: since before the records of the portal.")
    )
    valid_until = models.DateField(_("until"), null=True, blank=True, help_text=_("The last day. Empty: still so."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = [vi_order("organization__name"), "user__username"]
        constraints = [
            # One open membership per person, unit and role; ended ones stay beside it.
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                condition=Q(valid_until__isnull=True),
                name="schools_membership_one_open_role",
                violation_error_message=_("This user already has this role in this organization."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="schools_membership_dates_in_order",
                violation_error_message=_("A role cannot end before it begins."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.organization}"

    def save(self, *args, **kwargs):
        """A role switched off (in the admin) without a last day ends that day, so it
        is never taken for an open role that a later grant would switch on again."""
        if not self.is_active and self.valid_until is None:
            from django.utils import timezone

            today = timezone.localdate()
            self.valid_until = max(today, self.valid_from) if self.valid_from else today
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "valid_until"}
        super().save(*args, **kwargs)

    def covers(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or self.valid_until >= day
        )

    def state_on(self, day=None) -> str:
        """Returns "current", "upcoming" (begins later) or "ended" (ended or switched off)."""
        from django.utils import timezone

        day = day or timezone.localdate()
        if not self.is_active or (self.valid_until is not None and self.valid_until < day):
            return "ended"
        if self.valid_from is not None and self.valid_from > day:
            return "upcoming"
        return "current"

    @property
    def is_current(self) -> bool:
        return self.state_on() == "current"

    def clean(self):
        expected = self.ROLE_KIND.get(self.role)
        if self.organization_id and expected and self.organization.kind != expected:
            raise ValidationError(
                {
                    "organization": _("The role “%(role)s” belongs to a %(kind)s.")
                    % {"role": self.get_role_display(), "kind": Organization.Kind(expected).label.lower()}
                }
            )
