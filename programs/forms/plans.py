"""Forms for a pair's annual plan: starting one for a school year, and its items."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.models import ActivityKind, Plan, PlanItem
from twinning.lib.schoolyear import display_school_year

_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(-\d{1,2})?$"),  # 2026-12 (what <input type=month> sends)
    re.compile(r"^(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})$"),  # 12/2026, as people write it
)


class MonthInput(forms.TextInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.Field):
    """A month, typed "12/2026" or picked in a month input ("2026-12"); cleans to the
    first day of the month."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as MM/YYYY, for example 12/2026.")}

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = (value or "").strip()
        if not text:
            return None
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match and 1 <= int(match["m"]) <= 12:
                return datetime.date(int(match["y"]), int(match["m"]), 1)
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class PlanStartForm(forms.Form):
    school_year = forms.ChoiceField(label=_("School year"))

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = [(year, display_school_year(year)) for year in years]


class PlanNoteForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["note"]
        labels = {"note": _("Note on the plan")}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class PlanItemForm(forms.ModelForm):
    planned_month = MonthField(label=_("Month"))

    class Meta:
        model = PlanItem
        fields = ["kind", "title", "planned_month", "responsible"]
        labels = {"kind": _("Kind of activity"), "title": _("Planned activity"), "responsible": _("Who is responsible")}
        widgets = {"title": forms.TextInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("— Choose —")), *ActivityKind.choices]


class BasePlanItemFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this item")


PlanItemFormSet = forms.inlineformset_factory(
    Plan, PlanItem, form=PlanItemForm, formset=BasePlanItemFormSet, extra=1, can_delete=True, max_num=40
)
