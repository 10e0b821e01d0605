"""Vietnamese alphabetical order (twinning/lib/collation.py), the same on both
databases and in Python: A Ă Â B C D Đ E Ê …, tones after the base letter."""

from schools.models import Area, Organization
from tests import factories as f
from twinning.lib.collation import vi_key, vi_order

# The order ICU's Vietnamese collation (vi-x-icu) gives: letters first over the whole
# name, then tones (ngang, huyền, hỏi, ngã, sắc, nặng), then lower case before upper.
EXPECTED = [
    "1 Tháng Năm",
    "10 Tháng Năm",
    "An Lão",
    "Ánh Dương",
    "Anh Sơn",
    "Ăn Sương",
    "Ân Thi",
    "Bà Rịa",
    "Bắc Lý",
    "Dương Kinh",
    "Đặng Thai Mai",
    "Đô Lương",
    "Đồng Văn",
    "Hùng Sơn",
    "Huỳnh Thúc Kháng",
    "Hưng Nguyên",
    "Oanh Liệt",
    "Ô Môn",
    "Ơn Lành",
    "Uy Nỗ",
    "Ư Thôn",
    "Yên Thành",
    "Zeta",
]


def test_it_sorts_names_the_vietnamese_way_in_python():
    assert sorted(reversed(EXPECTED), key=vi_key) == EXPECTED
    assert sorted(["Đặng", "Dương", "Zeta", "Ánh"], key=vi_key) == ["Ánh", "Dương", "Đặng", "Zeta"]


def test_it_sorts_units_the_vietnamese_way_in_the_database(db):
    for name in reversed(EXPECTED):
        f.org(f"Trường {name}", Organization.Kind.UNION)
    names = [o.name.removeprefix("Trường ") for o in Organization.objects.all()]  # Meta.ordering
    assert names == EXPECTED
    names = list(Organization.objects.order_by(vi_order("name", descending=True)).values_list("name", flat=True))
    assert [n.removeprefix("Trường ") for n in names] == EXPECTED[::-1]


def test_it_sorts_areas_and_related_names_the_vietnamese_way(db):
    province = f.area("Nghệ An", kind=Area.Kind.PROVINCE, designation="tỉnh")
    for name in ("Ô Môn", "Oanh", "Đô Lương", "Dương", "Anh Sơn", "Ánh Dương", "An Lão"):
        f.area(name, parent=province, designation="xã", kind=Area.Kind.COMMUNE)
    assert [a.name for a in Area.objects.filter(parent=province)] == [
        "An Lão",
        "Ánh Dương",
        "Anh Sơn",
        "Dương",
        "Đô Lương",
        "Oanh",
        "Ô Môn",
    ]
    for name in ("Ô Môn", "Oanh", "Đặng Thai Mai"):
        f.org(f"THCS {name}", area=Area.objects.get(name=name) if name != "Đặng Thai Mai" else province)
    schools = Organization.objects.schools().order_by(vi_order("area__name"), vi_order("name"))
    # By place (Nghệ An, Oanh, Ô Môn), then by name.
    assert [s.name for s in schools] == ["THCS Đặng Thai Mai", "THCS Oanh", "THCS Ô Môn"]
