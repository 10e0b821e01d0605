"""Inviting people and accepting invitations. Every check is made on the server: the
unit must be one the inviter manages and the role one that unit's kind has."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Invitation, token_digest
from schools.models import Membership, Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.dates import display_date
from twinning.lib.text import fold, nfc


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
    if (
        Membership.objects.current()
        .filter(user__email__iexact=email, organization=organization, role=role, valid_until__isnull=True)
        .exists()
    ):
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
    _notify_account(invitation)
    return invitation


def _notify_account(invitation: Invitation) -> None:
    """An invitation for the e-mail of an existing account also waits in that
    account's notifications. The notification links to the account's own invitations
    page, never to the e-mail's link: only a digest of that link's token is stored,
    and a notification is a stored row like any other."""
    users = get_user_model().objects.filter(email__iexact=invitation.email, is_active=True)
    if not users:
        return
    from notifications.services import notify

    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{invitation.organization.name} – {invitation.get_role_display()}"
    notify("invitation", users, subject=subject, link=reverse("accounts:my-invitations"), email=False)


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
    _notify_account(invitation)
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


def pending_for(user):
    """The pending invitations for the e-mail of ``user``'s account (any case), oldest
    first: those the user may accept while logged in, without the e-mail's link."""
    email = (getattr(user, "email", "") or "").strip()
    if not email or not user.is_active:
        return Invitation.objects.none()
    return (
        Invitation.objects.pending()
        .filter(email__iexact=email)
        .select_related("organization", "invited_by")
        .order_by("created_at", "pk")
    )


def accept_own(*, user, invitation_id) -> Invitation:
    """Accepts, for the logged-in ``user``, one of the invitations for their e-mail.
    Anything else (someone else's, used, withdrawn, expired, unknown) is
    Invitation.DoesNotExist."""
    invitation = pending_for(user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Invitation.DoesNotExist
    accept(invitation=invitation, user=user)
    return invitation


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
    _grant(user, invitation.organization, invitation.role, invitation.title, timezone.localdate())
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


def _end_switched_off(user, organization, role: str, day) -> None:
    """A switched-off membership left without a last day (roles had no dates at
    first) is ended the day before ``day`` (not before it began), so that a new one
    can start beside it: it is never switched on again, which would say the person
    held the role all along."""
    last_day = day - datetime.timedelta(days=1)
    for membership in Membership.objects.select_for_update().filter(
        user=user, organization=organization, role=role, valid_until__isnull=True, is_active=False
    ):
        membership.valid_until = max(last_day, membership.valid_from or last_day)
        membership.save(update_fields=["valid_until"])


def _grant(user, organization, role: str, title: str, day) -> Membership:
    """The role from ``day`` on. An open membership in the same role and unit that
    is held (active) is kept, starting by ``day`` at the latest; an ended or
    switched-off one stays as it was, with its dates, beside a new one."""
    _end_switched_off(user, organization, role, day)
    membership = (
        Membership.objects.select_for_update()
        .filter(user=user, organization=organization, role=role, valid_until__isnull=True, is_active=True)
        .first()
    )
    if membership is None:
        return Membership.objects.create(
            user=user, organization=organization, role=role, title=title, valid_from=day, is_active=True
        )
    membership.title = title or membership.title
    if membership.valid_from is not None and membership.valid_from > day:
        membership.valid_from = day
    membership.save()
    return membership


# --- People: the roles held in the units one manages ------------------------------


def people(user, text: str = ""):
    """The memberships in the units the user may give roles in: current ones first,
    then those not begun yet, then ended ones; ``text`` narrows by the person's name,
    user name or e-mail, or the unit's name or code (every word must match one)."""
    rows = Membership.objects.filter(organization__in=invitable_units(user)).select_related("user", "organization")
    for word in text.split()[:8]:
        rows = rows.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__username__icontains=word)
            | Q(user__email__icontains=word)
            | Q(organization__search_text__contains=fold(word))
        )
    return rows.current_first().order_by(
        "state", vi_order("organization__name"), vi_order("user__first_name"), "user__username", "-pk"
    )


def _managed_membership(user, membership_id) -> Membership:
    """A membership the user may end or change: in a unit they may give roles in, and
    not their own. Anything else is Membership.DoesNotExist (a 404)."""
    membership = (
        Membership.objects.select_for_update()
        .filter(pk=membership_id, organization__in=invitable_units(user))
        .exclude(user=user)
        .select_related("user", "organization")
        .first()
    )
    if membership is None or not can_invite(user):
        raise Membership.DoesNotExist
    return membership


def _check_end(membership: Membership, last_day, field: str, too_early: str) -> None:
    """``last_day`` may end the role: it is still held then, and began by then."""
    if not membership.is_active or (membership.valid_until is not None and membership.valid_until < last_day):
        raise ValidationError({field: _("This role has already ended.")})
    if membership.valid_from is not None and last_day < membership.valid_from:
        raise ValidationError({field: too_early % {"date": display_date(membership.valid_from)}})


@transaction.atomic
def end_role(*, user, membership_id, last_day) -> Membership:
    """Ends a role on ``last_day`` (its last day): the membership keeps its dates, so the
    unit's history says who held the role when. Only in a unit the user may give roles
    in, never the user's own role."""
    membership = _managed_membership(user, membership_id)
    _check_end(
        membership, last_day, "last_day", _("The role began on %(date)s: the last day cannot be before that day.")
    )
    membership.valid_until = last_day
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def change_role(*, user, membership_id, organization, role: str, title: str, first_day) -> Membership:
    """Ends a role the day before ``first_day`` and gives the same person ``role`` in
    ``organization`` from ``first_day``: the old membership stays with its dates. The
    new unit must be one the user may give roles in, and the role one of its kind."""
    membership = _managed_membership(user, membership_id)
    if not invitable_units(user).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("You cannot give roles in this unit.")})
    if role not in roles_for(organization):
        raise ValidationError({"role": _("This role does not exist in a unit of this kind.")})
    if organization.pk == membership.organization_id and role == membership.role:
        raise ValidationError({"role": _("This person already has this role in this unit.")})
    last_day = first_day - datetime.timedelta(days=1)
    _check_end(
        membership,
        last_day,
        "first_day",
        _("The current role began on %(date)s: the new one can start the day after at the earliest."),
    )
    _end_switched_off(membership.user, organization, role, first_day)
    if (
        Membership.objects.filter(user=membership.user, organization=organization, role=role)
        .exclude(pk=membership.pk)
        .filter(valid_until__isnull=True)
        .exists()
    ):
        raise ValidationError({"role": _("This person already has this role in this unit.")})
    membership.valid_until = last_day
    membership.full_clean()
    membership.save()
    new = Membership(
        user=membership.user,
        organization=organization,
        role=role,
        title=nfc(title),
        valid_from=first_day,
        is_active=True,
    )
    new.full_clean()
    new.save()
    return new
