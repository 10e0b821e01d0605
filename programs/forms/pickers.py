"""Pickers for long lists (units, areas): a search box narrowing a select, on the
server without JavaScript and as you type with it (static/js/org-picker.js, which
asks ``workspace:unit-search`` or ``workspace:area-search`` for the <option>s).

A form using them mixes in ``PickerMixin``, declares ``<name>_q`` (the search box)
and ``<name>`` (a ModelChoiceField) for each picker, and gives ``picker_options``;
the template includes ``workspace/pairs/_org_picker.html`` with
``picker=form.pickers.<name>``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from programs.forms import EMPTY_CHOICE
from schools.models import Area
from twinning.lib.collation import vi_order
from twinning.lib.dates import display_date

PICKER_LIMIT = 30


def area_label(area: Area) -> str:
    """An area as a person tells it apart: "Phường Tây Mỗ, Thành phố Hà Nội (00637)",
    with the day it ended when it no longer exists."""
    label = area.full_name
    if area.code:
        label = f"{label} ({area.code})"
    if area.valid_until:
        label = _("%(area)s – until %(date)s") % {"area": label, "date": display_date(area.valid_until)}
    return label


def area_options(text: str = "", selected_id=None, limit: int = PICKER_LIMIT) -> tuple[list[Area], bool]:
    """Areas that exist today (communes, wards, special zones and provinces) matching
    ``text``, provinces first, then in Vietnamese order; (areas, more). Without text,
    nothing but the selected area: the country has thousands of communes. Two
    queries (one more for a selected area outside the list)."""
    found = []
    if text.strip():
        areas = (
            Area.objects.current()
            .exclude(kind=Area.Kind.DISTRICT)
            .search(text)
            .select_related("parent")
            .order_by("-kind", vi_order("name"))
        )
        found = list(areas[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if selected_id and str(selected_id).isdigit() and all(str(a.pk) != str(selected_id) for a in found):
        chosen = Area.objects.filter(pk=selected_id).select_related("parent").first()
        if chosen is not None:
            found.insert(0, chosen)
    return found, more


class PickerMixin:
    """Fills the choices of each picker's select from its search box (see the module
    docstring). ``picker_options(name, text, selected)`` returns ((value, label) list,
    more); ``picker_urls`` maps a picker to the URL name of its live search and
    ``picker_kinds`` to the ``kind`` it sends there."""

    picker_names: tuple[str, ...] = ()
    picker_urls: dict[str, str] = {}
    picker_kinds: dict[str, str] = {}

    def setup_pickers(self):
        self.more = {}
        for name in self.picker_names:
            text = self.value(f"{name}_q")
            options, more = self.picker_options(name, text, self.value(name))
            self.more[name] = more
            if not self.is_bound and text and not self.value(name) and len(options) == 1:
                self.initial[name] = options[0][0]  # the only match of a search is the choice
            self.fields[name].widget.choices = [("", EMPTY_CHOICE), *options]

    def picker_options(self, name, text, selected):
        raise NotImplementedError

    def value(self, name):
        """The submitted (or initial) value of a field, as text."""
        if self.is_bound:
            return (self.data.get(name) or "").strip()
        value = self.initial.get(name, self.fields[name].initial)
        return "" if value is None else str(getattr(value, "pk", value)).strip()

    @property
    def pickers(self):
        return {
            name: {
                "search": self[f"{name}_q"],
                "select": self[name],
                "more": self.more.get(name, False),
                "side": name,
                "url": reverse(self.picker_urls.get(name, "workspace:unit-search")),
                "kind": self.picker_kinds.get(name, ""),
                "required": self.fields[name].required,
            }
            for name in self.picker_names
        }
