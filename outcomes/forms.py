from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from outcomes.models import Goal, Indicator
from outcomes.services import number_rule, parse_value
from schools.models import Organization
from twinning.lib.i18n import VietnameseSelect, mark_vi

DUPLICATE_CODE = _("The Department already has an indicator with this code.")


def _donation_label(donation):
    """ "20/11/2026 – Books – 300 cuốn sách – PTNT TH&THCS Nhôn Mai", the items and the
    recipient marked as Vietnamese (the kind and the sum are in the page's language)."""
    return format_html(
        "{} – {} – {} – {}",
        f"{donation.given_on:%d/%m/%Y}",
        donation.get_kind_display(),
        donation.value_html,
        mark_vi(donation.recipient.display_name),
    )


class IndicatorForm(forms.ModelForm):
    levels = forms.MultipleChoiceField(
        label=_("School levels"),
        choices=Organization.Level.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every level."),
    )

    class Meta:
        model = Indicator
        fields = [
            "name",
            "code",
            "unit",
            "direction",
            "decimals",
            "minimum",
            "maximum",
            "tolerance",
            "levels",
            "entered_by",
            "is_public",
            "order",
            "is_active",
        ]
        widgets = {"direction": forms.RadioSelect, "entered_by": forms.RadioSelect}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.fields["decimals"].widget.attrs.update({"min": 0, "max": 4})

    def clean_code(self):
        """One code per Department whatever its case: the sheet's columns are matched
        without case (outcomes_indicator_unique_code says the same in the database)."""
        code = self.cleaned_data["code"]
        taken = Indicator.objects.filter(owner=self.instance.owner, code__iexact=code).exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(DUPLICATE_CODE, code="unique")
        return code

    def clean_decimals(self):
        value = self.cleaned_data["decimals"]
        if value > 4:
            raise ValidationError(_("At most 4 decimal places."))
        return value


class SchoolValuesForm(forms.Form):
    """One field per indicator of the school: a number typed as Vietnamese write it
    (12,5) or as Excel does (12.5); empty clears the value."""

    def __init__(self, *args, indicators, editable, **kwargs):
        super().__init__(*args, **kwargs)
        self.number_rule = number_rule()
        self.indicators = {}
        for indicator in indicators:
            name = f"i{indicator.pk}"
            help_text = str(indicator.get_direction_display())
            if indicator.minimum is not None or indicator.maximum is not None:
                low = "…" if indicator.minimum is None else f"{indicator.minimum.normalize():f}"
                high = "…" if indicator.maximum is None else f"{indicator.maximum.normalize():f}"
                help_text += f" · {low} – {high}"
            self.fields[name] = forms.CharField(
                label=mark_vi(str(indicator)),
                required=False,
                max_length=30,
                help_text=help_text,
                disabled=indicator.pk not in editable,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.indicators[name] = indicator

    def clean(self):
        data = super().clean()
        self.values = {}
        for name, indicator in self.indicators.items():
            if self.fields[name].disabled:
                continue
            try:
                self.values[indicator] = parse_value(data.get(name), indicator)
            except ValidationError as error:
                self.add_error(name, error)
        return data


class ValuesUploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx) or CSV"))


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "indicator", "target", "due_year", "status", "progress_note", "activities", "donations"]
        widgets = {
            "indicator": VietnameseSelect,
            "activities": forms.CheckboxSelectMultiple,
            "donations": forms.CheckboxSelectMultiple,
            "progress_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, pair, years, **kwargs):
        from outcomes.services import indicators_for
        from programs.models import Activity, Donation
        from programs.querysets import COUNTED_ACTIVITY_STATUSES

        super().__init__(*args, **kwargs)
        self.instance.pair = pair
        indicators = indicators_for(pair.mentee)
        self.fields["indicator"].queryset = Indicator.objects.filter(pk__in=[i.pk for i in indicators])
        self.fields["indicator"].required = False
        self.fields["due_year"] = forms.ChoiceField(
            label=self.fields["due_year"].label, choices=[(y, y.replace("-", "–")) for y in years]
        )
        self.fields["activities"].queryset = Activity.objects.filter(
            pair=pair, status__in=COUNTED_ACTIVITY_STATUSES
        ).order_by("-happened_on")
        self.fields["activities"].label_from_instance = lambda a: format_html(
            "{} – {}", f"{a.happened_on:%d/%m/%Y}", mark_vi(a.title)
        )
        self.fields["donations"].queryset = Donation.objects.filter(pair=pair).order_by("-given_on")
        self.fields["donations"].label_from_instance = _donation_label
        self.fields["target"].widget.attrs["inputmode"] = "decimal"
        self.fields["status"].help_text = _("With an indicator and a target, worked out from the values entered.")

    def clean(self):
        data = super().clean()
        if data.get("target") is not None and data.get("indicator") is not None:
            data["status"] = self.instance.status  # derived, not chosen
        return data
