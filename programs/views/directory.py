"""The public directory (/pairs/): every public pair, school and office, with search
that ignores diacritics and case, and filters by place, level, program and status.

Two lists share one search form: pairs (by either side's name or code) and the
schools and offices taking part. A fixed number of queries whatever the page size
or the data: the choices (3), the count and the page of the list shown (and, for
pairs, their public activities), the count of the other list, and for units two prefetches of their partners.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_safe

from programs.forms.directory import DirectoryForm, directory_choices
from programs.models import Pair
from programs.querysets import attach_public_activity_counts, units_taking_part_in
from programs.structure import attach_places
from schools.models import Organization
from twinning.lib.cache import cached_for_visitors
from twinning.lib.collation import vi_order

PAGE_SIZE = 20
PAIRS, UNITS = "pairs", "units"


def _pairs_in_program_and_status(data):
    pairs = Pair.objects.public()
    if data["program"]:
        pairs = pairs.filter(program=data["program"])
    if data["status"]:
        pairs = pairs.filter(status=data["status"])
    return pairs


def _matching(queryset, data):
    """The search, place and level filters, which pairs (on either side) and units
    (on themselves) both offer as search(), in_area() and of_level()."""
    if data["q"]:
        queryset = queryset.search(data["q"])
    for area in (data["province"], data["district"]):
        if area:
            queryset = queryset.in_area(area)
    if data["level"]:
        queryset = queryset.of_level(data["level"])
    return queryset


@require_safe
@cached_for_visitors
def directory(request):
    form = DirectoryForm(request.GET or None, **directory_choices())
    data = form.valid_data() if form.is_bound else dict.fromkeys(form.fields)
    show = UNITS if request.GET.get("show") == UNITS else PAIRS
    pairs = _matching(_pairs_in_program_and_status(data), data)
    # Schools and offices taking part in a pair of the chosen program and status.
    units = _matching(
        units_taking_part_in(
            _pairs_in_program_and_status(data), Organization.objects.filter(kind__in=Pair.PAIRABLE_KINDS)
        ),
        data,
    )
    if show == PAIRS:
        listed = pairs.select_related("program", "mentor", "mentee").order_by(
            "-program__start_year",
            vi_order("program__name"),
            "mentor_kind",
            vi_order("mentor__name"),
            vi_order("mentee__name"),
        )
        other_count = units.count()
    else:
        public_pairs = Pair.objects.public().select_related("program")
        listed = (
            units.select_related("area__parent")
            .prefetch_related(
                Prefetch("mentor_pairs", queryset=public_pairs.select_related("mentee"), to_attr="public_mentor_pairs"),
                Prefetch("mentee_pairs", queryset=public_pairs.select_related("mentor"), to_attr="public_mentee_pairs"),
            )
            .order_by(vi_order("name"))
        )
        other_count = pairs.count()
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    if show == PAIRS:
        page.object_list = list(page.object_list)
        attach_places(page.object_list)
        attach_public_activity_counts(page.object_list)
    context = {
        "form": form,
        "show": show,
        "page": page,
        "pair_count": page.paginator.count if show == PAIRS else other_count,
        "unit_count": page.paginator.count if show == UNITS else other_count,
        "query": data["q"] or "",
        "filter_count": sum(1 for name in DirectoryForm.FILTERS if data[name]),
        "is_filtered": any(data.values()),
    }
    return render(request, "public/directory.html", context)
