"""Which program and school year a report shows.

Every report page, download and the review pages take ``?program=<slug>&year=<YYYY-YYYY>``.
Without them: the program is the most recent one the user can see, and the year is
the most recent school year, not after the current one, in which the program has
reported activities, donations or year-end reviews in the user's scope; when it has
none yet, the current school year, kept within the program's phase. (Today may lie
after the phase: the Hà Nội movement ran 2022–2025, so its default is the last year
with recorded work, not an empty 2026–2027.)
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Q, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language

from programs.models import Donation, Pair, PairYear, Plan, Program, Review
from twinning.lib.schoolyear import (
    current_school_year,
    display_school_year,
    parse_school_year,
    school_year_bounds,
    school_year_of,
)


@dataclass
class ReportParams:
    program: Program
    year: str
    programs: list = field(default_factory=list)
    years: list = field(default_factory=list)
    year_error: str = ""

    @property
    def year_display(self):
        return display_school_year(self.year)

    @property
    def bounds(self):
        return school_year_bounds(self.year)

    # A report page links to its rows a few hundred times (every number of the units'
    # table): each link's path is worked out once per page, and the program and year
    # encoded once.
    _paths: dict = field(default_factory=dict, repr=False, compare=False)
    _base_query: str = field(default="", repr=False, compare=False)

    def query(self, **extra) -> str:
        """The query string that keeps this program and year (plus ``extra``)."""
        if not self._base_query:
            self._base_query = urlencode({"program": self.program.slug, "year": self.year})
        rest = {k: v for k, v in extra.items() if v not in (None, "")}
        return f"{self._base_query}&{urlencode(rest)}" if rest else self._base_query

    def path(self, url_name, args=()) -> str:
        """``reverse(url_name, args=args)``, worked out once for this page (and language)."""
        key = (url_name, tuple(args), get_language())
        if key not in self._paths:
            self._paths[key] = reverse(url_name, args=args)
        return self._paths[key]


def _first_year(year: str) -> int:
    return int(year[:4])


def _year(first: int) -> str:
    return f"{first}-{first + 1}"


def _first_of(queryset, name, descending=False):
    order = f"-{name}" if descending else name
    return Subquery(queryset.filter(pk__isnull=False).order_by(order).values(name)[:1])


def _start(key, value):
    """The start year of a bound read by ``year_span`` or ``latest_reported``."""
    return _first_year(school_year_of(value) if key.startswith("d_") else value)


def year_span(program: Program):
    """(first, last) start years with data in the program (activities, donations,
    reviews, plans), or None. One query.

    The span is the program's, not the user's scope's: the years offered are those in
    which the movement had work anywhere (a year with nothing in the user's units shows
    zeros), each bound one walk of an index on the school year or date instead of a
    scan of every pair in scope (65 ms at national scale, issue 11)."""
    in_program = Pair.objects.filter(program=program).values("pk")
    # Years with counted activities, from each pair's kept yearly figures (one row per
    # pair and year rather than every activity).
    activities = PairYear.objects.filter(pair__program=program).filter(Q(reported__gt=0) | Q(confirmed__gt=0))
    bounds = {
        "a": (activities, "school_year"),
        "d": (Donation.objects.filter(program=program), "given_on"),
        "r": (Review.objects.filter(pair__in=in_program), "school_year"),
        "p": (Plan.objects.filter(pair__in=in_program), "school_year"),
    }
    annotations = {}
    for key, (queryset, name) in bounds.items():
        annotations[f"{key}_min"] = _first_of(queryset.order_by(), name)
        annotations[f"{key}_max"] = _first_of(queryset.order_by(), name, True)
    row = Program.objects.filter(pk=program.pk).annotate(**annotations).values(*annotations).first() or {}
    starts = [_start(key, value) for key, value in row.items() if value]
    return (min(starts), max(starts)) if starts else None


def latest_reported(user, program: Program) -> int | None:
    """The start year of the latest school year with reported work (activities,
    donations, reviews) in the user's scope, or None. One query; only needed when no
    year is asked for."""
    pairs = Pair.objects.visible_to(user).filter(program=program).values("pk")
    activities = PairYear.objects.filter(pair__in=pairs).filter(Q(reported__gt=0) | Q(confirmed__gt=0))
    row = (
        Program.objects.filter(pk=program.pk)
        .annotate(
            a_max=_first_of(activities.order_by(), "school_year", True),
            d_max=_first_of(Donation.objects.visible_to(user).filter(program=program).order_by(), "given_on", True),
            r_max=_first_of(Review.objects.filter(pair__in=pairs).order_by(), "school_year", True),
        )
        .values("a_max", "d_max", "r_max")
        .first()
    ) or {}
    reported = [_start(key, value) for key, value in row.items() if value]
    return max(reported) if reported else None


def default_year(program: Program, latest_reported: int | None) -> str:
    current = _first_year(current_school_year())
    if latest_reported is not None and latest_reported <= current:
        return _year(latest_reported)
    last_in_phase = program.end_year - 1
    return _year(max(program.start_year, min(current, last_in_phase)))


def year_choices(program: Program, span, chosen: str) -> list[str]:
    """The phase's school years, the years with data and the chosen one, newest first."""
    firsts = {_first_year(y) for y in program.school_years}
    if span:
        firsts.update(range(span[0], span[1] + 1))
    firsts.add(_first_year(chosen))
    return [_year(y) for y in sorted(firsts, reverse=True)]


def report_params(user, data) -> ReportParams | None:
    """The program and year asked for in ``data`` (a QueryDict), or their defaults.
    None when the user sees no program; 404 for a program outside their scope."""
    from django.utils.translation import gettext as _

    programs = list(Program.objects.visible_to(user).order_by("-start_year", "name"))
    if not programs:
        return None
    slug = (data.get("program") or "").strip()
    if slug:
        program = next((p for p in programs if p.slug == slug), None)
        if program is None:
            raise Http404("program outside the scope")
    else:
        program = programs[0]
    span = year_span(program)
    year_error = ""
    text = (data.get("year") or "").strip()
    year = None
    if text:
        try:
            year = parse_school_year(text)
        except ValidationError:
            year_error = _("“%(value)s” is not a school year; showing %(year)s instead.")
    if year is None:
        year = default_year(program, latest_reported(user, program))
        if year_error:
            year_error = year_error % {"value": text, "year": display_school_year(year)}
    return ReportParams(
        program=program,
        year=year,
        programs=programs,
        years=year_choices(program, span, year),
        year_error=year_error,
    )


def report_params_or_404(user, data) -> ReportParams:
    params = report_params(user, data)
    if params is None:
        raise Http404("no program in scope")
    return params
