"""Forms for registering, editing and answering twinning pairs, and the unit picker
they use.

The picker works without JavaScript: each side has a search box and a list; the
list shows the units matching the search (server side, accent-insensitive), at most
``PICKER_LIMIT`` of them, the user's own units first. static/js/org-picker.js only
refreshes the list while typing, from the same function (``picker_options``).
"""

from __future__ import annotations

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from programs.forms import EMPTY_CHOICE
from programs.models import Pair, Program
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.text import fold

PICKER_LIMIT = 30
KIND_CHOICES = [
    (Organization.Kind.SCHOOL.value, _("Two schools")),
    (Organization.Kind.CLUSTER.value, _("Two professional clusters")),
    (Organization.Kind.DEPARTMENT.value, _("Two Departments of Education and Training")),
    (Organization.Kind.OFFICE.value, _("Two district education offices")),
]


def kind_choices(user):
    """The kinds of pair the user may register today: schools always; clusters when
    any exists; Departments for department staff; district offices only for an
    officer of an office that still operates (they ceased on 30 June 2025)."""
    scope = scope_for(user)
    offered = {Organization.Kind.SCHOOL.value}
    operating = Organization.objects.operating()
    if operating.filter(kind=Organization.Kind.CLUSTER).exists():
        offered.add(Organization.Kind.CLUSTER.value)
    if scope.is_superuser or scope.is_department:
        offered.add(Organization.Kind.DEPARTMENT.value)
    if scope.is_superuser or operating.filter(pk__in=scope.manager_ids, kind=Organization.Kind.OFFICE).exists():
        offered.add(Organization.Kind.OFFICE.value)
    return [(value, label) for value, label in KIND_CHOICES if value in offered]


def organization_label(organization: Organization) -> str:
    """What a person needs to tell two units apart (``Organization.label_with_place``)."""
    return organization.label_with_place()


def picker_options(user, kind: str, text: str = "", selected_id=None) -> tuple[list[Organization], bool]:
    """Units of ``kind`` to offer in a picker: those matching ``text`` (every word,
    ignoring case and diacritics), or the user's own units when ``text`` is empty;
    the user's own units first, then by name. Returns (units, more) where ``more``
    says the list was cut at PICKER_LIMIT. Two queries whatever the number of units
    (one more for a selected unit outside the list)."""
    if kind not in Pair.PAIRABLE_KINDS:
        kind = Organization.Kind.SCHOOL
    scope = scope_for(user)
    # Units that operate today: a district office that ceased takes no new pair.
    units = Organization.objects.operating().filter(kind=kind).select_related("area__parent")
    if text.strip():
        units = units.search(text)
    else:
        units = units.filter(scope.managed_org_q())
    units = units.annotate(
        own=Case(When(scope.managed_org_q(), then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("own", vi_order("name"))
    found = list(units[: PICKER_LIMIT + 1])
    more = len(found) > PICKER_LIMIT
    found = found[:PICKER_LIMIT]
    if selected_id and str(selected_id).isdigit() and all(str(u.pk) != str(selected_id) for u in found):
        chosen = Organization.objects.filter(pk=selected_id, kind=kind).select_related("area__parent").first()
        if chosen is not None:
            found.insert(0, chosen)
    return found, more


class DateInput(forms.DateInput):
    """The browser's date picker (phones show their own); the value travels as ISO."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class PartnershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, pair):
        return f"{pair.mentor.display_name} → {pair.mentee.display_name} ({pair.program.display_name})"


class PairRegisterForm(forms.Form):
    """Register a pair. ``mentor`` and ``mentee`` accept any unit that can be paired (the
    service says what is wrong with a choice, next to the field); their lists only
    show what the picker found."""

    kind = forms.ChoiceField(label=_("Kind of pair"), choices=KIND_CHOICES, widget=forms.RadioSelect, initial="school")
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(), empty_label=None)
    mentor_q = forms.CharField(label=_("Search the helping side"), required=False, max_length=100)
    mentor = forms.ModelChoiceField(
        label=_("Helping side"),
        queryset=Organization.objects.filter(kind__in=Pair.PAIRABLE_KINDS),
        error_messages={"required": _("Choose the helping side.")},
    )
    mentee_q = forms.CharField(label=_("Search the helped side"), required=False, max_length=100)
    mentee = forms.ModelChoiceField(
        label=_("Helped side"),
        queryset=Organization.objects.filter(kind__in=Pair.PAIRABLE_KINDS),
        error_messages={"required": _("Choose the helped side.")},
    )
    parent = PartnershipChoiceField(
        label=_("Partnership between units"),
        queryset=Pair.objects.none(),
        required=False,
        empty_label=EMPTY_CHOICE,
        help_text=_(
            "For a pair of schools. Left empty, the pair joins the partnership between the bodies that manage "
            "the two schools in this program, if there is one."
        ),
    )
    started_on = forms.DateField(label=_("Since"), required=False, widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    SIDES = ("mentor", "mentee")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["program"].queryset = Program.objects.open_for_registration_by(user)
        self.fields["kind"].choices = kind_choices(user)
        self.fields["parent"].queryset = (
            Pair.objects.visible_to(user)
            .office_partnerships()
            .exclude(status=Pair.Status.DECLINED)
            .select_related("program", "mentor", "mentee")
            .order_by("-program__start_year", vi_order("mentor__name"))
        )
        self.more = {}
        for side in self.SIDES:
            text = self.value(f"{side}_q")
            units, more = picker_options(user, self.value("kind"), text, self.value(side))
            self.more[side] = more
            if not self.is_bound and text and not self.value(side) and len(units) == 1:
                self.initial[side] = units[0].pk  # the only match of a search is the choice
            self.fields[side].widget.choices = [("", EMPTY_CHOICE)] + [(u.pk, organization_label(u)) for u in units]

    def value(self, name):
        """The submitted (or initial) value of a field, as text."""
        if self.is_bound:
            return (self.data.get(name) or "").strip()
        value = self.initial.get(name, self.fields[name].initial)
        return "" if value is None else str(getattr(value, "pk", value)).strip()

    def picker(self, side):
        """What templates/workspace/pairs/_org_picker.html needs for one side."""
        return {"search": self[f"{side}_q"], "select": self[side], "more": self.more[side], "side": side}

    @property
    def mentor_picker(self):
        return self.picker("mentor")

    @property
    def mentee_picker(self):
        return self.picker("mentee")


def search_requested(data) -> bool:
    """True when a registration form was sent to look units up rather than to
    register: only the "Register" button registers. A "Search" button, or Enter
    pressed in a box (without JavaScript), shows the matches and registers nothing,
    so a search typed over an earlier choice never registers the wrong pair."""
    return bool(data.get("find")) or not data.get("register")


class PairEditForm(forms.ModelForm):
    class Meta:
        model = Pair
        fields = ["parent", "started_on", "note"]
        field_classes = {"parent": PartnershipChoiceField}
        widgets = {"started_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Pair.objects.visible_to(user)
            .office_partnerships()
            .filter(program_id=self.instance.program_id)
            .exclude(status=Pair.Status.DECLINED)
            .select_related("program", "mentor", "mentee")
        )
        self.fields["parent"].empty_label = EMPTY_CHOICE
        self.fields["parent"].help_text = _(
            "Leave at “— Choose —” for a pair that belongs to no partnership between units."
        )

    def _post_clean(self):
        # The service validates the model (pair_update); here only the fields.
        pass


class PairReasonForm(forms.Form):
    """Declining, withdrawing or ending a pair: the reason, which the other side reads."""

    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Write the reason: the other side reads it.")},
    )


class PairEndForm(PairReasonForm):
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DateInput(), help_text=_("Today if empty."))


class PairFilterForm(forms.Form):
    """The filters of the pair list (GET)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + Pair.Status.choices)
    kind = forms.ChoiceField(
        label=_("Kind of pair"),
        required=False,
        choices=[
            ("", _("All")),
            ("school", _("School pairs")),
            ("office", _("Partnerships of offices, clusters or Departments")),
        ],
    )
    program = forms.ModelChoiceField(
        label=_("Program"), required=False, queryset=Program.objects.none(), empty_label=_("All")
    )
    quiet = forms.BooleanField(label=_("Only quiet pairs (no activity for 90 days)"), required=False)
    waiting = forms.BooleanField(label=_("Only pairs waiting for my answer"), required=False)
    health = forms.ChoiceField(
        label=_("Health"),
        required=False,
        choices=[("", _("All")), ("good", _("Good")), ("attention", _("Needs attention")), ("at_risk", _("At risk"))],
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[("", _("By program and name")), ("health", _("At risk first"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["program"].queryset = Program.objects.visible_to(user)

    def apply(self, pairs):
        """Narrows a pair query set by the valid filters."""
        if not self.is_valid():
            return pairs
        data = self.cleaned_data
        for word in fold(data["q"]).split():
            pairs = pairs.filter(
                Q(mentor__search_text__contains=word) | Q(mentee__search_text__contains=word) | Q(code=word)
            )
        if data["status"]:
            pairs = pairs.filter(status=data["status"])
        if data["kind"] == "school":
            pairs = pairs.school_pairs()
        elif data["kind"]:
            pairs = pairs.office_partnerships()
        if data["program"]:
            pairs = pairs.filter(program=data["program"])
        if data["quiet"]:
            pairs = pairs.quiet()
        if data["waiting"]:
            pairs = pairs.filter(pk__in=Pair.objects.answerable_by(self.user).values("pk"))
        if data["health"]:
            # A pair that ended keeps its last mark until the nightly refresh forgets it.
            pairs = pairs.filter(health__mark=data["health"], status=Pair.Status.ACTIVE)
        return pairs

    def ordering(self) -> list:
        """The list's order: by program and name, or the pairs at risk first (from
        their kept health mark, ``outcomes.health``)."""
        default = ["-program__start_year", "mentor_kind", vi_order("mentor__name"), vi_order("mentee__name"), "pk"]
        if self.is_valid() and self.cleaned_data["order"] == "health":
            worst = Case(
                When(status=Pair.Status.ACTIVE, health__mark="at_risk", then=Value(0)),
                When(status=Pair.Status.ACTIVE, health__mark="attention", then=Value(1)),
                When(status=Pair.Status.ACTIVE, health__mark="good", then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
            return [worst, *default]
        return default
