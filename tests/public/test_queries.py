"""Each public page uses a fixed number of queries whatever the data size: the count
is taken with the small world, then again after adding many pairs, activities with
photos, donations and memoranda. The comments list the queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Memorandum, Signatory
from tests import factories as f
from tests.public.conftest import add_photo

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow(world, n=25):
    """Many more rows behind every page: school pairs of Tây Mỗ and of the Nam Từ Liêm
    partnership, each with activities (two photos each), support and a memorandum."""
    cast = world.cast
    for i in range(n):
        school = f.org(f"Trường THCS thêm {i:02d}", area=cast.districts["Mỹ Đức"], parent=cast.office["md"])
        pair = f.pair(cast.program, cast.taymo, school, parent=cast.ntl_md, started_on=datetime.date(2023, 1, 1))
        for day in (1, 2):
            activity = f.activity(pair, title=f"Hoạt động {i}-{day}", happened_on=datetime.date(2023, 4, day))
            add_photo(activity)
            add_photo(activity)
        add_photo(f.activity(cast.taymo_md, title=f"Thêm cho Tây Mỗ {i}", happened_on=datetime.date(2023, 5, 1)))
        f.donation(cast.program, school, donor_org=cast.taymo, pair=pair, kind=("gift", "books", "equipment")[i % 3])
        memo = Memorandum(program=cast.program, title=f"Biên bản {i}")
        memo.save()
        memo.pairs.add(pair, cast.taymo_md, cast.ntl_md)
        Signatory.objects.create(memorandum=memo, title="Hiệu trưởng")
        Signatory.objects.create(memorandum=memo, title="Trưởng phòng")


PAGES = {
    # programs with counts and totals, their organizers; schools taking part; this
    # year's activities; latest activities and their photos
    "home": (lambda w: "/", 6),
    # program, organizers, its office partnerships, their sides' placements, its school
    # pairs (as values), recent activities, their photos, activity count, support by kind,
    # the gaps of its public indicators (the indicators themselves only when some are kept)
    "program": (lambda w: w.cast.program.get_absolute_url(), 10),
    # pair, its sides' placements, memoranda, their signatories, school pairs, activity
    # count, page of activities, their photos, support by kind
    "pair": (lambda w: w.cast.ntl_md.get_absolute_url(), 9),
    "school pair": (lambda w: w.cast.taymo_md.get_absolute_url(), 8),
    # unit, its pairs (with activity counts), their sides' placements, activity count,
    # page of activities, their photos, programs it organizes, its earlier placements
    "school": (lambda w: w.cast.taymo.get_absolute_url(), 8),
    # ... and, for an office, its schools taking part
    "office": (lambda w: w.cast.office["ntl"].get_absolute_url(), 9),
    # activity, its photos, more activities of the pair
    "activity": (lambda w: w.lesson.get_absolute_url(), 3),
    # the filter choices (places of the units taking part, their areas, programs);
    # pair count and page, the pairs' sides' placements, their public activities; unit count
    "directory": (lambda w: "/pairs/?q=tay+mo", 8),
    # ... and for units: their two kinds of partners
    "directory units": (lambda w: "/pairs/?show=units&district=" + w.cast.districts["Mỹ Đức"].slug, 8),
    "directory page 2": (lambda w: "/pairs/?page=2", 8),
    # a province narrows the district choices from the areas already read
    "directory province": (lambda w: "/pairs/?province=" + w.cast.hanoi.slug, 8),
}


@pytest.mark.parametrize("name", PAGES)
def test_it_uses_a_fixed_number_of_queries(client, world, name):
    url, expected = PAGES[name]
    # Something on every list already (an empty list costs fewer queries).
    add_photo(f.activity(world.cast.ntl_md, title="Hội nghị hai Phòng", happened_on=datetime.date(2023, 3, 1)))
    small = queries(client, url(world))
    grow(world)
    assert queries(client, url(world)) == small == expected


def test_it_lists_a_full_directory_page_with_as_many_queries_as_a_short_one(client, world):
    short = queries(client, "/pairs/?q=tay+mo")  # one pair
    grow(world, n=30)
    assert queries(client, "/pairs/?q=tay+mo") == short  # a full page of 20 of 31
