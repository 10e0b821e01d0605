"""Forms for working groups (tổ công tác) and their members."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.forms import EMPTY_CHOICE
from programs.models import Program, WorkingGroup, WorkingGroupMember
from programs.services.working_groups import default_name
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["program", "office", "level", "name", "tasks"]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 4})}
        labels = {"office": _("Office or department")}

    def __init__(self, *args, user, **kwargs):
        level_given = "level" in (kwargs.get("initial") or {})
        super().__init__(*args, **kwargs)
        programs = Program.objects.open_for_registration_by(user)
        offices = Organization.objects.editable_by(user).filter(kind__in=("office", "department"))
        if self.instance.pk:
            programs = Program.objects.filter(Q(pk__in=programs.values("pk")) | Q(pk=self.instance.program_id))
            offices = Organization.objects.filter(Q(pk__in=offices.values("pk")) | Q(pk=self.instance.office_id))
        self.fields["program"].queryset = programs.order_by("-start_year", vi_order("name"))
        self.fields["program"].empty_label = None
        self.fields["office"].queryset = offices.order_by("kind", vi_order("name"))
        self.fields["office"].empty_label = None
        self.fields["level"].choices = [("", _("The office's own group (all levels)"))] + list(
            Organization.Level.choices
        )
        self.fields["name"].required = False
        self.fields["name"].help_text = _("Left empty, it is named after the level and the office.")
        if not self.is_bound and not self.instance.pk and not level_given:
            self.initial["level"] = self._first_free_level()

    def _first_free_level(self) -> str:
        """The first level (the office's own group first) that the program and office
        shown first do not have a group for yet, so that saving the new form as it
        comes does not hit the one-group-per-level rule."""
        program = self.initial.get("program") or self.fields["program"].queryset.first()
        office = self.initial.get("office") or self.fields["office"].queryset.first()
        if program is None or office is None:
            return ""
        used = set(WorkingGroup.objects.filter(program=program, office=office).values_list("level", flat=True))
        return next((value for value, _label in self.fields["level"].choices if value not in used), "")

    def clean(self):
        data = super().clean()
        if not data.get("name") and data.get("office"):
            data["name"] = default_name(WorkingGroup(office=data["office"], level=data.get("level") or ""))
        return data


def member_organizations(user, group=None):
    """Units a member may come from: for an officer their office and its schools; for
    department staff their department and the offices of the province (a province's
    schools are too many for a list); plus the units of the group's current members."""
    scope = scope_for(user)
    if scope.is_superuser:
        q = Q(kind__in=("department", "office"))
    else:
        q = Q(pk__in=scope.manager_ids) | Q(parent_id__in=scope.manager_ids) | Q(pk__in=scope.department_ids)
        if scope.province_ids:
            q |= Q(kind="office", province_id__in=scope.province_ids)
    if group is not None and group.pk:
        q |= Q(pk__in=group.members.values("organization_id"))
    return Organization.objects.filter(q).order_by("kind", vi_order("name"))


class MemberForm(forms.ModelForm):
    class Meta:
        model = WorkingGroupMember
        fields = ["name", "title", "organization", "role"]
        labels = {"name": _("Member's name"), "title": _("Member's title")}


class BaseMemberFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = member_organizations(user, self.instance)

    def add_fields(self, form, index):
        # Every row, the empty one that "Add a member" copies included.
        super().add_fields(form, index)
        form.fields["organization"].queryset = self.organizations
        form.fields["organization"].empty_label = EMPTY_CHOICE
        form.fields["title"].widget.attrs["placeholder"] = _("e.g. Deputy head of office")

    def rows(self):
        """The filled-in, not deleted rows in the order typed."""
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE") or not data.get("name"):
                continue
            rows.append({key: data.get(key) for key in ("name", "title", "organization", "role")})
        return rows


MemberFormSet = forms.inlineformset_factory(
    WorkingGroup,
    WorkingGroupMember,
    form=MemberForm,
    formset=BaseMemberFormSet,
    fields=["name", "title", "organization", "role"],
    extra=3,
    can_delete=True,
    can_delete_extra=False,
)
