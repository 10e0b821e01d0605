"""Pairs and donations are imported in bulk (programs.bulk, twinning.lib.bulk_import):
the same sheet imported row by row (import-export's import_data, each row saved by
``save()`` or ``pair_register``) and in bulk stores the same rows, history records
and notifications, says the same things of bad rows, and a bad row saves nothing;
the number of queries does not grow with the rows."""

import datetime
from types import SimpleNamespace

import pytest
import tablib
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from simple_history.models import HistoricalRecords

from notifications.models import Notification
from programs.import_resources import resource_for
from programs.models import Donation, Pair
from programs.resources import DonationResource, PairResource
from programs.services import imports
from schools.models import Organization
from tests import factories as f
from tests.helpers import csv_bytes

PAIR_HEADER = ["Bên giúp đỡ", "Bên được giúp đỡ", "Từ ngày", "Ghi chú"]
DONATION_HEADER = [
    "Mã khoản hỗ trợ",
    "Chương trình",
    "Hình thức hỗ trợ",
    "Tiền hay hiện vật",
    "Số tiền (đồng)",
    "Số lượng (hiện vật)",
    "Tên hiện vật",
    "Ngày",
    "Tên bên tặng",
    "Bên nhận",
]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def dataset(rows):
    return tablib.Dataset(*rows[1:], headers=rows[0])


def _pairs():
    def parent_key(pair):
        return (pair.parent.mentor_id, pair.parent.mentee_id) if pair.parent_id else None

    pairs = Pair.objects.select_related("parent").order_by("program_id", "mentor_id", "mentee_id", "status")
    fields = ("program_id", "mentor_id", "mentee_id", "status", "started_on", "ended_on", "note", "proposed_by_id")
    return [
        (
            *(getattr(p, name) for name in fields),
            p.proposed_by_org_id,
            p.decided_by_id,
            p.decided_at is not None,
            p.mentor_kind,
            p.mentee_kind,
            parent_key(p),
        )
        for p in pairs
    ]


def _history(model, fields):
    records = model.history.order_by("history_date", "history_id")
    rows = [
        (r.history_type, r.history_user_id, r.history_change_reason, *(getattr(r, n) for n in fields)) for r in records
    ]
    return sorted(rows, key=repr)


def _notifications():
    by_code = dict(Pair.objects.values_list("code", "mentor_id"))
    rows = []
    for n in Notification.objects.all():
        code = n.link.rstrip("/").rsplit("/", 1)[-1]
        rows.append((n.user_id, n.kind, n.subject, by_code.get(code), n.emailed_at, n.read_at))
    return sorted(rows, key=repr)


def _donations():
    fields = (
        "code",
        "program_id",
        "pair_id",
        "kind",
        "nature",
        "amount",
        "quantity",
        "unit_label",
        "given_on",
        "donor_org_id",
        "donor_name",
        "recipient_id",
        "description",
    )
    return sorted(Donation.objects.values_list(*fields))


def both_ways(run, state):
    """``run(bulk)`` row by row then in bulk, from the same start: (outcome, state())
    of each. The row-by-row import is rolled back before the bulk one."""
    with transaction.atomic():
        by_rows = run(False), state()
        transaction.set_rollback(True)
    return by_rows, (run(True), state())


def _outcome(result):
    rows = [(row.import_type, row.object_repr) for row in result.rows if row.import_type in ("new", "update", "skip")]
    invalid = [(row.number, row.error_dict) for row in result.invalid_rows]
    return rows, invalid, result.has_errors()


# --- the admin's resources (import_data) -----------------------------------------------


@pytest.fixture
def admin_request(cast):
    """The admin's request, as simple-history's middleware keeps it for the records."""
    HistoricalRecords.context.request = SimpleNamespace(user=cast.users.superuser)
    yield cast.users.superuser
    del HistoricalRecords.context.request


def _import(resource_class, rows, bulk, user=None, dry_run=False):
    resource = resource_class()
    resource.import_in_bulk = bulk
    return resource.import_data(dataset(rows), dry_run=dry_run, user=user)


def test_a_sheet_of_pairs_is_stored_the_same_in_bulk_as_row_by_row(cast, admin_request):
    school_lb_b = f.org("Trường Tiểu học Long Biên B", parent=cast.office["lb"], level="primary", code="HN-LB-B")
    rows = [
        ["Chương trình", "Bên giúp đỡ", "Bên được giúp đỡ", "Mã kết nghĩa giữa hai Phòng", "Trạng thái", "Ghi chú"],
        [cast.program.slug, "HN-TM", "Trường THCS Mỹ Đức A", cast.ntl_md.code, "Đang kết nghĩa", "Đã ký"],  # update
        [cast.program.slug, "hn-lb-b", "Trường Tiểu học Mê Linh A", cast.lb_ml.code, "", "Mới"],
        [cast.program.slug, "Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "", "Kết thúc", ""],
        [cast.program.slug, "Trường THCS Tây Mỗ", "HN-MDA", cast.ntl_md.code, "đang hoạt động", "Đã ký"],  # skip
    ]

    def run(bulk):
        return _outcome(_import(PairResource, rows, bulk, user=admin_request))

    fields = ("program_id", "mentor_id", "mentee_id", "parent_id", "status", "note", "started_on")
    by_rows, in_bulk = both_ways(run, lambda: (_pairs(), _history(Pair, fields)))
    assert in_bulk == by_rows
    outcome, _state = in_bulk
    assert [kind for kind, _label in outcome[0]] == ["update", "new", "new", "skip"]
    assert outcome[1] == [] and not outcome[2]
    new = Pair.objects.get(mentor=school_lb_b)
    assert (new.status, new.note, new.parent, new.mentor_kind) == ("proposed", "Mới", cast.lb_ml, "school")
    assert [(r.history_type, r.history_user) for r in new.history.all()] == [("+", admin_request)]
    assert cast.lb_ml.history.count() == 1  # a partnership only named by the sheet has no new record


def test_a_pair_repeated_in_the_sheet_is_one_pair_with_the_last_values(cast):
    rows = [
        ["Chương trình", "Bên giúp đỡ", "Bên được giúp đỡ", "Ghi chú"],
        [cast.program.slug, "Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "Mới"],
        [cast.program.slug, "Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "Sửa lại"],
    ]
    result = _import(PairResource, rows, True)
    assert [row.import_type for row in result.rows] == ["new", "update"]
    (pair,) = Pair.objects.filter(mentor=cast.school_lb)
    # Row by row it is saved twice ("+" then "~"); in bulk it is written once.
    assert pair.note == "Sửa lại" and [r.history_type for r in pair.history.all()] == ["+"]


def test_bad_pair_rows_say_the_same_things_in_bulk_and_save_nothing(cast):
    rows = [
        ["Chương trình", "Bên giúp đỡ", "Bên được giúp đỡ", "Từ ngày"],
        [cast.program.slug, "HN-TM", "Phòng GD&ĐT Mê Linh", ""],  # a school with an office
        [cast.program.slug, "HN-TM", "Trường Không Có", ""],  # not found: the constraints speak too
        [cast.program.slug, "Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "31/12/1989"],
        [cast.program.slug, "Trường Tiểu học Long Biên A", "Trường Tiểu học Long Biên A", ""],
        ["chuong-trinh-khong-co", "Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", ""],
        [cast.program.slug, "HN-TM", "Trường THCS Đặng Thai Mai", ""],  # good
    ]

    def run(bulk):
        return _outcome(_import(PairResource, rows, bulk))

    count = Pair.objects.count()
    by_rows, in_bulk = both_ways(run, lambda: (_pairs(), _history(Pair, ("mentor_id",))))
    assert in_bulk == by_rows
    (_rows, invalid, _errors), _state = in_bulk
    assert [number for number, _errors in invalid] == [1, 2, 3, 4, 5]
    assert invalid[1][1] == {
        "mentee": ["Không tìm thấy đơn vị có mã hoặc tên “Trường Không Có”."],
        # The model's constraints, checked in Python as the database checks them.
        "__all__": ["Trường chỉ kết nghĩa với trường, Phòng GD&ĐT chỉ kết nghĩa với Phòng GD&ĐT."],
    }
    assert Pair.objects.count() == count and Pair.history.count() == count


def test_a_sheet_of_donations_is_stored_the_same_in_bulk_as_row_by_row(cast, admin_request):
    existing = Donation.objects.create(
        code="abc234def5",
        program=cast.program,
        kind="books",
        amount=1_000_000,
        given_on=datetime.date(2023, 10, 1),
        donor_name="Nhà sách",
        recipient=cast.school_md,
    )
    rows = [
        DONATION_HEADER,
        ["ABC234DEF5", cast.program.slug, "Sách", "", "2.000.000", "", "", "01/10/2023", "Nhà sách", "HN-MDA"],
        ["", cast.program.slug, "Thiết bị", "", "", "35", "bộ  máy tính", "02/10/2023", "Công ty X", "HN-MDA"],
        ["", cast.program.slug, "Đỡ đầu", "", "240.000.000", "", "", "30/03/2023", "", "HN-TM"],
        ["NEW-1", cast.program.slug, "Suất quà", "", 20000000, "", "", "30/03/2023", "Nhà giáo", "Phòng GD&ĐT Mỹ Đức"],
    ]

    def run(bulk):
        outcome = _outcome(_import(DonationResource, rows, bulk, user=admin_request))
        # New rows are given random codes: compare the rest.
        return [(kind, label) for kind, label in outcome[0]], outcome[1], outcome[2]

    def state():
        return sorted(d[1:] for d in _donations()), _history(
            Donation, ("amount", "unit_label", "quantity", "donor_name")
        )

    by_rows, in_bulk = both_ways(run, state)
    assert in_bulk == by_rows
    (_rows, invalid, _errors), (donations, _records) = in_bulk
    assert invalid == [(3, {"donor_name": ["Hãy chọn đơn vị tặng hoặc nhập tên bên tặng."]})]
    assert len(donations) == 1  # … so nothing was saved
    rows.pop(3)
    by_rows, in_bulk = both_ways(run, state)
    assert in_bulk == by_rows
    assert [kind for kind, _label in in_bulk[0][0]] == ["update", "new", "new"]
    existing.refresh_from_db()
    assert existing.amount == 2_000_000 and [r.history_type for r in existing.history.all()] == ["~", "+"]
    assert existing.history.first().history_user == admin_request
    in_kind = Donation.objects.get(kind="equipment")
    assert (in_kind.nature, in_kind.quantity, in_kind.unit_label) == ("in_kind", 35, "bộ máy tính")
    # A code of the sheet in another case is the same donation, as code__iexact finds it.
    rows = [
        DONATION_HEADER,
        ["new-1", cast.program.slug, "Suất quà", "", "30.000.000", "", "", "30/03/2023", "Nhà giáo", ""],
    ]
    rows[1][-1] = "Phòng GD&ĐT Mỹ Đức"
    result = _import(DonationResource, rows, True)
    assert [row.import_type for row in result.rows] == ["update"]
    assert Donation.objects.get(code__iexact="new-1").amount == 30_000_000


def test_a_bad_donation_row_saves_nothing_and_names_its_row_and_column(cast):
    rows = [
        DONATION_HEADER,
        ["", cast.program.slug, "Sách", "", "1.000.000", "", "", "01/10/2023", "Nhà sách", "HN-MDA"],
        ["", cast.program.slug, "Sách", "", "0", "", "", "01/10/2023", "Nhà sách", "HN-MDA"],
        ["", cast.program.slug, "Sách", "", "", "3", "", "01/10/2023", "Nhà sách", "Trường Không Có"],
    ]
    result = DonationResource().import_data(dataset(rows), dry_run=False)
    errors = {row.number: row.error_dict for row in result.invalid_rows}
    assert errors[2]["amount"][0] == "Số tiền phải lớn hơn 0 đồng."
    assert errors[3]["recipient"] == ["Không tìm thấy đơn vị có mã hoặc tên “Trường Không Có”."]
    assert "unit_label" in errors[3]
    assert not Donation.objects.exists() and not Donation.history.exists()


# --- the workspace's import of pairs (import_run: registered as pair_register does) -----


def _workspace(user, rows, bulk, dry_run=False):
    sheet = imports.read_sheet(csv_bytes(rows))
    if bulk:
        resource, result = imports.import_run(user=user, kind="pairs", sheet=sheet, dry_run=dry_run)
    else:
        resource = resource_for("pairs", user)
        resource.import_in_bulk = False
        result = resource.import_data(
            tablib.Dataset(*sheet.dataset, headers=list(sheet.dataset.headers)), dry_run=dry_run
        )
    return imports.import_report(resource, result, sheet)


def test_the_workspace_registers_pairs_in_bulk_as_pair_register_does(cast):
    school_lb_b = f.org("Trường Tiểu học Long Biên B", parent=cast.office["lb"], level="primary", code="HN-LB-B")
    school_ml_b = f.org("Trường Tiểu học Mê Linh B", parent=cast.office["ml"], level="primary", code="HN-ML-B")
    f.pair(cast.program, cast.school_lb, school_ml_b, started_on=datetime.date(2023, 9, 5))
    rows = [
        PAIR_HEADER,
        ["HN-LB-B", "Trường Tiểu học Mê Linh A", "11/03/2024", "Ký tại hội nghị"],  # proposed, in lb_ml
        ["Trường Tiểu học Long Biên A", "HN-LB-B", "", ""],  # both sides Long Biên's: active at once
        ["Trường Tiểu học Long Biên A", "HN-ML-B", "", "Ghi chú mới"],  # an existing pair: updated
        ["Trường Tiểu học Mê Linh A", "HN-LB-B", "", ""],  # the first row the other way round
    ]
    officer = cast.users.officer_lb

    def run(bulk):
        report = _workspace(officer, rows, bulk)
        return report["counts"], [(e["row"], e["column"], e["message"]) for e in report["errors"]]

    by_rows, in_bulk = both_ways(run, lambda: (_pairs(), _history(Pair, ("status", "note")), _notifications()))
    assert in_bulk == by_rows
    (counts, errors), (pairs, _history_rows, notifications) = in_bulk
    assert errors == [
        (
            5,
            "Bên được giúp đỡ",
            translation.gettext("These two units are already paired in this program the other way round (%(pair)s).")
            % {"pair": "Trường Tiểu học Long Biên B → Trường Tiểu học Mê Linh A"},
        )
    ]
    rows.pop()
    by_rows, in_bulk = both_ways(run, lambda: (_pairs(), _history(Pair, ("status", "note")), _notifications()))
    assert in_bulk == by_rows
    (counts, errors), (pairs, _history_rows, notifications) = in_bulk
    assert counts == {"new": 2, "update": 1, "skip": 0} and errors == []
    proposed = Pair.objects.get(mentor=school_lb_b)
    assert (proposed.status, proposed.parent, proposed.proposed_by, proposed.proposed_by_org) == (
        "proposed",
        cast.lb_ml,
        officer,
        cast.office["lb"],
    )
    active = Pair.objects.get(mentee=school_lb_b)
    assert (active.status, active.decided_by, active.started_on) == ("active", officer, datetime.date.today())
    assert [(r.history_type, r.history_user) for r in proposed.history.all()] == [("+", officer)]
    told = {n.user for n in Notification.objects.filter(kind="pair_to_answer")}
    assert told == {cast.users.officer_ml, cast.users.staff_hn}
    assert all(
        n.subject == "Trường Tiểu học Long Biên B → Trường Tiểu học Mê Linh A" for n in Notification.objects.all()
    )


def test_a_bad_pair_row_in_the_workspace_saves_nothing(cast):
    rows = [
        PAIR_HEADER,
        ["Trường Tiểu học Long Biên A", "Trường Tiểu học Mê Linh A", "", ""],
        ["Trường Tiểu học Long Biên A", "Trường Không Có", "", ""],
    ]
    count = Pair.objects.count()
    report = _workspace(cast.users.officer_lb, rows, True)
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(3, "Bên được giúp đỡ")]
    assert Pair.objects.count() == count and not Notification.objects.exists()
    assert Pair.history.count() == count  # the cast's "+" records only


# --- queries ------------------------------------------------------------------------------


def _sides(n, start):
    made = []
    for i in range(start, start + n):
        helping = f.org(f"Trường Tiểu học Đo LB {i}", parent=cast_office("lb"), level="primary", code=f"HN-LB-Q{i}")
        helped = f.org(f"Trường Tiểu học Đo ML {i}", parent=cast_office("ml"), level="primary", code=f"HN-ML-Q{i}")
        made.append([helping.code, helped.name, "", f"Cặp {i}"])
    return made


def cast_office(key):
    return Organization.objects.get(name={"lb": "Phòng GD&ĐT Long Biên", "ml": "Phòng GD&ĐT Mê Linh"}[key])


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_queries_of_a_pair_import_do_not_grow_with_the_rows(cast, dry_run):
    officer = cast.users.officer_lb
    counts = []
    for n, start in ((2, 900), (5, 0), (30, 100)):  # the first warms the caches (the user's roles)
        rows = [PAIR_HEADER, *_sides(n, start)]
        with CaptureQueriesContext(connection) as queries:
            report = _workspace(officer, rows, True, dry_run=dry_run)
        assert report["ok"], report["errors"]
        counts.append(len(queries))
    assert counts[1] == counts[2]
    if not dry_run:
        assert Notification.objects.filter(user=cast.users.officer_ml).count() == 37


def test_the_queries_of_a_donation_import_do_not_grow_with_the_rows(cast):
    counts = []
    for n in (2, 5, 30):
        rows = [DONATION_HEADER] + [
            ["", cast.program.slug, "Sách", "", f"{i + 1}.000.000", "", "", "01/10/2023", f"Nhà sách {i}", "HN-MDA"]
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as queries:
            result = DonationResource().import_data(dataset(rows), dry_run=False)
        assert not result.has_validation_errors() and not result.has_errors()
        counts.append(len(queries))
    assert counts[1] == counts[2]
    assert Donation.objects.count() == 37 and Donation.history.count() == 37


def test_the_admin_previews_and_confirms_a_donation_sheet_in_bulk(cast, client):
    from django.contrib.admin.models import LogEntry
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.helpers import xlsx_bytes

    client.force_login(cast.users.superuser)
    rows = [
        DONATION_HEADER,
        ["", cast.program.slug, "Sách", "", "1.000.000", "", "", "01/10/2023", "Nhà sách <b>A</b>", "HN-MDA"],
        ["", cast.program.slug, "Thiết bị", "", "", "3", "máy tính", "01/10/2023", "Công ty X", "HN-TM"],
    ]
    upload = SimpleUploadedFile("ho-tro.xlsx", xlsx_bytes(rows))
    response = client.post(
        reverse("admin:programs_donation_import"), {"resource": "0", "format": "0", "import_file": upload}
    )
    assert response.status_code == 200 and not Donation.objects.exists()
    result = response.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["new", "new"]
    assert "Nhà sách &lt;b&gt;A&lt;/b&gt;" in response.text  # the preview's values, escaped
    confirm = response.context["confirm_form"].initial
    response = client.post(reverse("admin:programs_donation_process_import"), confirm)
    assert response.status_code == 302
    assert Donation.objects.count() == 2
    assert {r.history_user for r in Donation.history.all()} == {cast.users.superuser}
    assert LogEntry.objects.filter(user=cast.users.superuser).count() == 2
