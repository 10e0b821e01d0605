"""Workspace forms about units: correcting a unit's details (officers, in their
scope), and recording its structure over time (department staff): a new managing
body, place or cluster from a date, a cessation or a merger, a new unit."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.forms import EMPTY_CHOICE
from programs.forms.pairs import DateInput
from programs.forms.pickers import PickerMixin, area_label, area_options
from schools.models import Area, Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order

SCHOOL_ONLY = ("level", "student_count", "teacher_count")


class OrganizationForm(forms.ModelForm):
    """What an officer may correct. The kind, the managing body and the place stay:
    they are dated facts the department records (``UnitChangeForm``), and a unit's
    kind cannot change once it takes part in pairs."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "code",
            "level",
            "area_type",
            "address",
            "head_name",
            "head_title",
            "phone",
            "email",
            "website",
            "student_count",
            "teacher_count",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.instance
        if not unit.is_school:
            for name in SCHOOL_ONLY:
                del self.fields[name]
        else:
            self.fields["level"].required = True
            self.fields["level"].error_messages["required"] = _("Choose the school level.")
            self.fields["level"].choices = [("", EMPTY_CHOICE), *Organization.Level.choices]
        self.fields["area_type"].choices = [("", EMPTY_CHOICE), *Organization.AreaType.choices]
        self.fields["code"].help_text = _("Mã trường / mã đơn vị. Spreadsheet imports match rows by it.")
        self.fields["phone"].help_text = _("Seen by staff of the portal, never on the public pages.")

    def clean_code(self):
        code = (self.cleaned_data.get("code") or "").strip().upper()
        if code:
            other = Organization.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).first()
            if other is not None:
                raise forms.ValidationError(
                    _("The code %(code)s already belongs to “%(unit)s”.") % {"code": code, "unit": other.name}
                )
        return code


# --- the structure of units over time (department staff) ---------------------------


def manager_choices(user, unit_kind: str, current=None):
    """Managing bodies a unit of ``unit_kind`` may have, that operate today, among the
    units whose structure the user records (their province), with the current one."""
    kinds = Organization.MANAGER_KINDS.get(unit_kind, ())
    q = Q(kind__in=kinds) & scope_for(user).restructure_q()
    units = Organization.objects.operating().filter(q)
    if current is not None:
        units = units | Organization.objects.filter(pk=current.pk)
    return units.order_by("kind", vi_order("name"))


def cluster_choices(user, current=None):
    clusters = Organization.objects.operating().filter(
        Q(kind=Organization.Kind.CLUSTER) & scope_for(user).restructure_q()
    )
    if current is not None:
        clusters = clusters | Organization.objects.filter(pk=current.pk)
    return clusters.order_by(vi_order("name"))


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        if unit.has_ceased:
            return _("%(unit)s (ceased)") % {"unit": unit.name}
        return unit.name


class AreaPickerForm(PickerMixin, forms.Form):
    picker_names = ("area",)
    picker_urls = {"area": "workspace:area-search"}

    def picker_options(self, name, text, selected):
        areas, more = area_options(text, selected)
        return [(a.pk, area_label(a)) for a in areas], more


class UnitChangeForm(AreaPickerForm):
    """Record that from a date a unit has a new managing body, place or cluster."""

    valid_from = forms.DateField(
        label=_("From"),
        widget=DateInput(),
        help_text=_("The day the change took effect, e.g. 01/07/2025."),
        error_messages={"required": _("Give the day the change took effect.")},
    )
    parent = ManagerChoiceField(label=_("Managed by"), queryset=Organization.objects.none(), required=False)
    area_q = forms.CharField(
        label=_("Search the place"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Commune, ward or province, e.g. tay mo")}),
    )
    area = forms.ModelChoiceField(
        label=_("Place (commune, ward or province)"), queryset=Area.objects.all(), required=False
    )
    cluster = forms.ModelChoiceField(
        label=_("Professional cluster"), queryset=Organization.objects.none(), required=False
    )
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        max_length=255,
        help_text=_("The decision behind the change, e.g. “Nghị định 142/2025/NĐ-CP”."),
        error_messages={"required": _("Give the decision behind the change.")},
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, unit, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("parent", unit.parent_id)
        initial.setdefault("area", unit.area_id)
        initial.setdefault("cluster", unit.cluster_id)
        super().__init__(*args, **kwargs)
        self.unit = unit
        if unit.kind in Organization.MANAGER_KINDS:
            self.fields["parent"].queryset = manager_choices(user, unit.kind, unit.parent)
            self.fields["parent"].empty_label = _("— Managed by no unit —")
        else:
            del self.fields["parent"]
        if unit.is_school:
            self.fields["cluster"].queryset = cluster_choices(user, unit.cluster)
            self.fields["cluster"].empty_label = _("— No cluster —")
        else:
            del self.fields["cluster"]
        self.setup_pickers()

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {"area": data.get("area")}
        if "parent" in self.fields:
            changes["parent"] = data.get("parent")
        if "cluster" in self.fields:
            changes["cluster"] = data.get("cluster")
        return changes


class UnitCeaseForm(PickerMixin, forms.Form):
    """Record that a unit ceased (and, when it merged, into which unit)."""

    picker_names = ("successor",)

    valid_until = forms.DateField(
        label=_("Last day of operation"),
        widget=DateInput(),
        help_text=_("30/06/2025 for the district education offices."),
        error_messages={"required": _("Give the last day the unit operated.")},
    )
    end_reference = forms.CharField(
        label=_("Legal reference"),
        max_length=255,
        help_text=_("e.g. Nghị định 142/2025/NĐ-CP"),
        error_messages={"required": _("Give the decision behind it, e.g. “Nghị định 142/2025/NĐ-CP”.")},
    )
    successor_q = forms.CharField(label=_("Search the successor"), required=False, max_length=100)
    successor = forms.ModelChoiceField(
        label=_("Merged into (optional)"),
        queryset=Organization.objects.all(),
        required=False,
        help_text=_("The unit that takes over its work and its records, if it merged into another."),
    )
    end_pairs = forms.BooleanField(label=_("End its running pairs on that day"), required=False, initial=True)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.user = user
        self.picker_kinds = {"successor": unit.kind}
        self.setup_pickers()

    def picker_options(self, name, text, selected):
        from programs.forms.pairs import organization_label, picker_options

        units, more = picker_options(self.user, self.unit.kind, text, selected)
        return [(u.pk, organization_label(u)) for u in units if u.pk != self.unit.pk], more


class UnitCreateForm(AreaPickerForm, forms.ModelForm):
    """A new unit of the department's province: a school, a commune People's
    Committee or a professional cluster, with its first placement."""

    KINDS = (Organization.Kind.SCHOOL, Organization.Kind.COMMUNE_COMMITTEE, Organization.Kind.CLUSTER)

    area_q = forms.CharField(
        label=_("Search the place"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Commune, ward or province, e.g. tay mo")}),
    )
    legal_reference = forms.CharField(
        label=_("Legal reference"),
        max_length=255,
        required=False,
        help_text=_("The decision establishing it, if any."),
    )

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "short_name",
            "code",
            "level",
            "area",
            "parent",
            "cluster",
            "valid_from",
            "address",
            "head_name",
            "head_title",
            "phone",
            "email",
        ]
        widgets = {"valid_from": DateInput()}
        field_classes = {"parent": ManagerChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [("", EMPTY_CHOICE)] + [(k.value, k.label) for k in self.KINDS]
        self.fields["level"].choices = [("", EMPTY_CHOICE), *Organization.Level.choices]
        self.fields["level"].help_text = _("For a school.")
        self.fields["area"].required = True
        self.fields["area"].label = _("Place (commune, ward or province)")
        self.fields["area"].error_messages["required"] = _("Choose the commune, ward or province where it stands.")
        kinds = {kind for allowed in Organization.MANAGER_KINDS.values() for kind in allowed}
        self.fields["parent"].queryset = (
            Organization.objects.operating()
            .filter(Q(kind__in=kinds) & scope_for(user).restructure_q())
            .order_by("kind", vi_order("name"))
        )
        self.fields["parent"].empty_label = _("— Managed by no unit —")
        self.fields["parent"].help_text = _(
            "A commune People's Committee or the Department for a school; the Department for a cluster."
        )
        self.fields["cluster"].queryset = cluster_choices(user)
        self.fields["cluster"].empty_label = _("— No cluster —")
        self.fields["valid_from"].help_text = _("Leave empty when the unit is older than the portal's records.")
        self.setup_pickers()

    def clean(self):
        data = super().clean()
        area = data.get("area")
        scope = scope_for(self.user)
        if area is not None and not scope.is_superuser:
            province = area.province()
            if province is None or province.pk not in scope.province_ids:
                self.add_error("area", _("Choose a place in your province."))
        return data

    def _post_clean(self):
        super()._post_clean()
        # Organization.clean() checked the kind, level and managing body.
