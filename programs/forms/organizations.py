"""The workspace form that corrects one unit (a school or an office) in the
officer's scope: its name, level, official code, address and contact details."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programs.forms import EMPTY_CHOICE
from schools.models import Area, Organization
from schools.scope import scope_for

SCHOOL_ONLY = ("level", "student_count", "teacher_count")


class OrganizationForm(forms.ModelForm):
    """What an officer may correct. The kind and the managing body stay: a school
    that moves to another office is moved by the department (admin), and a unit's
    kind cannot change once it takes part in pairs."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "code",
            "level",
            "area_type",
            "area",
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
        # The districts of the unit's province (of the user's provinces when it has
        # none yet), and the area it has now.
        provinces = {unit.province_id} if unit.province_id else set(scope_for(user).province_ids)
        self.fields["area"].queryset = (
            Area.objects.filter(Q(parent_id__in=provinces, kind=Area.Kind.DISTRICT) | Q(pk=unit.area_id))
            .select_related("parent")
            .order_by("name")
        )
        self.fields["area"].empty_label = EMPTY_CHOICE
        self.fields["area"].label = _("District")
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
