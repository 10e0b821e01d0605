"""Site-wide records that belong to no domain noun."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One sending of a form that creates a record (twinning.once): a second sending
    with the same key (a double tap on a slow phone, a reload of the POST, a second
    tab) is answered with the page the first one led to, and saves nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.UUIDField()
    redirect_to = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="submission_once_per_user")]

    def __str__(self):
        return str(self.key)
