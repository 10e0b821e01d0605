"""Forms for memoranda of understanding (biên bản ghi nhớ) and their signatories."""

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from programs.forms import EMPTY_CHOICE
from programs.forms.pairs import DateInput
from programs.models import Memorandum, Pair, Program, Signatory
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.i18n import mark_vi


class PairsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, pair):
        status = "" if pair.status == Pair.Status.ACTIVE else f" · {pair.get_status_display()}"
        return format_html(
            "{} → {} ({}{})",
            mark_vi(pair.mentor.display_name),
            mark_vi(pair.mentee.display_name),
            mark_vi(pair.program.display_name),
            status,
        )


class MemorandumForm(forms.ModelForm):
    """The memorandum itself. ``pairs`` offers the pairs the user manages; pairs of
    other offices that an existing memorandum covers are kept by the service."""

    class Meta:
        model = Memorandum
        fields = [
            "program",
            "title",
            "reference_number",
            "signed_on",
            "place",
            "valid_from",
            "valid_until",
            "pairs",
            "scan",
            "note",
        ]
        field_classes = {"pairs": PairsField}
        widgets = {
            "signed_on": DateInput(),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
            # No class here: crispy's checkbox template writes its own ``class``, and a
            # second one would make the input invalid HTML (the box is styled through
            # its wrapper, ``.pair-checklist-box``).
            "pairs": forms.CheckboxSelectMultiple,
            "scan": forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.png"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programs = Program.objects.open_for_registration_by(user)
        if self.instance.program_id:
            programs = Program.objects.filter(Q(pk__in=programs.values("pk")) | Q(pk=self.instance.program_id))
        self.fields["program"].queryset = programs.order_by("-start_year", vi_order("name"))
        self.fields["program"].empty_label = None
        self.manageable_pairs = (
            Pair.objects.editable_by(user)
            .exclude(status=Pair.Status.DECLINED)
            .select_related("program", "mentor", "mentee")
            .order_by("-program__start_year", "mentor_kind", vi_order("mentor__name"), vi_order("mentee__name"))
        )
        chosen = [p.pk for p in (self.initial.get("pairs") or []) if hasattr(p, "pk")]
        if self.instance.pk:
            chosen += list(self.instance.pairs.values_list("pk", flat=True))
        # The pairs already covered (or the one the user came from) head the list.
        self.fields["pairs"].queryset = self.manageable_pairs.annotate(
            chosen=Case(When(pk__in=chosen, then=Value(0)), default=Value(1), output_field=IntegerField())
        ).order_by("chosen", "-program__start_year", "mentor_kind", vi_order("mentor__name"), vi_order("mentee__name"))
        self.fields["pairs"].required = not (self.instance.pk and self.other_pairs().exists())
        self.fields["pairs"].error_messages["required"] = _("Tick at least one pair this memorandum covers.")
        self.fields["pairs"].help_text = _("The pairs whose sides signed it. Only the pairs you manage are listed.")
        if self.instance.pk:
            self.initial["pairs"] = list(self.instance.pairs.filter(pk__in=self.manageable_pairs.values("pk")))

        self.fields["title"].widget.attrs["placeholder"] = _("e.g. Memorandum on joint development, 2022–2025")

    def other_pairs(self):
        """Pairs an existing memorandum covers that the user does not manage."""
        if not self.instance.pk:
            return Pair.objects.none()
        return self.instance.pairs.exclude(pk__in=self.manageable_pairs.values("pk")).select_related("mentor", "mentee")

    def clean(self):
        data = super().clean()
        program, pairs = data.get("program"), data.get("pairs")
        if program and pairs:
            others = [p for p in pairs if p.program_id != program.pk]
            if others:
                self.add_error(
                    "pairs",
                    _("%(pair)s belongs to another program than the memorandum.") % {"pair": others[0]},
                )
        return data


def signatory_organizations(user, memorandum=None):
    """The units a signatory may sign for: the sides of the pairs the user manages,
    the offices managing them, the user's own offices and department (and the units of
    the memorandum's current signatories). Bounded by the user's pairs, not by the
    number of units in the country."""
    scope = scope_for(user)
    pairs = Pair.objects.editable_by(user)
    q = (
        Q(pk__in=pairs.values("mentor_id"))
        | Q(pk__in=pairs.values("mentee_id"))
        | Q(pk__in=pairs.values("mentor__parent_id"))
        | Q(pk__in=pairs.values("mentee__parent_id"))
        | Q(pk__in=scope.officer_ids | scope.department_ids)
    )
    if memorandum is not None and memorandum.pk:
        q |= Q(pk__in=memorandum.signatories.values("organization_id"))
    return Organization.objects.filter(q).order_by("kind", vi_order("name"))


class SignatoryForm(forms.ModelForm):
    class Meta:
        model = Signatory
        fields = ["name", "title", "organization"]
        labels = {"name": _("Signatory's name"), "title": _("Signatory's title")}


class BaseSignatoryFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.organizations = signatory_organizations(user, self.instance)

    def add_fields(self, form, index):
        # Called for every row, the empty row that "Add a signatory" copies included
        # (``empty_form`` is built anew on each access, so setting it once is lost).
        super().add_fields(form, index)
        form.fields["organization"].queryset = self.organizations
        form.fields["organization"].empty_label = EMPTY_CHOICE
        placeholder = _("e.g. Director of the Department of Education and Training")
        form.fields["title"].widget.attrs["placeholder"] = placeholder

    def rows(self):
        """The filled-in, not deleted rows, in the order typed: [{"name", "title",
        "organization"}]."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            if not (data.get("name") or data.get("title") or data.get("organization")):
                continue
            rows.append(
                {"name": data.get("name", ""), "title": data.get("title", ""), "organization": data.get("organization")}
            )
        return rows


SignatoryFormSet = forms.inlineformset_factory(
    Memorandum,
    Signatory,
    form=SignatoryForm,
    formset=BaseSignatoryFormSet,
    fields=["name", "title", "organization"],
    extra=2,
    can_delete=True,
    can_delete_extra=False,
)


class MemorandumFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    expiring = forms.BooleanField(label=_("Expiring within 90 days"), required=False)
