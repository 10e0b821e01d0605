"""The program and school-year chooser shared by the report and review pages (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from twinning.lib.i18n import VietnameseSelect
from twinning.lib.schoolyear import display_school_year


class ReportFilterForm(forms.Form):
    # Always filled in (the page shows its defaults), so not marked as required.
    program = forms.ChoiceField(label=_("Program"), required=False, widget=VietnameseSelect)
    year = forms.ChoiceField(label=_("School year"), required=False)

    def __init__(self, params, *args, **kwargs):
        super().__init__(*args, initial={"program": params.program.slug, "year": params.year}, **kwargs)
        self.fields["program"].choices = [(p.slug, str(p)) for p in params.programs]
        self.fields["year"].choices = [(y, display_school_year(y)) for y in params.years]
