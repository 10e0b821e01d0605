"""Forms of the needs board: post or change a need, pledge, confirm what arrived.
They validate and normalise; ``needs.services`` writes."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from needs.models import Need, Pledge
from needs.services import receivable, too_much_received
from programs.forms.donations import VNDField
from programs.models import Activity


def _helper(layout=None) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    if layout is not None:
        helper.layout = layout
    return helper


class NeedForm(forms.ModelForm):
    pair = forms.ModelChoiceField(queryset=None, label=_("For the pair"), empty_label=_("— Choose —"))

    class Meta:
        model = Need
        fields = ["pair", "kind", "title", "subject", "quantity", "unit_label", "needed_by", "description", "is_public"]
        labels = {
            "kind": _("Kind of need"),
            "title": _("What is needed"),
            "subject": _("Subject (for training)"),
            "quantity": _("Quantity"),
            "unit_label": _("Unit of count"),
            "needed_by": _("Needed by"),
            "description": _("Details"),
            "is_public": _("Show on the public needs board"),
        }
        help_texts = {
            "title": _("e.g. “Máy tính cho phòng tin học”, “Sách tham khảo Ngữ văn 6”."),
            "unit_label": _("e.g. “bộ máy tính”, “cuốn sách”, “buổi chuyên đề”."),
            "description": _(
                "Seen by the two schools, the bodies that manage them and the Department; never on the public site."
            ),
            "is_public": _(
                "The public board shows what is needed, the quantities and the two units' names; never people's names "
                "or the details above."
            ),
        }
        widgets = {
            "quantity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "needed_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, pairs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pair"].queryset = pairs
        self.fields["pair"].label_from_instance = lambda p: f"{p.mentor.display_name} → {p.mentee.display_name}"
        self.fields["kind"].choices = [("", _("— Choose —")), *Need.Kind.choices]
        self.fields["quantity"].error_messages["required"] = _("Enter the quantity needed (a whole number).")
        self.fields["unit_label"].error_messages["required"] = _("Enter the unit, e.g. “bộ máy tính”.")
        self.fields["title"].error_messages["required"] = _("Say what is needed.")
        if self.instance.pk:
            # A need stays with its pair.
            del self.fields["pair"]
        self.helper = _helper(
            Layout(
                *(["pair"] if "pair" in self.fields else []),
                "kind",
                "title",
                "subject",
                Div(
                    Column("quantity", css_class="col-5"), Column("unit_label", css_class="col-7"), css_class="row g-2"
                ),
                "needed_by",
                "description",
                "is_public",
            )
        )


class PledgeForm(forms.Form):
    donor_org = forms.ModelChoiceField(queryset=None, label=_("On behalf of"), empty_label=None)
    quantity = forms.IntegerField(
        label=_("Quantity pledged"),
        min_value=1,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={"required": _("Enter the quantity pledged (a whole number).")},
    )
    expected_on = forms.DateField(
        label=_("Expected on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Seen by the two schools, the bodies that manage them, the Department and the pledging unit; never public."
        ),
    )

    def __init__(self, *args, need: Need, donors, **kwargs):
        super().__init__(*args, **kwargs)
        self.need = need
        self.fields["donor_org"].queryset = donors
        self.fields["quantity"].max_value = need.remaining or None
        self.fields["quantity"].help_text = _("Still needed: %(n)s %(unit)s.") % {
            "n": need.remaining,
            "unit": need.unit_label,
        }
        if not self.is_bound:
            self.fields["quantity"].initial = need.remaining or None
        self.helper = _helper()

    def clean_expected_on(self):
        day = self.cleaned_data.get("expected_on")
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("This date has passed: give a date from today on."))
        return day


class ReceiveForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Quantity received"),
        min_value=1,
        widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        error_messages={"required": _("Enter the quantity received (a whole number).")},
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date it arrived.")},
    )
    amount = VNDField(
        label=_("Value (đồng, not required)"),
        required=False,
        help_text=_("The money value of what arrived, if known. Left empty, no value is recorded (not 0 đồng)."),
    )
    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label=_("Activity of the pair"), required=False, empty_label=_("— Choose —")
    )

    def __init__(self, *args, pledge: Pledge, activities=None, **kwargs):
        super().__init__(*args, **kwargs)
        need = pledge.need
        if not self.is_bound:
            self.fields["quantity"].initial = pledge.quantity
            self.fields["received_on"].initial = timezone.localdate()
        self.pledge = pledge
        self.fields["quantity"].help_text = _("Pledged: %(n)s %(unit)s.") % {
            "n": pledge.quantity,
            "unit": need.unit_label,
        }
        self.fields["quantity"].widget.attrs["max"] = receivable(pledge)
        if need.is_met_by_activity:
            del self.fields["amount"]
            self.fields["activity"].queryset = activities
            self.fields["activity"].required = True
            self.fields["activity"].error_messages["required"] = _(
                "Choose the pair's activity in which this took place."
            )
            self.fields["activity"].label_from_instance = lambda a: f"{a.happened_on:%d/%m/%Y} – {a.title}"
        else:
            del self.fields["activity"]
        self.helper = _helper()

    def clean_quantity(self):
        quantity = self.cleaned_data["quantity"]
        problem = too_much_received(self.pledge, quantity)
        if problem:
            raise forms.ValidationError(problem)
        return quantity


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("Why (not required)"), required=False, max_length=300)
