"""Totals of support: money and gifts in kind, never added together.

A gift in kind ("35 bộ máy tính") may carry a money value or not; adding its value to
the money given would mix a guess with what was paid, and counting a gift with no
value as 0 ₫ would hide it. So a total is the money given, then the items given in
kind by what they are ("240.000.000 ₫ và 35 bộ máy tính, 1.200 cuốn sách"), with the
value recorded for those items apart.

``support_of(donations)`` reads a query set in one grouped query; code that already
groups donations adds its rows with ``SupportTotal.add``.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from twinning.lib.i18n import mark_vi
from twinning.lib.money import format_count, format_vnd

# Group donations by these, with ``SUMS``, to total them (add each row with ``add_row``).
GROUP_BY = ("nature", "unit_label")
# The items of a total named one by one; beyond, the rest are counted together.
ITEMS_SHOWN = 3


def sums():
    return {"total": Sum("amount"), "quantity": Sum("quantity"), "n": Count("pk")}


@dataclass
class SupportTotal:
    money: int = 0
    records: int = 0
    items: Counter = field(default_factory=Counter)
    in_kind_value: int = 0
    in_kind_records: int = 0

    def add(self, *, nature, total, quantity, unit_label, n):
        self.records += n
        if nature == "in_kind":
            self.in_kind_records += n
            self.items[unit_label] += quantity or 0
            self.in_kind_value += total or 0
        else:
            self.money += total or 0

    def add_row(self, row: dict):
        """Adds a row of ``values(*GROUP_BY).annotate(**sums())``."""
        self.add(
            nature=row["nature"], total=row["total"], quantity=row["quantity"], unit_label=row["unit_label"], n=row["n"]
        )

    def __iadd__(self, other: "SupportTotal"):
        self.money += other.money
        self.records += other.records
        self.items.update(other.items)
        self.in_kind_value += other.in_kind_value
        self.in_kind_records += other.in_kind_records
        return self

    def __bool__(self):
        return bool(self.records or self.money)

    @property
    def money_display(self) -> str:
        return format_vnd(self.money)

    @property
    def items_display(self) -> str:
        """ "35 bộ máy tính, 1.200 cuốn sách" (the largest first; beyond ITEMS_SHOWN,
        "and 40 other items"), or "" when nothing was given in kind."""
        return self.items_text()

    @property
    def items_html(self) -> str:
        """``items_display`` for a page: escaped, each item (typed in Vietnamese) marked
        lang="vi" on a page in another language (``mark_vi``), the count of the other
        items in the page's language."""
        return self.items_text(html=True)

    def items_text(self, html: bool = False) -> str:
        """``items_display``; with ``html``, ``items_html``."""
        ranked = sorted(self.items.items(), key=lambda item: (-item[1], item[0]))
        shown = [f"{format_count(n)} {label}" for label, n in ranked[:ITEMS_SHOWN]]
        if html:
            shown = [mark_vi(item) for item in shown]
        rest = sum(n for _label, n in ranked[ITEMS_SHOWN:])
        if rest:
            other = ngettext("%(n)s other item", "%(n)s other items", rest) % {"n": format_count(rest)}
            shown.append(conditional_escape(other) if html else other)
        return mark_safe(", ".join(shown)) if html else ", ".join(shown)

    @property
    def in_kind_value_display(self) -> str:
        return format_vnd(self.in_kind_value) if self.in_kind_value else ""

    def __str__(self):
        """ "240.000.000 ₫", "240.000.000 ₫ and 35 bộ máy tính", or "35 bộ máy tính"."""
        items = self.items_display
        if not items:
            return self.money_display
        if not self.money:
            return items
        return _("%(money)s and in kind: %(items)s") % {"money": self.money_display, "items": items}


def support_of(donations) -> SupportTotal:
    """The ``SupportTotal`` of a donation query set: one grouped query."""
    total = SupportTotal()
    for row in donations.order_by().values(*GROUP_BY).annotate(**sums()):
        total.add_row(row)
    return total


def support_of_rows(donations) -> SupportTotal:
    """The ``SupportTotal`` of donations already loaded (no query)."""
    total = SupportTotal()
    for d in donations:
        total.add(nature=d.nature, total=d.amount, quantity=d.quantity, unit_label=d.unit_label, n=1)
    return total
