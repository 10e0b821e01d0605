"""Form for a sponsorship record of a pair, and the money field it uses."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.forms.activities import host_choices_for
from programs.models import Donation, Pair
from twinning.lib.money import parse_vnd

SCAN_ACCEPT = "application/pdf,image/jpeg,image/png"


def group_thousands(amount: int) -> str:
    """240000000 → "240.000.000" (how Vietnamese write amounts, without the ₫)."""
    return f"{amount:,}".replace(",", ".")


class VNDInput(forms.TextInput):
    """Shows an amount grouped ("240.000.000"), also when the form comes back with an
    error; text that is not an amount is shown as typed."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return None
        try:
            return group_thousands(parse_vnd(value))
        except ValidationError:
            return str(value)


class VNDField(forms.Field):
    """Whole đồng typed as "240.000.000", "240000000" or "240 000 000"."""

    widget = VNDInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        return parse_vnd(value)


class DonationForm(forms.ModelForm):
    # Not required in the browser: a gift in kind may have no value, and a blank amount
    # of money gets the model's message naming the field (not a browser tooltip).
    amount = VNDField(
        label=_("Amount (đồng)"),
        required=False,
        help_text=_("e.g. 240.000.000. For a gift in kind: its value, if known (not required)."),
    )
    remove_receipt = forms.BooleanField(label=_("Remove the stored receipt scan"), required=False)

    class Meta:
        model = Donation
        fields = [
            "kind",
            "nature",
            "given_on",
            "amount",
            "quantity",
            "unit_label",
            "packages",
            "beneficiaries",
            "donor_org",
            "donor_name",
            "recipient",
            "description",
            "receipt",
            "private_note",
            "note_consent",
        ]
        labels = {
            "kind": _("Kind of sponsorship"),
            "nature": _("Given as"),
            "quantity": _("Quantity (in kind)"),
            "unit_label": _("Items (in kind)"),
            "given_on": _("Date given"),
            "packages": _("Packages"),
            "beneficiaries": _("Beneficiaries"),
            "donor_org": _("Donor (unit)"),
            "donor_name": _("Donor's name"),
            "recipient": _("Recipient"),
            "description": _("Description"),
            "receipt": _("Receipt scan"),
            "private_note": _("Private note about beneficiaries"),
            "note_consent": _("Consent to keep the names"),
        }
        help_texts = {
            "unit_label": _("What was given, e.g. “bộ máy tính”, “cuốn sách”."),
            "donor_org": _(
                "Leave it on “— Choose —” when the donor is not a unit of the pair, and type the name below."
            ),
            "donor_name": _("As it should be shown, e.g. “Nhà giáo quận Nam Từ Liêm” or an outside sponsor."),
            "private_note": _(
                "Only what the sponsorship needs: the children's names and classes. Seen only by the staff of the two "
                "schools, the bodies that manage them and the department (each opening by the department is logged); "
                "never public, never exported; erased automatically %(days)s days after the support was given."
            ),
            "note_consent": _(
                "Required with names: who agreed and how, e.g. “Cha mẹ các em đồng ý bằng văn bản ngày 05/09/2026; "
                "các em trên 7 tuổi cũng đồng ý”."
            ),
        }
        widgets = {
            "given_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "nature": forms.RadioSelect,
            "quantity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "packages": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "beneficiaries": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "private_note": forms.Textarea(attrs={"rows": 3}),
            "receipt": forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
        }

    def __init__(self, *args, pair: Pair, show_private: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        units = host_choices_for(pair)
        self.fields["kind"].choices = [("", _("— Choose —")), *Donation.Kind.choices]
        # Money unless said otherwise (a form sent without the choice records money).
        self.fields["nature"].required = False
        self.fields["donor_org"].queryset = units
        self.fields["donor_org"].empty_label = _("— Choose —")
        self.fields["recipient"].queryset = units
        self.fields["recipient"].empty_label = _("— Choose —")
        self.fields["receipt"].help_text = _("PDF, JPEG or PNG, at most 10 MB.")
        if not self.instance.receipt:
            del self.fields["remove_receipt"]
        if not show_private:
            del self.fields["private_note"]
            del self.fields["note_consent"]
        else:
            self.fields["private_note"].help_text = self.fields["private_note"].help_text % {
                "days": settings.PUPIL_NOTE_DAYS
            }
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        receipt = ["receipt", "remove_receipt"] if "remove_receipt" in self.fields else ["receipt"]
        private = ["private_note", "note_consent"] if show_private else []
        self.helper.layout = Layout(
            Fieldset(_("The support"), "kind", "nature", "given_on", "amount"),
            Div(Column("quantity", css_class="col-5"), Column("unit_label", css_class="col-7"), css_class="row g-2"),
            Div(Column("packages", css_class="col-6"), Column("beneficiaries", css_class="col-6"), css_class="row g-2"),
            Fieldset(_("From and to"), "donor_org", "donor_name", "recipient"),
            Fieldset(_("Details"), "description", *receipt, *private),
        )

    def clean(self):
        cleaned = super().clean()
        note = (cleaned.get("private_note") or "").strip()
        if note and not (cleaned.get("note_consent") or "").strip():
            self.add_error(
                "note_consent",
                _("Children's names are kept only with the consent of their parents or guardians: say who agreed."),
            )
        if not note:
            cleaned["note_consent"] = ""
        cleaned["nature"] = cleaned.get("nature") or Donation.Nature.MONEY
        return cleaned

    def _post_clean(self):
        # The model's clean() compares the pair's program with the donation's.
        self.instance.pair = self.pair
        self.instance.program = self.pair.program
        super()._post_clean()
