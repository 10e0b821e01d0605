"""What waits for someone, told in the portal and by e-mail.

A ``Notification`` is one thing waiting for one user (a pair to answer, an activity to
confirm…), with a link to the page where it is done; its sentence is written when it is
shown, in the reader's language, from its ``kind`` and ``subject``. ``EmailChoice`` is
how the user wants the e-mails: each at once, a daily digest, or none. ``Delivery`` logs
every e-mail sent or attempted, for the Department and the administrators.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    class Kind(models.TextChoices):
        PAIR_TO_ANSWER = "pair_to_answer", _("A pair waits for your answer: %(subject)s")
        ACTIVITY_TO_CONFIRM = "activity_to_confirm", _("An activity waits for your confirmation: %(subject)s")
        ACTIVITY_RETURNED = "activity_returned", _("An activity was returned for changes: %(subject)s")
        PLAN_TO_APPROVE = "plan_to_approve", _("A plan waits for approval: %(subject)s")
        PLAN_RETURNED = "plan_returned", _("A plan was returned for changes: %(subject)s")
        REVIEW_TO_FORWARD = "review_to_forward", _("A year-end review waits to be sent to the Department: %(subject)s")
        REVIEW_TO_RATE = "review_to_rate", _("A year-end review waits for a rating: %(subject)s")
        REVIEW_RETURNED = "review_returned", _("A year-end review was returned for changes: %(subject)s")
        QUIET_PAIR = "quiet_pair", _("A pair has had no activity for 90 days: %(subject)s")
        INVITATION = "invitation", _("You were given a role: %(subject)s")
        DEADLINE_SOON = "deadline_soon", _("A deadline is near: %(subject)s")
        DEADLINE_PASSED = "deadline_passed", _("A deadline has passed: %(subject)s")
        NEED_POSTED = "need_posted", _("The partner school needs support: %(subject)s")
        NEED_PLEDGED = "need_pledged", _("Support was pledged: %(subject)s")
        NEED_RECEIVED = "need_received", _("Your support arrived: %(subject)s")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    subject = models.CharField(_("about"), max_length=300)
    link = models.CharField(_("link"), max_length=300)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        return str(self.Kind(self.kind).label) % {"subject": self.subject}


class EmailChoice(models.Model):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Each one at once")
        DAILY = "daily", _("One summary a day")
        NEVER = "never", _("No e-mail (only in the portal)")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="email_choice"
    )
    mode = models.CharField(_("e-mail me"), max_length=20, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("e-mail choice")
        verbose_name_plural = _("e-mail choices")

    def __str__(self):
        return f"{self.user}: {self.get_mode_display()}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        RETRYING = "retrying", _("failed, will retry")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="deliveries"
    )
    address = models.EmailField(_("address"))
    subject = models.CharField(pgettext_lazy("e-mail", "subject"), max_length=300)
    notifications = models.ManyToManyField(Notification, verbose_name=_("notifications"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.address}: {self.subject}"
