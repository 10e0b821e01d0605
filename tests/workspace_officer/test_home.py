"""/workspace/: the officer's, the department's and the union's sections."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import Memorandum, Pair, Plan
from programs.reports import figures
from programs.services.pairs import pair_accept, pair_register
from programs.views.workspace.home_officer import HOME_LIMIT
from schools.models import Organization
from tests import factories as f
from tests.helpers import page_text
from twinning.lib.schoolyear import school_year_of


def thcs_ml(cast):
    """A lower-secondary school of Mê Linh, to pair with THCS Tây Mỗ (same level)."""
    return f.org("Trường THCS Mê Linh B", area=cast.districts["Mê Linh"], parent=cast.office["ml"])


def running_today(program):
    """Extends a program's phase past today: quiet pairs are those of a running phase."""
    program.end_year = timezone.localdate().year + 2
    program.save()
    return program


def test_it_shows_the_officer_what_needs_them_first(client_for, cast):
    running_today(cast.program)
    waiting = pair_register(user=cast.users.officer_ntl, program=cast.program, mentor=cast.taymo, mentee=thcs_ml(cast))
    f.activity(cast.taymo_md, happened_on=timezone.localdate() - datetime.timedelta(days=10), status="reported")
    memo = Memorandum.objects.create(
        program=cast.program,
        title="Biên bản ghi nhớ Long Biên – Mê Linh",
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    memo.pairs.set([cast.lb_ml])
    page = page_text(client_for(cast.users.officer_ml).get("/workspace/"))
    assert "Phòng GD&ĐT Mê Linh" in page
    assert "Chờ trả lời" in page and f"{waiting.mentor.display_name} → {waiting.mentee.display_name}" in page
    # A school pair says so before its level ("THCS" alone read as a school's name).
    assert f"{waiting.mentor.display_name} → {waiting.mentee.display_name} Cặp trường · THCS" in page
    assert "Kết nghĩa giữa hai Phòng" in page and "Phòng GD&ĐT Long Biên → Phòng GD&ĐT Mê Linh" in page
    assert "Biên bản ghi nhớ Long Biên – Mê Linh" in page
    # Long Biên – Mê Linh has had no activity: a quiet pair.
    quiet = page.split("Cặp lâu không có hoạt động", 1)[1]
    assert "Phòng GD&ĐT Long Biên → Phòng GD&ĐT Mê Linh" in quiet.split("Biên bản ghi nhớ hết hiệu lực")[0]


def test_it_groups_the_officers_school_pairs_by_status(client_for, cast):
    mentee = thcs_ml(cast)
    pair_register(user=cast.users.officer_ntl, program=cast.program, mentor=cast.taymo, mentee=mentee)
    section = dict(
        (status, (items, total))
        for _label, status, items, total in client_for(cast.users.officer_ntl)
        .get("/workspace/")
        .context["sections"][0][1]["pairs_by_status"]
    )
    assert set(section) == {"proposed", "active"}
    assert [p.mentee for p in section["proposed"][0]] == [mentee]
    assert [p for p in section["active"][0]] == [cast.taymo_md]


def test_it_keeps_the_officers_home_to_a_fixed_number_of_queries(client_for, cast):
    client = client_for(cast.users.officer_lb)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/workspace/").status_code == 200
        return len(queries)

    def add_pairs(first, n):
        for i in range(first, first + n):
            mine = f.org(f"Trường Tiểu học Long Biên {i}", parent=cast.office["lb"], level=Organization.Level.PRIMARY)
            theirs = f.org(f"Trường Tiểu học Mê Linh {i}", parent=cast.office["ml"], level=Organization.Level.PRIMARY)
            status = [Pair.Status.ACTIVE, Pair.Status.PROPOSED, Pair.Status.ENDED][i % 3]
            pair = f.pair(
                cast.program, mine, theirs, status=status, parent=cast.lb_ml, proposed_by_org=cast.office["ml"]
            )
            f.activity(pair, happened_on=timezone.localdate() - datetime.timedelta(days=200), status="confirmed")
            Plan.objects.create(pair=pair, school_year="2026-2027", status=Plan.Status.SUBMITTED)
            memo = Memorandum.objects.create(
                program=cast.program, title=f"BBGN {i}", valid_until=timezone.localdate() + datetime.timedelta(days=i)
            )
            memo.pairs.set([pair])

    small = count()
    add_pairs(0, 30)
    thirty = count()
    add_pairs(30, 60)
    ninety = count()
    # 19 with 30 or 90 pairs: session, user, scope; the pairs in sight as ids
    # (PairQuerySet.pinned); counts by status and kind (all pairs, school pairs);
    # waiting for the answer (list, count);
    # proposals (list, count); answers; quiet pairs (their latest activity from
    # PairYear) and, none being quiet (the program's phase has ended), whether any
    # pair runs today; memoranda expiring (list, count); plans waiting (list, count);
    # partnerships; the first school pairs of every status in one query; unread
    # notifications; the offices. 15 when no list is full (no "see all N" counts).
    assert (small, thirty, ninety) == (15, 19, 19)
    # Each status keeps its first HOME_LIMIT pairs, the latest changed first.
    groups = client.get("/workspace/").context["sections"][0][1]["pairs_by_status"]
    assert [status for _label, status, _items, _total in groups] == ["proposed", "active", "ended"]
    for _label, _status, items, total in groups:
        assert total == 30 and len(items) == HOME_LIMIT
        assert [p.updated_at for p in items] == sorted((p.updated_at for p in items), reverse=True)


def test_it_shows_the_officer_the_plans_waiting_for_their_answer(client_for, cast):
    submitted = Plan.objects.create(
        pair=cast.taymo_md, school_year="2025-2026", status=Plan.Status.SUBMITTED, submitted_at=timezone.now()
    )
    Plan.objects.create(pair=cast.ntl_md, school_year="2026-2027", status=Plan.Status.DRAFT)
    Plan.objects.create(pair=cast.lb_ml, school_year="2026-2027", status=Plan.Status.SUBMITTED)
    response = client_for(cast.users.officer_md).get("/workspace/")
    card = page_text(response).split("Kế hoạch chờ duyệt", 1)[1].split("Kết nghĩa giữa các đơn vị", 1)[0]
    assert "Kế hoạch 2025–2026 · THCS Tây Mỗ → Trường THCS Mỹ Đức A" in card
    assert "Long Biên" not in card and "Phòng GD&ĐT Nam Từ Liêm → Phòng GD&ĐT Mỹ Đức" not in card
    assert f'href="/workspace/pairs/{cast.taymo_md.code}/plans/2025-2026/"' in response.text
    # The figure at the top counts plans as well as pairs.
    assert "Chờ trả lời 1" in page_text(response)
    # Once answered, the card goes away.
    submitted.status = Plan.Status.ACCEPTED
    submitted.save()
    assert "Kế hoạch chờ duyệt" not in page_text(client_for(cast.users.officer_md).get("/workspace/"))


def test_it_shows_department_staff_the_pairs_waiting_for_approval(client_for, cast):
    pair = pair_register(user=cast.users.officer_lb, program=cast.program, mentor=cast.school_lb, mentee=cast.school_ml)
    kyson = f.org("Phòng GD&ĐT Kỳ Sơn", Organization.Kind.OFFICE, parent=cast.dept_na, area=cast.nghean)
    f.pair(cast.program_na, cast.office_vinh, kyson, status=Pair.Status.PROPOSED)
    page = page_text(client_for(cast.users.staff_hn).get("/workspace/"))
    assert "Sở GD&ĐT Hà Nội" in page and "Cặp kết nghĩa chờ duyệt" in page
    assert f"{pair.mentor.display_name} → {pair.mentee.display_name}" in page
    assert "Kỳ Sơn" not in page
    assert "Nhà trường cùng chung tay phát triển" in page


def test_it_shows_the_union_its_programs_with_pair_counts(client_for, cast):
    running_today(cast.program_na)
    kyson = f.org("Phòng GD&ĐT Kỳ Sơn", Organization.Kind.OFFICE, parent=cast.dept_na, area=cast.nghean)
    f.pair(cast.program_na, cast.office_vinh, kyson, started_on=datetime.date(2019, 10, 10))
    response = client_for(cast.users.union_na).get("/workspace/")
    page = page_text(response)
    assert "Chương trình đơn vị cùng tổ chức" in page and "Phòng giúp phòng, trường giúp trường" in page
    (program,) = response.context["sections"][0][1]["programs"]
    assert ("Đang kết nghĩa", "active", 1) in [(str(label), s, n) for label, s, n in program.status_counts]
    assert "Phòng GD&ĐT Vinh → Phòng GD&ĐT Kỳ Sơn" in page  # quiet: no activity yet


def test_it_does_not_call_every_pair_lively_when_none_is_running(client_for, cast):
    """A union whose program's phase has ended: no pair runs today, so the quiet card
    says so instead of "every active pair has had an activity"."""
    kyson = f.org("Phòng GD&ĐT Kỳ Sơn", Organization.Kind.OFFICE, parent=cast.dept_na, area=cast.nghean)
    f.pair(cast.program_na, cast.office_vinh, kyson, started_on=datetime.date(2019, 10, 10))
    page = page_text(client_for(cast.users.union_na).get("/workspace/"))
    assert "Hiện không có cặp nào đang kết nghĩa." in page
    assert "mọi cặp đang kết nghĩa đều có hoạt động gần đây" not in page
    running_today(cast.program_na)
    f.activity(Pair.objects.get(mentee=kyson), happened_on=timezone.localdate(), status="reported")
    page = page_text(client_for(cast.users.union_na).get("/workspace/"))
    assert "Không có: mọi cặp đang kết nghĩa đều có hoạt động gần đây." in page
    assert "Hiện không có cặp nào đang kết nghĩa." not in page


def test_it_counts_a_pair_as_quiet_only_after_90_days_without_news(client_for, cast):
    """Quiet: no activity, and started or accepted, more than 90 days ago. A pair
    registered today is not quiet, whatever its start date on paper."""
    running_today(cast.program)
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=200)
    primary = Organization.Level.PRIMARY
    schools = [
        f.org(f"Trường Tiểu học Long Biên {n}", parent=cast.office["lb"], level=primary) for n in ("B", "C", "D")
    ]
    # Registered today by the officer of both sides: active at once, started today.
    today_pair = pair_register(user=cast.users.staff_hn, program=cast.program, mentor=schools[0], mentee=cast.school_ml)
    # Signed on paper long ago, registered and accepted today.
    accepted_today = pair_register(
        user=cast.users.officer_lb, program=cast.program, mentor=schools[1], mentee=cast.school_ml, started_on=long_ago
    )
    pair_accept(user=cast.users.officer_ml, pair=accepted_today)
    # Accepted long ago; its last activity 100 days ago.
    stale = f.pair(
        cast.program,
        schools[2],
        cast.school_ml,
        started_on=long_ago,
        decided_at=timezone.now() - datetime.timedelta(days=200),
    )
    f.activity(stale, happened_on=today - datetime.timedelta(days=100), status="reported")
    # A draft does not count as an activity.
    f.activity(cast.lb_ml, happened_on=today, status="draft")
    quiet = set(Pair.objects.quiet().values_list("pk", flat=True))
    assert today_pair.pk not in quiet and accepted_today.pk not in quiet
    assert {stale.pk, cast.lb_ml.pk} <= quiet
    f.activity(stale, happened_on=today - datetime.timedelta(days=89), status="confirmed")
    assert stale.pk not in set(Pair.objects.quiet().values_list("pk", flat=True))
    # The officer's home and the department's dashboard agree.
    home = client_for(cast.users.officer_lb).get("/workspace/").context["sections"][0][1]
    assert [p.pk for p in home["quiet"]] == [cast.lb_ml.pk]
    report = figures.build_report(cast.users.staff_hn, cast.program, school_year_of(today))
    assert {p.code for p in report.quiet_pairs} == {cast.lb_ml.code, cast.ntl_md.code, cast.taymo_md.code}
