"""``load_areas``: the official areas before and after 1 July 2025, idempotent, never
deleting, adopting areas typed by hand."""

import datetime

import pytest
from django.core.management import call_command

from schools.geo import FIXTURE, load_areas, read_rows
from schools.models import Area, Organization
from tests import factories as f

SMALL = """kind,code,era,designation,name,parent_code,successor_refs
province,01,both,thành phố,Hà Nội,,
province,02,before,tỉnh,Hà Giang,,province:08
province,08,before,tỉnh,Tuyên Quang,,province:08
province,08,after,tỉnh,Tuyên Quang,,
district,282,before,huyện,Mỹ Đức,01,commune:10441 commune:10459
commune,10441,before,thị trấn,Đại Nghĩa,282,commune:10441
commune,10444,before,xã,Đồng Tâm,282,commune:10459
commune,10441,after,xã,Mỹ Đức,01,
commune,10459,after,xã,Hồng Sơn,01,
"""


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text(SMALL, encoding="utf-8")
    return path


def get(kind, code, current):
    areas = Area.objects.filter(kind=kind, code=code)
    return areas.get(valid_until__isnull=True) if current else areas.get(valid_until__isnull=False)


@pytest.mark.django_db
def test_loads_both_eras_with_dates_parents_and_successors(small):
    summary = load_areas(path=small)
    assert summary.created == 9
    district = Area.objects.get(kind="district", code="282")
    assert (str(district), district.valid_until, district.parent.name) == (
        "Huyện Mỹ Đức",
        datetime.date(2025, 6, 30),
        "Hà Nội",
    )
    assert "202/2025/QH15" in district.legal_reference
    assert sorted(a.name for a in district.successors.all()) == ["Hồng Sơn", "Mỹ Đức"]
    old = get("commune", "10441", current=False)
    new = get("commune", "10441", current=True)
    assert (old.name, old.parent_id, old.valid_until) == ("Đại Nghĩa", district.pk, datetime.date(2025, 6, 30))
    assert (str(new), new.parent.name, new.valid_from) == ("Xã Mỹ Đức", "Hà Nội", datetime.date(2025, 7, 1))
    assert list(old.successors.all()) == [new]
    hanoi = Area.objects.get(kind="province", code="01")
    assert (hanoi.valid_from, hanoi.valid_until) == (None, None)  # not merged: one area throughout
    old_tq, new_tq = get("province", "08", current=False), get("province", "08", current=True)
    assert set(get("province", "02", current=False).successors.all()) == {new_tq}
    assert list(old_tq.successors.all()) == [new_tq]
    # The pickers find an area without accents, by name, parent or code.
    assert new in Area.objects.search("my duc ha noi")
    assert list(Area.objects.search("10459")) == [Area.objects.get(code="10459")]


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_a_dry_run_writes_nothing(small, django_assert_num_queries):
    load_areas(path=small, dry_run=True)
    assert not Area.objects.exists()
    load_areas(path=small)
    links = Area.successors.through.objects.count()
    # Savepoint and release, coded areas, slugs, hand-typed areas, existing links,
    # and nothing per area (the whole country takes the same six).
    with django_assert_num_queries(6):
        summary = load_areas(path=small)
    assert (summary.created, summary.updated, summary.links, summary.unchanged) == (0, 0, 0, 9)
    assert Area.objects.count() == 9
    assert Area.successors.through.objects.count() == links


@pytest.mark.django_db
def test_never_deletes_and_corrects_a_name_in_place(small, tmp_path):
    load_areas(path=small)
    school = f.org("Trường minh hoạ", Organization.Kind.SCHOOL, area=get("commune", "10459", current=True))
    shorter = tmp_path / "shorter.csv"
    lines = [line for line in SMALL.splitlines() if not line.startswith("commune,10444")]
    shorter.write_text("\n".join(lines).replace("Hồng Sơn", "Hồng Sơn Mới") + "\n", encoding="utf-8")
    summary = load_areas(path=shorter)
    assert summary.updated == 1
    assert Area.objects.filter(kind="commune", code="10444").exists()  # not in the file: kept
    school.refresh_from_db()
    assert school.area.name == "Hồng Sơn Mới"


@pytest.mark.django_db
def test_adopts_an_area_typed_by_hand(small):
    hanoi = f.area("Hà Nội", kind=Area.Kind.PROVINCE, designation="thành phố")
    typed = f.area("Mỹ Đức", parent=hanoi, designation="huyện")
    school = f.org("Trường minh hoạ Mỹ Đức", Organization.Kind.SCHOOL, area=typed)
    summary = load_areas(path=small)
    assert summary.adopted == 2
    typed.refresh_from_db()
    assert (typed.code, typed.valid_until) == ("282", datetime.date(2025, 6, 30))
    assert Area.objects.filter(kind="district").count() == 1
    assert school.area_id == typed.pk


@pytest.mark.django_db
def test_command_loads_one_province_with_what_ended_into_it(capsys):
    call_command("load_areas", province=["40"])
    out = capsys.readouterr().out
    assert "areas created" in out
    assert set(Area.objects.provinces().values_list("code", flat=True)) == {"40"}
    rows = [r for r in read_rows(FIXTURE) if r.code == "40" or r.parent_code == "40"]
    after = [r for r in rows if r.kind == "commune"]
    assert Area.objects.filter(kind="commune", valid_from=datetime.date(2025, 7, 1)).count() == len(after) == 130
    kyson = Area.objects.get(kind="district", code="417")
    assert str(kyson) == "Huyện Kỳ Sơn" and kyson.valid_until == datetime.date(2025, 6, 30)
    assert {"Keng Đu", "Bắc Lý"} <= {a.name for a in kyson.successors.all()}
    nhon_mai = Area.objects.get(kind="commune", code="16882", valid_until__isnull=True)
    assert nhon_mai.predecessors.exists()
    call_command("load_areas", province=["40"], verbosity=0)
    assert Area.objects.filter(kind="commune", code="16882").count() == 2  # old and new, once each


def test_the_file_covers_the_country():
    rows = read_rows(FIXTURE)
    today = [r for r in rows if r.era != "before"]
    assert len([r for r in today if r.kind == "province"]) == 34
    assert len([r for r in today if r.kind == "commune"]) == 3321
    before = [r for r in rows if r.era != "after"]
    assert len([r for r in before if r.kind == "province"]) == 63
    assert len([r for r in rows if r.kind == "district"]) == 696
    # Every area that ended has a successor of today.
    assert all(r.successor_refs for r in rows if r.era == "before")
