"""twinning.lib.paging: long lists are paged without counting every row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Activity
from tests import factories as f
from tests.helpers import page_text
from twinning.lib.paging import CappedPaginator, narrow_page


@pytest.mark.django_db
def test_it_counts_exactly_up_to_the_cap_and_says_more_beyond(cast):
    for day in range(1, 8):
        f.activity(cast.taymo_md, title=f"Hoạt động {day}", happened_on=f.datetime.date(2023, 3, day))
    activities = Activity.objects.order_by("-happened_on")
    exact = CappedPaginator(activities, 2, cap=10)
    assert (exact.count, exact.is_capped, exact.num_pages) == (7, False, 4)
    capped = CappedPaginator(activities, 2, cap=5)
    with CaptureQueriesContext(connection) as queries:
        assert (capped.count, capped.is_capped, capped.num_pages) == (6, True, 3)
    assert "LIMIT 6" in queries[0]["sql"]
    last = capped.get_page(99)
    assert last.number == 3 and not last.has_next()
    assert [a.title for a in last] == ["Hoạt động 3"]  # the 5th row, never the 6th counted


@pytest.mark.django_db
def test_the_activity_list_says_when_it_shows_only_the_first_rows(cast, client_for, monkeypatch):
    monkeypatch.setattr(CappedPaginator.__init__, "__defaults__", (4,))
    monkeypatch.setattr("programs.views.workspace.activities.PAGE_SIZE", 2)
    for day in range(1, 8):
        f.activity(cast.taymo_md, title=f"Hoạt động {day}", happened_on=f.datetime.date(2023, 3, day))
    client = client_for(cast.users.staff_hn)
    first = page_text(client.get("/workspace/activities/"))
    assert "Trang 1" in first and "Trang 1 /" not in first
    last = page_text(client.get("/workspace/activities/", {"page": 99}))
    assert "Danh sách có hơn 4 dòng và chỉ hiện 4 dòng đầu" in last


@pytest.mark.django_db
def test_a_narrow_page_holds_the_same_rows_in_the_same_order_read_in_full(cast):
    for day in range(1, 8):
        f.activity(cast.taymo_md, title=f"Hoạt động {day}", happened_on=f.datetime.date(2023, 3, day % 4 + 1))
    activities = Activity.objects.select_related("pair__mentor").order_by("-happened_on", "title")
    for number in (1, 2, 3, 99):
        plain = CappedPaginator(activities, 3).get_page(number)
        with CaptureQueriesContext(connection) as queries:
            narrow = narrow_page(activities, 3, number)
            names = [(a.title, a.pair.mentor.name) for a in narrow]  # no query per row
        assert names == [(a.title, a.pair.mentor.name) for a in plain]
        assert (narrow.number, narrow.paginator.count, narrow.has_next()) == (plain.number, 7, plain.has_next())
        assert len(queries) == 3  # count, the page's ids, their rows
        assert '"title"' not in queries[1]["sql"].split("FROM")[0]  # the ids alone
