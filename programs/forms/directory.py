"""The public directory's search and filters (GET /pairs/)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import Pair, Program
from programs.querysets import units_taking_part_in
from schools.models import Area, Organization, Placement
from twinning.lib.cache import public_figures
from twinning.lib.collation import vi_key, vi_order


def _filter(label, invalid_message, choices=()):
    """An optional choice whose error names the field and the value given."""
    return forms.ChoiceField(
        label=label, required=False, choices=choices, error_messages={"invalid_choice": invalid_message}
    )


class DirectoryForm(forms.Form):
    """Search and filters of the public directory. Values in the URL are slugs, never
    ids. Choices list only areas and programs that have something public, so a
    visitor never picks a filter that can only give an empty list.

    Build it with ``DirectoryForm(request.GET, **directory_choices())``: the areas and
    programs are read there, so the form itself costs no query."""

    q = forms.CharField(
        label=_("Search by name or code"),
        max_length=100,
        required=False,
        help_text=_("Accents are optional: “tay mo” finds “Tây Mỗ”."),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. tay mo"), "enterkeyhint": "search"}),
    )
    province = _filter(_("Province or city"), _("No province or city “%(value)s” in the list; choose one from it."))
    # Districts were abolished on 1 July 2025: the filter finds where units stood before.
    district = _filter(
        _("District (until 30 June 2025)"), _("No district “%(value)s” in the list; choose one from it.")
    )
    level = _filter(
        _("School level"),
        _("“%(value)s” is not a school level; choose one from the list."),
        [("", _("All levels")), *Organization.Level.choices],
    )
    program = _filter(_("Program"), _("No public program “%(value)s”; choose one from the list."))
    status = _filter(
        _("Status"),
        _("“%(value)s” is not a status shown here; choose one from the list."),
        [
            ("", _("Active or ended")),
            (Pair.Status.ACTIVE, Pair.Status.ACTIVE.label),
            (Pair.Status.ENDED, Pair.Status.ENDED.label),
        ],
    )

    FILTERS = ("province", "district", "level", "program", "status")

    def __init__(self, *args, provinces=(), districts=(), programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._areas = {area.slug: area for area in [*provinces, *districts]}
        self.fields["province"].choices = [("", _("All provinces")), *((p.slug, p.name) for p in provinces)]
        # Districts grouped under their province, so two districts of the same name
        # in different provinces can be told apart; once a province is chosen, only
        # its own districts (static/js/directory.js narrows the list as soon as the
        # province changes, from ``district_groups``).
        groups: dict[tuple[str, str], list] = {}
        for district in districts:
            groups.setdefault((district.parent.name, district.parent.slug), []).append((district.slug, district.name))
        self.district_groups = [
            {"province": slug, "name": name, "districts": items}
            for (name, slug), items in sorted(groups.items(), key=lambda g: vi_key(g[0][0]))
        ]
        province = self.data.get("province") if self.is_bound else None
        if province and province in self._areas:
            chosen = [item for g in self.district_groups if g["province"] == province for item in g["districts"]]
            self.fields["district"].choices = [("", _("All districts")), *chosen]
        else:
            self.fields["district"].choices = [
                ("", _("All districts")),
                *((g["name"], g["districts"]) for g in self.district_groups),
            ]
        self._programs = {program.slug: program for program in programs}
        self.fields["program"].choices = [
            ("", _("All programs")),
            *((p.slug, f"{p.display_name} ({p.phase_display})") for p in programs),
        ]

    def clean_province(self):
        return self._areas.get(self.cleaned_data["province"])

    def clean_district(self):
        return self._areas.get(self.cleaned_data["district"])

    def clean_program(self):
        return self._programs.get(self.cleaned_data["program"])

    def valid_data(self) -> dict:
        """The valid values by field name (None when not given). A bad value in one
        field is shown as an error under it and does not stop the others filtering."""
        self.is_valid()
        return {name: (None if name in self.errors else self.cleaned_data.get(name)) for name in self.fields}


def directory_choices() -> dict:
    """The filter choices of the directory (the places of the units taking part, the
    public programs), kept a minute in the cache: reading them scans every placement of
    every unit taking part."""
    return public_figures(_directory_choices, "directory-choices")


def _directory_choices() -> dict:
    """The provinces and districts where a unit of a public pair stands or stood, and
    the public programs: the keyword arguments of DirectoryForm. Three queries: the
    places of those units (over time: a district of 2022–2025 stays a choice after the
    districts ended), their areas, the programs. Areas are in Vietnamese order."""
    units = units_taking_part_in(Pair.objects.public(), Organization.objects.filter(kind__in=Pair.PAIRABLE_KINDS))
    places = (
        Placement.objects.filter(organization_id__in=units.values("pk"))
        .order_by()
        .values_list("area_id", "area__parent_id", "area__parent__parent_id")
        .distinct()
    )
    area_ids = {area_id for row in places for area_id in row if area_id}
    areas = sorted(
        Area.objects.filter(pk__in=area_ids, kind__in=[Area.Kind.PROVINCE, Area.Kind.DISTRICT]).select_related(
            "parent"
        ),
        key=lambda area: vi_key(area.name),
    )
    return {
        "provinces": [area for area in areas if area.kind == Area.Kind.PROVINCE],
        "districts": [
            area for area in areas if area.kind == Area.Kind.DISTRICT and area.parent and area.parent_id in area_ids
        ],
        "programs": list(Program.objects.public().order_by("-start_year", vi_order("name"))),
    }
