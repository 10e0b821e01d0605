"""The needs board: what a helped school asks for, who pledged what, what arrived.

A ``Need`` is posted for a pair by its helped side (the mentee: its principal, its
managing body's officers or the Department). The helping side pledges part or all
of it (``Pledge``); when the Department opens the need to other donors, any unit of
the helped school's province may pledge too. The helped side confirms what arrived:
goods become a ``programs.Donation`` in kind, training or a demonstration lesson is
the pair's ``Activity``. Quantities pledged and received, and the status they give,
are kept on the need by ``needs.services`` on every write, so lists never sum.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from needs.querysets import NeedQuerySet, PledgeQuerySet
from programs.models import Activity, Donation, Pair
from schools.models import Organization
from twinning.lib.codes import new_code

User = settings.AUTH_USER_MODEL


class Need(models.Model):
    class Kind(models.TextChoices):
        EQUIPMENT = "equipment", _("Equipment")
        BOOKS = "books", _("Books")
        TRAINING = "training", _("Training in a subject")
        DEMONSTRATION = "demonstration", _("Demonstration lesson")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("need status", "Open")
        PARTLY_PLEDGED = "partly_pledged", pgettext_lazy("need status", "Partly pledged")
        PLEDGED = "pledged", pgettext_lazy("need status", "Fully pledged")
        MET = "met", pgettext_lazy("need status", "Met")
        CLOSED = "closed", pgettext_lazy("need status", "Closed")

    # Needs met by an activity of the pair rather than by a gift.
    ACTIVITY_KINDS = (Kind.TRAINING, Kind.DEMONSTRATION)
    # Statuses the public board shows as still asked for.
    ASKED_STATUSES = (Status.OPEN, Status.PARTLY_PLEDGED, Status.PLEDGED)

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    pair = models.ForeignKey(Pair, verbose_name=_("pair"), on_delete=models.PROTECT, related_name="needs")
    kind = models.CharField(_("kind of need"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("what is needed"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    subject = models.CharField(_("subject taught"), max_length=120, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_label = models.CharField(_("unit of count"), max_length=80)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    is_public = models.BooleanField(_("shown on the public needs board"), default=False)
    open_to_others = models.BooleanField(
        _("open to other donors"),
        default=False,
        help_text=_("Set by the Department: any unit of the province may then pledge."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Kept by needs.services on every pledge and receipt.
    pledged_quantity = models.PositiveIntegerField(_("pledged"), default=0, editable=False)
    received_quantity = models.PositiveIntegerField(_("received"), default=0, editable=False)
    closed_reason = models.CharField(_("why it was closed"), max_length=300, blank=True)
    posted_by = models.ForeignKey(
        User, verbose_name=_("posted by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["pair", "status"], name="needs_need_pair_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="needs_need_quantity_positive",
                violation_error_message=_("The quantity must be a whole number greater than 0."),
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.quantity} {self.unit_label}"

    @property
    def is_met_by_activity(self) -> bool:
        return self.kind in self.ACTIVITY_KINDS

    @property
    def remaining(self) -> int:
        """How much is not pledged yet (0 when fully pledged)."""
        return max(self.quantity - self.pledged_quantity, 0)

    @property
    def percent_received(self) -> int:
        return min(100, round(100 * self.received_quantity / self.quantity)) if self.quantity else 0

    def computed_status(self) -> str:
        if self.status == self.Status.CLOSED:
            return self.Status.CLOSED
        if self.received_quantity >= self.quantity:
            return self.Status.MET
        if self.pledged_quantity >= self.quantity:
            return self.Status.PLEDGED
        if self.pledged_quantity:
            return self.Status.PARTLY_PLEDGED
        return self.Status.OPEN

    def clean(self):
        from django.core.exceptions import ValidationError

        from twinning.lib.text import nfc

        self.title = " ".join(nfc(self.title).split())
        self.unit_label = " ".join(nfc(self.unit_label).split())
        errors = {}
        if self.quantity is not None and self.quantity <= 0:
            errors["quantity"] = _("The quantity must be a whole number greater than 0.")
        if self.pk is None and self.needed_by:
            from django.utils import timezone

            if self.needed_by < timezone.localdate():
                errors["needed_by"] = _("This date has passed: give a date from today on.")
        if self.kind == self.Kind.TRAINING and not self.subject:
            errors["subject"] = _("Say in which subject the training is needed.")
        if errors:
            raise ValidationError(errors)


class Pledge(models.Model):
    class Status(models.TextChoices):
        PLEDGED = "pledged", pgettext_lazy("pledge status", "Pledged")
        RECEIVED = "received", pgettext_lazy("pledge status", "Received")
        WITHDRAWN = "withdrawn", pgettext_lazy("pledge status", "Withdrawn")

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    need = models.ForeignKey(Need, verbose_name=_("need"), on_delete=models.PROTECT, related_name="pledges")
    donor_org = models.ForeignKey(
        Organization, verbose_name=_("pledged by"), on_delete=models.PROTECT, related_name="need_pledges"
    )
    quantity = models.PositiveIntegerField(_("quantity pledged"))
    note = models.TextField(_("note"), blank=True)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLEDGED)
    received_quantity = models.PositiveIntegerField(_("quantity received"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    donation = models.OneToOneField(
        Donation,
        verbose_name=_("support record"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledge",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pledges",
    )
    pledged_by = models.ForeignKey(
        User, verbose_name=_("pledged by (person)"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_by = models.ForeignKey(
        User, verbose_name=_("receipt confirmed by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("pledged at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["need", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="needs_pledge_quantity_positive",
                violation_error_message=_("The quantity must be a whole number greater than 0."),
            ),
            models.CheckConstraint(
                condition=~Q(status="received") | (Q(received_quantity__gt=0) & Q(received_on__isnull=False)),
                name="needs_pledge_received_has_quantity",
                violation_error_message=_("A received pledge needs the quantity received and the date."),
            ),
        ]

    def __str__(self):
        return f"{self.donor_org.display_name}: {self.quantity} {self.need.unit_label}"

    @property
    def counted_quantity(self) -> int:
        """What this pledge counts for in the need's pledged quantity."""
        if self.status == self.Status.WITHDRAWN:
            return 0
        if self.status == self.Status.RECEIVED:
            return self.received_quantity or 0
        return self.quantity
