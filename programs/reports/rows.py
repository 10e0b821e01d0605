"""The rows the figures are made of: a pair's figures for the year (``PairRow``),
their sums for a unit or the whole scope (``Tally``), a unit's row (``UnitRow``) and
everything the dashboard, the printable report and the summary sheet show
(``Report``)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field, replace

from django.utils.html import conditional_escape

from programs.models import Pair, Review
from programs.querysets import (
    SUBMITTED_REVIEW_STATUSES,
)
from programs.reports.units import unit_label
from schools.models import Organization

LIST_LIMIT = 10
# The dashboard shows this many office partnerships and support flows (the largest
# first), with a link to all of them; the printable report shows every one.
SHORT_LIST_LIMIT = 20
# The printable report names up to this many pairs that have not submitted their review
# (and says how many more); the pages keep no more of any list of pairs (Report.for_pages).
NAMED_LIMIT = 200
# Rows of the per-unit table on one page of the dashboard (a province has up to about


@dataclass
class PairRow:
    """One pair and its figures for the year."""

    pk: int
    code: str
    name: str
    status: str
    kind: str
    level: str
    parent_id: int | None
    units: tuple
    reported: int = 0
    confirmed: int = 0
    participants: int = 0
    planned: int = 0
    done: int = 0
    review_status: str = ""
    review_late: bool = False
    rating: str = ""
    commended: bool = False
    last_activity_on: datetime.date | None = None
    is_quiet: bool = False

    @property
    def activities(self):
        return self.reported + self.confirmed

    @property
    def is_active(self):
        return self.status == Pair.Status.ACTIVE

    @property
    def review_submitted(self):
        return self.review_status in SUBMITTED_REVIEW_STATUSES

    @property
    def completion(self):
        return percent(self.done, self.planned)

    @property
    def status_label(self):
        return Pair.Status(self.status).label

    @property
    def review_status_label(self):
        return Review.Status(self.review_status).label if self.review_status else ""

    @property
    def rating_label(self):
        return Review.Rating(self.rating).label if self.rating else ""


@dataclass
class Tally:
    """The same figures for a unit, or for every pair in scope counted once."""

    pairs_by_status: Counter = field(default_factory=Counter)
    school_pairs: int = 0
    reported: int = 0
    confirmed: int = 0
    participants: int = 0
    planned: int = 0
    done: int = 0
    reviews_submitted: int = 0
    reviews_late: int = 0
    quiet: int = 0
    given_sponsorship: int = 0
    given_other: int = 0
    own: int = 0
    received: int = 0

    @property
    def pairs(self):
        return sum(self.pairs_by_status.values())

    @property
    def active(self):
        return self.pairs_by_status.get(Pair.Status.ACTIVE, 0)

    @property
    def activities(self):
        return self.reported + self.confirmed

    @property
    def given(self):
        return self.given_sponsorship + self.given_other

    @property
    def reviews_missing(self):
        return self.active - self.reviews_submitted

    @property
    def completion(self):
        return percent(self.done, self.planned)

    @property
    def reviews_on_time(self):
        return self.reviews_submitted - self.reviews_late

    @property
    def reporting_rate(self):
        return percent(self.reviews_submitted, self.active)

    def add_pair(self, row: PairRow):
        self.pairs_by_status[row.status] += 1
        if row.kind == Organization.Kind.SCHOOL and row.is_active:
            self.school_pairs += 1
        self.reported += row.reported
        self.confirmed += row.confirmed
        self.participants += row.participants
        self.planned += row.planned
        self.done += row.done
        if row.is_active:
            self.reviews_submitted += int(row.review_submitted)
            self.reviews_late += int(row.review_submitted and row.review_late)
            self.quiet += int(row.is_quiet)


@dataclass
class UnitRow:
    unit: Organization | None
    tally: Tally
    title: str = ""

    @property
    def label(self):
        return self.title or unit_label(self.unit)

    @property
    def label_html(self):
        """``label`` for a page: the unit's name marked as Vietnamese on a page in
        another language (``unit_label``)."""
        return conditional_escape(self.title) if self.title else unit_label(self.unit, html=True)


@dataclass
class Report:
    """Everything the dashboard, the printable report and the summary sheet show."""

    pairs: list
    units: list
    total: Tally
    status_level: list
    partnerships: list
    loose_school_pairs: int
    kinds: list
    months: list
    people: dict
    support_by_kind: list
    support_totals: dict
    flows: list
    plan_pairs: list
    missing_reviews: list
    quiet_pairs: list
    ratings: list
    commended: int
    today: datetime.date
    calendar: object = None
    unit_index: dict = field(default_factory=dict)
    # {category: SupportTotal}: the money and, apart, the gifts in kind of each category.
    support_in_kind: dict = field(default_factory=dict)
    # The whole length of each list of pairs cut by for_pages().
    lengths: dict = field(default_factory=dict)

    CUT_LISTS = ("plan_pairs", "missing_reviews", "quiet_pairs")

    def for_pages(self):
        """A copy for the dashboard and the printable report, the one kept in the cache:
        without every pair's row (only the workbook and the pair rows list them) and
        with each list of pairs cut to the NAMED_LIMIT first, its whole length kept
        (``*_total``). A province of 25 000 pairs: the cached printable report read
        (unpickled) 117 ms of rows it never shows."""
        return replace(
            self,
            pairs=[],
            lengths={name: len(getattr(self, name)) for name in self.CUT_LISTS},
            **{name: getattr(self, name)[:NAMED_LIMIT] for name in self.CUT_LISTS},
        )

    def _length(self, name):
        return self.lengths.get(name, len(getattr(self, name)))

    @property
    def plan_pairs_total(self):
        return self._length("plan_pairs")

    @property
    def missing_reviews_total(self):
        return self._length("missing_reviews")

    @property
    def quiet_pairs_total(self):
        return self._length("quiet_pairs")

    @property
    def partnerships_top(self):
        return self.partnerships[:SHORT_LIST_LIMIT]

    @property
    def flows_top(self):
        return self.flows[:SHORT_LIST_LIMIT]

    @property
    def plan_pairs_top(self):
        return self.plan_pairs[:LIST_LIMIT]

    @property
    def missing_reviews_top(self):
        return self.missing_reviews[:LIST_LIMIT]

    @property
    def quiet_pairs_top(self):
        return self.quiet_pairs[:LIST_LIMIT]


def percent(part, whole):
    """A whole percentage, or None when there is nothing to divide by."""
    if not whole:
        return None
    return round(100 * part / whole)
