"""Invitations: staff give a person a role in a unit within their own scope; the person
gets an e-mail with a link (valid INVITATION_DAYS, single use) to set up their account,
or to add the role to the account they have. Only a digest of the link's token is kept."""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schools.models import Membership, Organization

INVITATION_DAYS = 3


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        now = now or timezone.now()
        return self.filter(accepted_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=now)

    def managed_by(self, user):
        """Invitations into the units the user manages (any inviter)."""
        return self.filter(organization__in=Organization.objects.editable_by(user))


class Invitation(models.Model):
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=150)
    organization = models.ForeignKey(
        Organization, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(_("role"), max_length=30, choices=Membership.Role.choices)
    title = models.CharField(_("job title"), max_length=120, blank=True, help_text=_("e.g. Hiệu trưởng, Chuyên viên"))
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.email} → {self.organization} ({self.get_role_display()})"

    @staticmethod
    def expiry(now=None):
        return (now or timezone.now()) + datetime.timedelta(days=INVITATION_DAYS)

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None and self.expires_at > timezone.now()
