"""Who opened a donation's private note, when and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models.donations import Donation

User = settings.AUTH_USER_MODEL


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
