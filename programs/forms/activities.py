"""Forms for exchange activities: logging one (with photos), returning one with a
comment, and the admin's photo inline (through the same photo pipeline)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Field, Fieldset, Layout, Row
from django import forms
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from programs.models import Activity, ActivityPhoto, Pair, PlanItem
from schools.models import Organization
from twinning.lib.collation import vi_order
from twinning.lib.images import process_photo
from twinning.lib.schoolyear import display_school_year, school_year_of

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    """Several files in one input. Only collects them: each photo is checked and
    re-encoded by programs.services.photos, which reports one error per file."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        return [upload for upload in (data or []) if upload]


class CountInput(forms.NumberInput):
    def __init__(self, attrs=None):
        super().__init__({"min": 0, "inputmode": "numeric", **(attrs or {})})


def host_choices_for(pair: Pair):
    """Who may host an activity of ``pair``: its two sides and, for an office
    partnership, the schools either office manages."""
    sides = Organization.objects.filter(pk__in=[pair.mentor_id, pair.mentee_id])
    if pair.is_office_partnership:
        sides = sides | Organization.objects.filter(parent_id__in=[pair.mentor_id, pair.mentee_id], kind="school")
    return sides.order_by("kind", vi_order("name"))


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{display_school_year(item.plan.school_year)} · {item.planned_month:%m/%Y} · {item.title}"


class ActivityForm(forms.ModelForm):
    """Logging or changing an activity of one pair. ``sides`` are the pair's sides the
    user may log for; with two (department staff) the form asks which one."""

    side = forms.ModelChoiceField(
        label=_("Logged on behalf of"), queryset=Organization.objects.none(), empty_label=None, required=False
    )
    plan_item = PlanItemChoiceField(
        label=_("Plan item it fulfils"),
        queryset=PlanItem.objects.none(),
        required=False,
        empty_label=_("— Choose —"),
        help_text=_("Leave it on “— Choose —” when the activity was not in the plan."),
    )
    photos = MultiplePhotoField(
        label=_("Add photos"),
        help_text=_("JPEG, PNG or WebP, at most 10 MB each. Photos are made smaller and their location data removed."),
        widget=MultipleFileInput(attrs={"multiple": True, "accept": PHOTO_ACCEPT}),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "happened_on",
            "title",
            "host",
            "place",
            "subject",
            "grade",
            "leading_teacher",
            "teachers_count",
            "students_count",
            "managers_count",
            "description",
            "lessons_learned",
            "plan_item",
            "is_public",
        ]
        labels = {
            "kind": _("Kind of activity"),
            "happened_on": _("Date"),
            "title": _("Title"),
            "host": _("Host school"),
            "place": _("Place"),
            "subject": _("Subject"),
            "grade": _("Grade"),
            "leading_teacher": _("Leading teacher"),
            "teachers_count": _("Teachers"),
            "students_count": _("Students"),
            "managers_count": _("Managers"),
            "description": _("What happened"),
            "lessons_learned": _("Lessons learned"),
            "is_public": _("May be shown on the public site"),
        }
        help_texts = {
            "title": _("e.g. “Chuyên đề Ngữ văn 6: phát triển năng lực nói và nghe”"),
            "place": _("Only when it was not held at the host school."),
            "is_public": _(
                "Shown publicly only after the other school confirms it. Tick it only if the photos may be published."
            ),
        }
        widgets = {
            "happened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "title": forms.TextInput(attrs={"autocomplete": "off"}),
            "grade": forms.TextInput(attrs={"inputmode": "numeric"}),
            "teachers_count": CountInput(),
            "students_count": CountInput(),
            "managers_count": CountInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "lessons_learned": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, pair: Pair, sides=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        self.instance.pair = pair
        self.fields["kind"].choices = [("", _("— Choose —")), *Activity.Kind.choices]
        self.fields["host"].queryset = host_choices_for(pair)
        self.fields["host"].empty_label = _("— Choose —")
        self.fields["plan_item"].queryset = (
            PlanItem.objects.filter(plan__pair=pair)
            .select_related("plan")
            .order_by("-plan__school_year", "planned_month")
        )
        for name in ("teachers_count", "students_count", "managers_count"):
            self.fields[name].required = False
        if len(sides) > 1 and not self.instance.pk:
            self.fields["side"].queryset = Organization.objects.filter(pk__in=[s.pk for s in sides])
            self.fields["side"].required = True
        else:
            del self.fields["side"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = self._layout()

    def _layout(self):
        fields = ["side"] if "side" in self.fields else []
        return Layout(
            Fieldset(
                _("The activity"),
                *fields,
                "kind",
                Field("happened_on", wrapper_class="kn-date"),
                "title",
                "host",
                "place",
            ),
            Fieldset(
                _("Who took part"),
                Row(Column("subject", css_class="col-7"), Column("grade", css_class="col-5")),
                "leading_teacher",
                Div(
                    Column("teachers_count", css_class="col-4"),
                    Column("students_count", css_class="col-4"),
                    Column("managers_count", css_class="col-4"),
                    css_class="row g-2 align-items-end",
                ),
            ),
            Fieldset(_("Content"), "description", "lessons_learned"),
            Fieldset(_("Plan and publication"), "plan_item", "is_public"),
        )

    def clean_title(self):
        return (self.cleaned_data.get("title") or "").strip()

    def clean(self):
        data = super().clean()
        for name in ("teachers_count", "students_count", "managers_count"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        item, day = data.get("plan_item"), data.get("happened_on")
        if item and day and school_year_of(day) != item.plan.school_year:
            self.add_error(
                "plan_item",
                _("This plan item is in the plan for %(plan_year)s, but the activity took place in %(year)s.")
                % {
                    "plan_year": display_school_year(item.plan.school_year),
                    "year": display_school_year(school_year_of(day)),
                },
            )
        return data

    def _post_clean(self):
        # The model's clean() checks the host and plan item against the pair.
        self.instance.pair = self.pair
        super()._post_clean()


class ReturnForm(forms.Form):
    """The comment sent back with an activity or a plan."""

    comment = forms.CharField(
        label=_("What should be changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say what should be changed, so the other side can fix it.")},
    )


class ActivityPhotoAdminForm(forms.ModelForm):
    """The admin's photo inline: a new image goes through the same pipeline as the
    workspace (checked by content, re-encoded, metadata removed, thumbnail made)."""

    image = forms.FileField(label=_("photo"), widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}))

    class Meta:
        model = ActivityPhoto
        fields = ["image", "caption", "order"]

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if hasattr(upload, "content_type"):  # a new upload, not the stored file
            self._processed = process_photo(upload)
        return upload

    def save(self, commit=True):
        photo = super().save(commit=False)
        processed = getattr(self, "_processed", None)
        if processed is not None:
            photo.image.save("photo.jpg", ContentFile(processed.image), save=False)
            photo.thumbnail.save("thumb.jpg", ContentFile(processed.thumbnail), save=False)
        if commit:
            photo.save()
        return photo
