"""The form with which department staff register a program's phase (a movement of
2025–2030, say) and correct it."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.forms import EMPTY_CHOICE
from programs.forms.pairs import DateInput
from programs.models import Program, ReportingCalendar
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order


class OrganizerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "short_name",
            "start_year",
            "end_year",
            "previous_phase",
            "organizers",
            "launched_on",
            "launch_place",
            "description",
            "legal_basis",
            "is_public",
        ]
        field_classes = {"organizers": OrganizerChoiceField}
        widgets = {
            "launched_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "organizers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_for(user)
        # Any Department of the country may co-organize (a movement across provinces);
        # unions of the user's own province too.
        operating = Organization.objects.operating().filter(
            Q(kind=Organization.Kind.DEPARTMENT) | Q(kind=Organization.Kind.UNION, province_id__in=scope.province_ids)
        )
        organizers = Q(pk__in=operating.values("pk"))
        if self.instance.pk:
            organizers |= Q(pk__in=self.instance.organizers.values("pk"))
        self.fields["organizers"].queryset = Organization.objects.filter(organizers).order_by("kind", vi_order("name"))
        self.fields["organizers"].help_text = _(
            "Your Department, and the Departments or unions that organize it with you."
        )
        if not self.instance.pk:
            self.initial.setdefault("organizers", list(scope.department_ids))
        self.fields["previous_phase"].queryset = Program.objects.visible_to(user).exclude(pk=self.instance.pk)
        self.fields["previous_phase"].empty_label = EMPTY_CHOICE
        self.fields["start_year"].help_text = _("The year its first school year starts, e.g. 2025.")
        self.fields["end_year"].help_text = _("The year its last school year ends, e.g. 2030.")

    def clean_organizers(self):
        organizers = self.cleaned_data["organizers"]
        scope = scope_for(self.user)
        if not scope.is_superuser and not any(unit.pk in scope.department_ids for unit in organizers):
            raise forms.ValidationError(_("Your Department must be one of the organizers."))
        return organizers


class ReportingCalendarForm(forms.ModelForm):
    """A program's deadlines for one school year (the year is in the URL)."""

    class Meta:
        model = ReportingCalendar
        fields = ["plan_due", "review_due", "remind_before_days", "remind_after_days", "late_policy", "contact"]
        widgets = {
            "plan_due": DateInput(),
            "review_due": DateInput(),
            "late_policy": forms.RadioSelect,
            "remind_before_days": forms.NumberInput(attrs={"min": 0, "max": 60}),
            "remind_after_days": forms.NumberInput(attrs={"min": 0, "max": 60}),
        }

    def clean(self):
        data = super().clean()
        for name in ("remind_before_days", "remind_after_days"):
            if (data.get(name) or 0) > 60:
                self.add_error(name, _("At most 60 days."))
        if not data.get("plan_due") and not data.get("review_due"):
            raise forms.ValidationError(_("Set at least one deadline: for plans or for year-end reviews."))
        return data
