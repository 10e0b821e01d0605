"""Donations: money or gifts in kind, from a unit or an outside donor."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from programs.models.memoranda import _scan_validator
from programs.models.pairs import Pair
from programs.models.programs import Program
from programs.querysets import (
    DonationQuerySet,
)
from schools.models import Organization
from twinning.lib.codes import new_code
from twinning.lib.dates import past_date_error
from twinning.lib.text import nfc
from twinning.lib.uploads import RandomName

User = settings.AUTH_USER_MODEL


class Donation(models.Model):
    """Support given in a program: sponsorship of students, gift packages,
    scholarships, equipment, books. The amount is whole đồng. The note about
    beneficiaries is private to the two sides' staff, their officers and the
    department; public pages show only totals."""

    class Kind(models.TextChoices):
        SPONSORSHIP = "sponsorship", _("Student sponsorship")
        GIFT = "gift", _("Gift packages")
        SCHOLARSHIP = "scholarship", _("Scholarship")
        EQUIPMENT = "equipment", _("Equipment")
        BOOKS = "books", _("Books")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=12, unique=True, default=new_code, editable=False)
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="donations")
    pair = models.ForeignKey(
        Pair, verbose_name=_("pair"), on_delete=models.PROTECT, null=True, blank=True, related_name="donations"
    )

    class Nature(models.TextChoices):
        MONEY = "money", _("In money")
        IN_KIND = "in_kind", _("In kind")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    nature = models.CharField(_("given as"), max_length=10, choices=Nature.choices, default=Nature.MONEY)
    amount = models.BigIntegerField(
        _("amount (VND)"),
        null=True,
        blank=True,
        help_text=_("Whole đồng, e.g. 240.000.000. Required for money; for a gift in kind, its value if known."),
    )
    # A gift in kind: how many of what ("35 bộ máy tính", "1.200 cuốn sách").
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    unit_label = models.CharField(
        _("items"), max_length=80, blank=True, help_text=_("What was given, e.g. “bộ máy tính”, “cuốn sách”.")
    )
    packages = models.PositiveIntegerField(_("number of packages"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("number of beneficiaries"), null=True, blank=True)
    given_on = models.DateField(_("date"), db_index=True)
    donor_org = models.ForeignKey(
        Organization,
        verbose_name=_("donor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations_given",
    )
    donor_name = models.CharField(
        _("donor's name"),
        max_length=255,
        blank=True,
        help_text=_("Who gave it, e.g. “Nhà giáo quận Nam Từ Liêm” or an outside sponsor."),
    )
    recipient = models.ForeignKey(
        Organization, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="donations_received"
    )
    description = models.TextField(_("description"), blank=True)
    receipt = models.FileField(
        _("receipt scan"),
        upload_to=RandomName("private/receipts"),
        blank=True,
        validators=[_scan_validator()],
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
    )
    private_note = models.TextField(
        _("private note about beneficiaries"),
        blank=True,
        help_text=_(
            "Seen only by the staff of the two schools, the bodies that manage them and the department. Never public."
        ),
    )
    note_consent = models.CharField(
        _("consent to keep the children's names"),
        max_length=300,
        blank=True,
        help_text=_("Who agreed, and how: the parent or guardian, and the pupil from the age of 7."),
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_org = models.ForeignKey(
        Organization,
        verbose_name=_("recorded for"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-given_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="programs_donation_amount_positive",
                violation_error_message=_("The amount must be greater than 0 đồng."),
            ),
            models.CheckConstraint(
                condition=~Q(nature="money") | Q(amount__isnull=False),
                name="programs_donation_money_has_amount",
                violation_error_message=_("Enter the amount in đồng of support given in money."),
            ),
            models.CheckConstraint(
                condition=~Q(nature="in_kind") | (Q(quantity__isnull=False, quantity__gt=0) & ~Q(unit_label="")),
                name="programs_donation_in_kind_has_items",
                violation_error_message=_("A gift in kind needs its quantity and what was given."),
            ),
            models.CheckConstraint(
                condition=~Q(nature="money") | (Q(quantity__isnull=True) & Q(unit_label="")),
                name="programs_donation_money_has_no_items",
                violation_error_message=_("A quantity of items belongs to a gift in kind."),
            ),
            models.CheckConstraint(
                condition=Q(donor_org__isnull=False) | ~Q(donor_name=""),
                name="programs_donation_has_donor",
                violation_error_message=_("Choose the donor organization or type the donor's name."),
            ),
        ]

    def __str__(self):

        return f"{self.get_kind_display()} – {self.value_display} – {self.recipient.display_name}"

    @property
    def is_in_kind(self) -> bool:
        return self.nature == self.Nature.IN_KIND

    @property
    def items_display(self) -> str:
        """ "35 bộ máy tính" for a gift in kind, "" for money."""
        from twinning.lib.money import format_count

        return f"{format_count(self.quantity)} {self.unit_label}" if self.is_in_kind and self.quantity else ""

    @property
    def value_display(self) -> str:
        """What a list shows of this record: the amount of money; the items of a gift
        in kind, with its value when one was given (never "0 ₫" for a missing one)."""
        return self.value_text()

    @property
    def value_html(self) -> str:
        """``value_display`` for a page: escaped, the items (typed in Vietnamese) marked
        lang="vi" on a page in another language (``mark_vi``)."""
        return self.value_text(html=True)

    def value_text(self, html: bool = False) -> str:
        """``value_display``; with ``html``, ``value_html``."""
        from twinning.lib.i18n import mark_vi
        from twinning.lib.money import format_vnd

        def text(value):
            return conditional_escape(value) if html else value

        if not self.is_in_kind:
            return text(format_vnd(self.amount))
        items = mark_vi(self.items_display) if html and self.items_display else text(self.items_display)
        if not self.amount:
            return items
        value = text(_("%(items)s (value %(amount)s)")) % {"items": items, "amount": text(format_vnd(self.amount))}
        return mark_safe(value) if html else value

    @property
    def donor_display(self):
        return self.donor_name or (self.donor_org.display_name if self.donor_org_id else "")

    def clean(self):
        self.donor_name = nfc(self.donor_name)
        errors = {}
        date_error = past_date_error(
            self.given_on,
            future_message=_("The date cannot be later than today: record support once it has been given."),
        )
        if date_error:
            errors["given_on"] = date_error
        self.unit_label = " ".join(nfc(self.unit_label).split())
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("The amount must be greater than 0 đồng.")
        elif self.nature == self.Nature.MONEY and self.amount is None:
            errors["amount"] = _("Enter the amount in đồng of support given in money.")
        if self.nature == self.Nature.IN_KIND:
            if not self.quantity:
                errors["quantity"] = _("Enter how many items were given (a whole number greater than 0).")
            if not self.unit_label:
                errors["unit_label"] = _("Say what was given, e.g. “bộ máy tính” or “cuốn sách”.")
        elif self.quantity is not None or self.unit_label:
            errors["quantity"] = _(
                "A quantity of items belongs to a gift in kind: choose “In kind” or leave the quantity and items empty."
            )
        if not self.donor_org_id and not self.donor_name:
            errors["donor_name"] = _("Choose the donor organization or type the donor's name.")
        if self.pair_id and self.program_id and self.pair.program_id != self.program_id:
            errors["pair"] = _("The pair belongs to another program.")
        if errors:
            raise ValidationError(errors)
