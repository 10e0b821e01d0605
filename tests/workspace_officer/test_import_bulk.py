"""A sheet of schools is checked row by row but written in bulk (twinning.lib.bulk_import,
schools.bulk): what a save does for one unit — history, placement, slug, province —
is done for every row, and the number of queries does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.services import imports
from schools.models import Organization, Placement
from tests.helpers import csv_bytes

HEADER = ["Mã đơn vị", "Tên đơn vị", "Cấp học", "Đơn vị quản lý"]


def _run(user, rows, *, dry_run=False):
    sheet = imports.read_sheet(csv_bytes([HEADER, *rows]))
    resource, result = imports.import_run(user=user, kind="schools", sheet=sheet, dry_run=dry_run)
    return imports.import_report(resource, result, sheet)


def _schools(n, start=0, office=""):
    return [[f"HN-BK-{i:05d}", f"Trường Tiểu học Đo Nhập {i}", "Tiểu học", office] for i in range(start, start + n)]


def test_new_schools_get_history_placement_slug_and_province(cast):
    officer = cast.users.officer_lb
    report = _run(officer, _schools(3))
    assert report["ok"] and report["counts"] == {"new": 3, "update": 0, "skip": 0}
    schools = list(Organization.objects.filter(code__startswith="HN-BK-").order_by("code"))
    assert [s.parent for s in schools] == [cast.office["lb"]] * 3
    assert all(s.province == cast.hanoi and s.area == cast.districts["Long Biên"] for s in schools)
    assert [s.slug for s in schools] == [f"truong-tieu-hoc-do-nhap-{i}" for i in range(3)]
    assert all(s.search_text.startswith("truong tieu hoc do nhap") for s in schools)
    for school in schools:
        (record,) = school.history.all()
        assert record.history_type == "+" and record.history_user == officer
        (placement,) = Placement.objects.filter(organization=school)
        assert placement.parent_id == cast.office["lb"].pk and placement.valid_until is None


def test_names_that_make_the_same_slug_get_numbered_ones(cast):
    Organization.objects.create(kind="school", level="primary", name="Trường Kim Đồng", parent=cast.office["lb"])
    rows = [
        ["HN-BK-1", "Trường Kim Đồng", "Tiểu học", ""],
        ["HN-BK-2", "Trường Kim Đồng", "Tiểu học", ""],
    ]
    assert _run(cast.users.officer_lb, rows)["ok"]
    slugs = sorted(Organization.objects.filter(name="Trường Kim Đồng").values_list("slug", flat=True))
    assert slugs == ["truong-kim-dong", "truong-kim-dong-2", "truong-kim-dong-3"]


def test_a_code_repeated_in_the_sheet_makes_one_school_with_the_last_values(cast):
    rows = [
        ["HN-BK-1", "Trường Tiểu học Một", "Tiểu học", ""],
        ["hn-bk-1", "Trường Tiểu học Một (tên mới)", "Tiểu học", ""],
    ]
    report = _run(cast.users.officer_lb, rows)
    assert report["counts"] == {"new": 1, "update": 1, "skip": 0}
    (school,) = Organization.objects.filter(code="HN-BK-1")
    assert school.name == "Trường Tiểu học Một (tên mới)" and school.history.count() == 1


def test_an_update_is_written_with_its_history_and_a_move_gets_a_new_placement(cast):
    officer = cast.users.staff_hn
    assert _run(officer, _schools(2, office="Phòng GD&ĐT Long Biên"))["ok"]
    moved, renamed = Organization.objects.filter(code__startswith="HN-BK-").order_by("code")
    Placement.objects.filter(organization=moved).update(valid_from="2020-09-05")
    rows = [
        [moved.code, moved.name, "Tiểu học", cast.office["ml"].name],
        [renamed.code, "Trường Tiểu học Đổi Tên", "Tiểu học", "Phòng GD&ĐT Long Biên"],
    ]
    report = _run(officer, rows)
    assert report["ok"] and report["counts"] == {"new": 0, "update": 2, "skip": 0}
    moved.refresh_from_db()
    renamed.refresh_from_db()
    assert moved.parent == cast.office["ml"] and renamed.name == "Trường Tiểu học Đổi Tên"
    assert renamed.search_text.startswith("truong tieu hoc doi ten")
    assert [r.history_type for r in renamed.history.all()] == ["~", "+"]
    assert renamed.history.first().history_user == officer
    placements = list(Placement.objects.filter(organization=moved).order_by("valid_from"))
    assert [p.parent_id for p in placements] == [cast.office["lb"].pk, cast.office["ml"].pk]
    assert placements[0].valid_until is not None and placements[1].valid_until is None
    assert Placement.objects.filter(organization=renamed).count() == 1  # not moved: no new placement
    assert _run(officer, rows)["counts"] == {"new": 0, "update": 0, "skip": 2}


def test_the_preview_writes_nothing_and_a_bad_row_stops_the_whole_sheet(cast):
    officer = cast.users.officer_lb
    assert _run(officer, _schools(3), dry_run=True)["ok"]
    assert not Organization.objects.filter(code__startswith="HN-BK-").exists()
    rows = [*_schools(3), ["HN-BK-X", "Trường Sai", "Đại học", ""]]
    report = _run(officer, rows)
    assert not report["ok"]
    assert [(e["row"], e["column"]) for e in report["errors"]] == [(5, "Cấp học")]
    assert not Organization.objects.filter(code__startswith="HN-BK-").exists()


# The preview: the units the officer manages, their offices, the sheet's codes already
# in use, the district of the office. The import adds, in one transaction, the area's
# province, the slugs in use, and one insert each of the units, their history records
# and their placements (rows in batches: SQLite takes 999 values a query).
@pytest.mark.parametrize("dry_run,expected", [(True, 4), (False, 11)])
def test_the_queries_do_not_grow_with_the_rows(cast, dry_run, expected):
    officer = cast.users.officer_lb
    counts = []
    for n, start in ((2, 900), (5, 0), (30, 100)):  # the first warms the caches (the user's roles)
        with CaptureQueriesContext(connection) as queries:
            assert _run(officer, _schools(n, start), dry_run=dry_run)["ok"]
        counts.append(len(queries))
    assert counts[1:] == [expected, expected]


def test_the_preview_of_a_long_sheet_lists_its_first_rows_and_counts_the_rest(client_for, cast, monkeypatch):
    from tests.helpers import page_text
    from tests.workspace_officer.test_imports import preview, upload

    monkeypatch.setattr(imports, "PREVIEW_ROWS", 2)
    client = client_for(cast.users.officer_lb)
    page, _url = preview(client, upload(client, "schools", csv_bytes([HEADER, *_schools(5)]), "truong.csv"))
    text = page_text(page)
    assert "Sẵn sàng: thêm mới 5, cập nhật 0, giữ nguyên 0." in text
    assert "Đo Nhập 1" in text and "Đo Nhập 2" not in text
    assert "… và 3 dòng nữa." in text
