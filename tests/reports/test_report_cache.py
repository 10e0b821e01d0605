"""The report's figures kept in the cache (programs.reports.cache): read again without
working them out, and never shown old after a write, whatever wrote it."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from programs import bulk
from programs.models import Pair
from programs.reports import cache as report_cache
from tests import factories as f
from tests.helpers import page_text
from tests.reports.conftest import YEAR

DASHBOARD = "/reports/"


def _visit(client, cast, url=DASHBOARD):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"program": cast.program.slug, "year": YEAR})
    assert response.status_code == 200
    return len(captured), response


def test_a_second_visit_reads_the_figures_from_the_cache(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    first, response = _visit(client, cast)
    again, response_again = _visit(client, cast)
    # Kept: session, user, scope, programs in sight, the program's year span, the
    # figures' version, the outcomes' gaps, unread notifications; the twelve queries
    # that work the figures out are not run.
    assert (first, again) == (18, 8)
    assert page_text(response_again) == page_text(response)
    assert "240.000.000 ₫" in page_text(response_again)


def test_each_user_and_language_has_its_own_figures(cast, year_data, client_for):
    _visit(client_for(cast.users.staff_hn), cast)
    page = page_text(_visit(client_for(cast.users.officer_ntl), cast)[1])
    assert "Long Biên" not in page and "Mê Linh" not in page  # not the department's figures
    english = client_for(cast.users.staff_hn).get(
        "/en" + DASHBOARD, {"program": cast.program.slug, "year": YEAR}, follow=True
    )
    assert "Partnerships between units" in page_text(english)


def test_the_unit_a_user_acts_for_has_its_own_figures(cast, year_data, client_for):
    from schools.models import Membership

    user = f.user("hai.phong", role="office_officer", organization=cast.office["lb"])
    ntl = Membership.objects.create(user=user, organization=cast.office["ntl"], role="office_officer")
    client = client_for(user)

    def units():
        return {row.unit.pk for row in _visit(client, cast)[1].context["report"].units}

    lb, ntl_office = cast.office["lb"].pk, cast.office["ntl"].pk
    both = units()
    assert {lb, ntl_office} <= both
    client.post("/accounts/acting/", {"membership": ntl.pk})
    assert ntl_office in units() and lb not in units()  # not the figures of both units
    client.post("/accounts/acting/", {"membership": ""})
    assert units() == both


def test_the_cache_can_be_turned_off(cast, year_data, client_for, settings):
    settings.REPORT_CACHE_SECONDS = 0
    client = client_for(cast.users.staff_hn)
    assert _visit(client, cast)[0] == _visit(client, cast)[0] == 17  # no version read, all worked out


def _teachers(response):
    return response.context["report"].people["teachers"]


def test_a_saved_activity_shows_at_once(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    before = _teachers(_visit(client, cast)[1])
    f.activity(cast.ntl_md, title="Chuyên đề mới", happened_on=datetime.date(2023, 4, 2), teachers_count=7)
    assert _teachers(_visit(client, cast)[1]) == before + 7


def test_a_deleted_activity_and_a_renamed_unit_show_at_once(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    before = _teachers(_visit(client, cast)[1])
    year_data.lesson.delete()
    assert _teachers(_visit(client, cast)[1]) == before - 3
    office = cast.office["md"]
    office.name = "Phòng Giáo dục huyện Mỹ Đức (tên mới)"
    office.save()
    assert "Phòng Giáo dục huyện Mỹ Đức (tên mới)" in page_text(_visit(client, cast)[1])


def test_pairs_imported_in_bulk_show_at_once(cast, year_data, client_for):
    client = client_for(cast.users.staff_hn)
    before = _visit(client, cast)[1].context["report"].total.pairs
    mentor = f.org("Trường Tiểu học Nhập Mới", parent=cast.office["ntl"], level="primary")
    mentee = f.org("Trường Tiểu học Được Nhập", parent=cast.office["md"], level="primary")
    new = Pair(
        program=cast.program,
        mentor=mentor,
        mentee=mentee,
        parent=cast.ntl_md,
        status=Pair.Status.ACTIVE,
        started_on=datetime.date(2022, 9, 5),
        code="KN-NHAP-1",
    )
    new._sync_kinds()  # as the import does
    report_cache.cache.clear()  # the two units above were saved one by one: only the import tells
    _visit(client, cast)
    bulk.save_rows(Pair, [new], [])
    assert _visit(client, cast)[1].context["report"].total.pairs == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_raises_the_version_every_process_reads(cast):
    before = report_cache.stored_version()
    with transaction.atomic():
        f.activity(cast.ntl_md, title="Một", happened_on=datetime.date(2023, 4, 2))
        f.activity(cast.ntl_md, title="Hai", happened_on=datetime.date(2023, 4, 3))
        assert report_cache.stored_version() == before  # not before the commit
        assert report_cache._local_mark != report_cache._NO_LOCAL_WRITE  # but this process knows
    assert report_cache.stored_version() == before + 1  # once per transaction
    assert report_cache._local_mark == report_cache._NO_LOCAL_WRITE  # processes share again
    with pytest.raises(RuntimeError), transaction.atomic():
        f.activity(cast.ntl_md, title="Ba", happened_on=datetime.date(2023, 4, 4))
        raise RuntimeError
    assert report_cache.stored_version() == before + 1  # a rolled-back write changes nothing stored


def test_the_pages_keep_no_pair_rows_and_the_whole_length_of_each_list(cast, year_data, client_for, monkeypatch):
    """The copy kept for the dashboard and the printable report (Report.for_pages)."""
    from programs.reports import figures, rows

    report = figures.build_report(cast.users.staff_hn, cast.program, YEAR)
    lengths = {name: len(getattr(report, name)) for name in rows.Report.CUT_LISTS}
    assert report.pairs and max(lengths.values()) >= 2
    monkeypatch.setattr(rows, "NAMED_LIMIT", 1)
    page = report.for_pages()
    assert page.pairs == []
    for name, length in lengths.items():
        assert len(getattr(page, name)) == min(1, length)
        assert getattr(page, f"{name}_total") == getattr(report, f"{name}_total") == length
    # The dashboard says how many there are, not how many were kept.
    response = _visit(client_for(cast.users.staff_hn), cast)[1]
    kept = response.context["report"]
    assert kept.pairs == [] and len(kept.missing_reviews) <= 1
    assert lengths["missing_reviews"] >= 2
    assert f"{lengths['missing_reviews']} cặp đang kết nghĩa chưa gửi bản tổng kết" in page_text(response)
