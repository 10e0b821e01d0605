"""Telling people what waits for them: ``notify`` records the notifications and, after
the transaction commits, queues the e-mail of each user who wants them at once;
``deliver`` sends one e-mail (a notification or a day's digest) and logs it, retrying
a failed send a few times through the queue."""

from __future__ import annotations

import datetime
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import Delivery, EmailChoice, Notification

MAX_ATTEMPTS = 3
RETRY_AFTER = datetime.timedelta(minutes=10)  # times the attempt number


def notify(kind: str, users, *, subject: str, link: str, email: bool = True) -> list[Notification]:
    """One notification of ``kind`` about ``subject`` (a pair's or an activity's name)
    for each of ``users``, linking to ``link``; the e-mails follow the commit (none
    with ``email=False``, when the news already went by its own e-mail)."""
    users = list({user.pk: user for user in users if user is not None and user.is_active}.values())
    if not users:
        return []
    # A notification that must not be e-mailed counts as sent: no digest picks it up.
    emailed_at = None if email else timezone.now()
    rows = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, subject=subject[:300], link=link[:300], emailed_at=emailed_at)
        for user in users
    )
    if not email:
        return rows
    later_or_never = set(
        EmailChoice.objects.filter(user__in=users)
        .exclude(mode=EmailChoice.Mode.IMMEDIATE)
        .values_list("user_id", flat=True)
    )
    ids = [row.pk for row in rows if row.user.email and row.user_id not in later_or_never]
    if ids:
        from notifications.tasks import send_notification

        transaction.on_commit(lambda: [send_notification.enqueue(pk) for pk in ids])
    return rows


def absolute(link: str) -> str:
    return settings.SITE_URL.rstrip("/") + link


def deliver(user, notifications: list[Notification], *, digest: bool = False, attempt: int = 1) -> Delivery | None:
    """Sends ``user`` the e-mail for ``notifications`` (one, or a day's digest), in
    Vietnamese, with links straight to the pages and nothing private; logs it. A failed
    send is retried later through the queue, up to MAX_ATTEMPTS."""
    if not user.email or not notifications:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        if digest:
            subject = _("Kết nghĩa: %(n)s things wait for you") % {"n": len(notifications)}
        else:
            subject = _("Kết nghĩa: %(text)s") % {"text": notifications[0].text}
        items = [{"text": n.text, "url": absolute(f"/notifications/{n.pk}/")} for n in notifications]
        body = render_to_string(
            "notifications/email.txt",
            {"user": user, "items": items, "digest": digest, "settings_url": absolute("/notifications/")},
        )
    subject = " ".join(subject.split())[:300]
    delivery = Delivery.objects.create(
        user=user, address=user.email, subject=subject, status=Delivery.Status.FAILED, attempts=attempt
    )
    delivery.notifications.set(notifications)
    try:
        send_mail(subject, body, None, [user.email])
    except (smtplib.SMTPException, OSError) as error:
        delivery.error = f"{type(error).__name__}: {error}"[:500]
        if attempt < MAX_ATTEMPTS and _can_retry():
            from notifications.tasks import retry_delivery

            delivery.status = Delivery.Status.RETRYING
            retry_delivery.using(run_after=timezone.now() + RETRY_AFTER * attempt).enqueue(
                user.pk, [n.pk for n in notifications], digest, attempt + 1
            )
        delivery.save(update_fields=["status", "error"])
        return delivery
    now = timezone.now()
    delivery.status, delivery.sent_at = Delivery.Status.SENT, now
    delivery.save(update_fields=["status", "sent_at"])
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
    return delivery


def _can_retry() -> bool:
    """Whether the queue can run the retry later (the database queue can; the
    immediate one of the tests cannot, so the first failure is final there)."""
    from notifications.tasks import retry_delivery

    return retry_delivery.get_backend().supports_defer


def send_digests(now=None) -> int:
    """The daily digest: one e-mail to each user who chose it, listing what waits for
    them, unread and not e-mailed yet. Returns how many were sent."""
    users = (
        EmailChoice.objects.filter(mode=EmailChoice.Mode.DAILY)
        .exclude(user__email="")
        .filter(user__is_active=True)
        .select_related("user")
    )
    sent = 0
    for choice in users:
        pending = list(
            Notification.objects.filter(user=choice.user, read_at__isnull=True, emailed_at__isnull=True).order_by(
                "created_at"
            )
        )
        delivery = deliver(choice.user, pending, digest=True)
        sent += bool(delivery and delivery.status == Delivery.Status.SENT)
    return sent
