from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Invitation
from accounts.services import invitable_units, roles_for
from schools.models import Membership, Organization
from twinning.lib.collation import vi_order

# A Department manages thousands of units: the unit list shows the ones matching the
# search box (the "Search" button narrows it on the server), at most this many.
UNIT_CHOICES = 30


def _unit_search_field():
    return forms.CharField(
        label=_("Search the unit"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name or code, e.g. tay mo"), "type": "search"}),
    )


class InvitationForm(forms.ModelForm):
    organization_q = _unit_search_field()

    class Meta:
        model = Invitation
        fields = ("full_name", "email", "organization_q", "organization", "role", "title")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_choices(self, user)

    def clean(self):
        data = super().clean()
        _check_role_fits(self, data)
        return data


def _unit_choices(form, user) -> None:
    """The unit field of ``form`` accepts any unit ``user`` may give roles in and lists
    those matching the search box ``organization_q`` (at most UNIT_CHOICES, and the one
    already chosen): the same on every form that gives a role."""
    units = invitable_units(user)
    field = form.fields["organization"]
    field.queryset = units  # what may be chosen; the list below is what is shown
    field.error_messages["invalid_choice"] = _("Choose one of the units you manage.")
    text = (form.data.get("organization_q") or "").strip() if form.is_bound else ""
    shown = list((units.search(text) if text else units).order_by("kind", vi_order("name"))[: UNIT_CHOICES + 1])
    form.more_units = len(shown) > UNIT_CHOICES
    shown = shown[:UNIT_CHOICES]
    selected = (form.data.get("organization") or "") if form.is_bound else str(form.initial.get("organization") or "")
    if selected.isdigit() and all(str(unit.pk) != selected for unit in shown):
        shown += list(units.filter(pk=selected))
    field.widget.choices = [("", "---------"), *((unit.pk, unit.name) for unit in shown)]
    if form.more_units:
        field.help_text = _("More units match: type part of the name or the code above and press Search.")


def _check_role_fits(form, data) -> None:
    unit, role = data.get("organization"), data.get("role")
    if unit and role and role not in roles_for(unit):
        allowed = ", ".join(str(Membership.Role(r).label) for r in roles_for(unit)) or "—"
        form.add_error("role", _("A unit of this kind has these roles: %(roles)s.") % {"roles": allowed})


class DateInput(forms.DateInput):
    """The browser's date picker (phones show their own); the value travels as ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, e-mail or unit")}),
    )


class EndRoleForm(forms.Form):
    last_day = forms.DateField(
        label=_("Last day in the role"),
        widget=DateInput(),
        error_messages={
            "required": _("Give the last day in the role."),
            "invalid": _("Last day in the role: give a date such as 31/07/2025."),
        },
    )


class ChangeRoleForm(forms.Form):
    """End a role the day before ``first_day`` and start another from that day, in a
    unit the user manages (searched on the server as on the invitation form)."""

    organization_q = _unit_search_field()
    organization = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Organization.objects.none(),
        error_messages={"required": _("Choose the unit of the new role.")},
    )
    role = forms.ChoiceField(
        label=_("New role"),
        choices=[("", "---------"), *Membership.Role.choices],
        error_messages={"required": _("Choose the new role.")},
    )
    title = forms.CharField(label=capfirst(_("job title")), max_length=120, required=False)
    first_day = forms.DateField(
        label=_("First day in the new role"),
        widget=DateInput(),
        help_text=_("The current role ends the day before."),
        error_messages={
            "required": _("Give the first day in the new role."),
            "invalid": _("First day in the new role: give a date such as 01/08/2025."),
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_choices(self, user)

    def clean(self):
        data = super().clean()
        _check_role_fits(self, data)
        return data


class AcceptForm(forms.Form):
    username = UsernameField(label=_("User name"), max_length=150, help_text=_("Letters, digits and . _ - only."))
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if not all(ch.isalnum() and ch.isascii() or ch in "._-" for ch in username):
            raise forms.ValidationError(_("Use only letters without accents, digits and . _ -"))
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This user name is taken; choose another."))
        return username

    def clean(self):
        data = super().clean()
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", _("The two passwords differ."))
        elif one:
            probe = get_user_model()(
                username=data.get("username", ""), email=self.invitation.email, first_name=self.invitation.full_name
            )
            try:
                password_validation.validate_password(one, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
