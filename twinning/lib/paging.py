"""Pages of long lists that do not count the whole table on every request.

Django's ``Paginator`` runs ``COUNT(*)`` over everything the list could show, to print
"page 3 of 12 500": on a department's 200 000 activities that count costs more than the
page itself. ``CappedPaginator`` counts at most ``cap`` + 1 rows (``SELECT COUNT(*) FROM
(… LIMIT cap + 1)``): an exact count up to the cap, "more than cap" beyond it, and pages
up to the cap; nobody pages through 100 pages of 20, they filter (by year, pair, state),
which the list offers above it.
"""

import math

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property

COUNT_CAP = 2000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap=COUNT_CAP, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        """The number of rows, or ``cap`` + 1 when there are more than ``cap``."""
        if isinstance(self.object_list, QuerySet):
            return self.object_list.order_by()[: self.cap + 1].count()
        return min(len(self.object_list), self.cap + 1)

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        if self.is_capped:
            return math.ceil(self.cap / self.per_page)
        return super().num_pages

    def page(self, number):
        """A page, never reaching past the cap (the extra row counted is not shown)."""
        if not self.is_capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.cap)
        return self._get_page(self.object_list[bottom:top], number, self)


def narrow_page(queryset, per_page, number, paginator_class=CappedPaginator, count=None, **kwargs):
    """The page ``number`` of ``queryset`` (ordered), chosen by the rows' ids alone, then
    read in full by id: a "deferred join". Sorted with every selected column (the units
    and program of each pair, 857 bytes a row), a province's 25 000 pairs spilled to disk
    (64 ms); sorted as ids and sort keys, 27 ms with the second query. One query more
    than a plain page, for a page of rows ordered as the ids were. ``count``: the
    number of rows when the caller has counted them already."""
    paginator = paginator_class(queryset.values_list("pk", flat=True), per_page, **kwargs)
    if count is not None:
        paginator.count = count
    page = paginator.get_page(number)
    ids = list(page.object_list)
    rows = queryset.order_by().in_bulk(ids) if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page
