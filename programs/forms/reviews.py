"""Forms of the year-end review: writing it, and the department's rating."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Review


class ReviewForm(forms.ModelForm):
    """What was achieved, difficulties, proposals. Saving a draft may leave them
    empty; submitting needs at least what was achieved."""

    class Meta:
        model = Review
        fields = ["achievements", "difficulties", "proposals"]
        widgets = {
            "achievements": forms.Textarea(attrs={"rows": 6}),
            "difficulties": forms.Textarea(attrs={"rows": 4}),
            "proposals": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "achievements": _("The activities held, what changed for teachers and students, the support given."),
            "difficulties": _("What got in the way this school year."),
            "proposals": _("What you ask of the managing bodies or the department for next year."),
        }

    def __init__(self, *args, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["achievements"].required = submitting
        if submitting:
            self.fields["achievements"].error_messages["required"] = _(
                "Write what was achieved before submitting the review."
            )


class RatingForm(forms.Form):
    """The department's rating, comment and commendation of a review."""

    rating = forms.ChoiceField(label=_("Rating"), choices=Review.Rating.choices, widget=forms.RadioSelect)
    rating_comment = forms.CharField(
        label=_("Department's comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    commended = forms.BooleanField(label=_("Commend this pair"), required=False)
    commendation = forms.CharField(
        label=_("Commended for"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the commendation is for, as it will read on the commendation list."),
    )
    commendation_activities = forms.ModelMultipleChoiceField(
        label=_("Activities behind the commendation"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The pair's activities of this school year that back the commendation."),
    )

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].error_messages["required"] = _("Choose a rating.")
        field = self.fields["commendation_activities"]
        field.queryset = activities
        field.label_from_instance = lambda a: f"{a.happened_on:%d/%m/%Y} – {a.title}"

    def clean(self):
        data = super().clean()
        if data.get("commended") and not (data.get("commendation") or "").strip():
            self.add_error("commendation", _("Say what the pair is commended for."))
        return data
