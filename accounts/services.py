"""Inviting people and accepting invitations. Every check is made on the server: the
unit must be one the inviter manages and the role one that unit's kind has."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, token_digest
from schools.models import Membership, Organization
from schools.scope import scope_for
from twinning.lib.text import nfc


def can_invite(user) -> bool:
    return scope_for(user).can_manage_pairs


def invitable_units(user):
    """The units the user may give roles in: those they manage, operating today."""
    return Organization.objects.editable_by(user).operating()


def roles_for(organization) -> list[str]:
    return [role for role, kind in Membership.ROLE_KIND.items() if kind == organization.kind]


def _send(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:accept", kwargs={"token": token})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Kết nghĩa: an invitation to %(unit)s") % {"unit": invitation.organization.name}
        body = render_to_string(
            "accounts/invitation_email.txt",
            {"invitation": invitation, "link": link, "days": (invitation.expires_at - timezone.now()).days or 1},
        )
    send_mail(" ".join(subject.split()), body, None, [invitation.email])
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])


@transaction.atomic
def invite(*, user, email: str, full_name: str, organization, role: str, title: str = "") -> Invitation:
    if not can_invite(user) or not invitable_units(user).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("You cannot give roles in this unit.")})
    if role not in roles_for(organization):
        raise ValidationError({"role": _("This role does not exist in a unit of this kind.")})
    email = email.strip().lower()
    if Invitation.objects.pending().filter(email__iexact=email, organization=organization, role=role).exists():
        raise ValidationError({"email": _("This person already has a pending invitation to this role: resend it.")})
    if Membership.objects.filter(
        user__email__iexact=email, organization=organization, role=role, is_active=True
    ).exists():
        raise ValidationError({"email": _("This person already has this role in this unit.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        full_name=nfc(full_name),
        organization=organization,
        role=role,
        title=nfc(title),
        token_digest=token_digest(token),
        invited_by=user,
        expires_at=Invitation.expiry(),
    )
    transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def _managed(user, invitation_id) -> Invitation:
    invitation = Invitation.objects.managed_by(user).filter(pk=invitation_id).first()
    if invitation is None or not can_invite(user):
        raise Invitation.DoesNotExist
    return invitation


@transaction.atomic
def resend(*, user, invitation_id) -> Invitation:
    """A new link (the old one stops working), valid INVITATION_DAYS from now."""
    invitation = _managed(user, invitation_id)
    if invitation.accepted_at or invitation.withdrawn_at:
        raise ValidationError(_("This invitation was accepted or withdrawn; invite again if needed."))
    token = secrets.token_urlsafe(32)
    invitation.token_digest = token_digest(token)
    invitation.expires_at = Invitation.expiry()
    invitation.save(update_fields=["token_digest", "expires_at"])
    transaction.on_commit(lambda: _send(invitation, token))
    return invitation


def withdraw(*, user, invitation_id) -> Invitation:
    invitation = _managed(user, invitation_id)
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted: end the role instead."))
    invitation.withdrawn_at = invitation.withdrawn_at or timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


def find(token: str) -> Invitation | None:
    """The pending invitation of this link, or None (unknown, used, withdrawn or expired)."""
    return Invitation.objects.pending().select_related("organization").filter(token_digest=token_digest(token)).first()


@transaction.atomic
def accept(*, invitation: Invitation, user=None, username: str = "", password: str = "") -> object:
    """Gives the role: to ``user`` (logged in, with the invited e-mail), else to a new
    account made with ``username`` and ``password``. The link cannot be used again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation can no longer be used."))
    if user is None:
        user = get_user_model().objects.create_user(
            username=username, email=invitation.email, password=password, first_name=invitation.full_name
        )
    Membership.objects.update_or_create(
        user=user,
        organization=invitation.organization,
        role=invitation.role,
        defaults={"is_active": True, "title": invitation.title},
    )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user
