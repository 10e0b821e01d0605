"""The demo's indicators and a few illustrative values (marked "minh hoạ", never real
results): the Nghệ An Department's set (it co-organizes the border boarding schools'
movement with Hà Nội, whose schools are measured on it too), and values of two pairs of its 2019–2022
movement and of Tây Mỗ → Nhôn Mai's year before it began. Idempotent."""

from decimal import Decimal

from outcomes.models import Indicator, IndicatorValue
from outcomes.services import refresh_gaps
from schools.models import Organization

L = Organization.Level
INDICATORS = {
    "Sở Giáo dục và Đào tạo Nghệ An": [
        ("gv_dat_chuan", "Tỉ lệ giáo viên đạt chuẩn nghề nghiệp", "%", "higher", 1, 0, 100, "1", [], True),
        ("bo_hoc", "Tỉ lệ học sinh bỏ học", "%", "lower", 2, 0, 100, "0.1", [], True),
        (
            "diem_vao_10",
            "Điểm trung bình thi vào lớp 10",
            "điểm",
            "higher",
            2,
            0,
            10,
            "0.1",
            [L.LOWER_SECONDARY, L.MULTI],
            False,
        ),
        (
            "doc_dung_lop",
            "Tỉ lệ học sinh đọc thông thạo đúng lớp",
            "%",
            "higher",
            1,
            0,
            100,
            "1",
            [L.PRIMARY, L.MULTI],
            False,
        ),
    ],
}
YEARS = ["2018-2019", "2019-2020", "2020-2021", "2021-2022"]
VALUES = {
    # school: {indicator code: values of YEARS (or of the years given)}
    "Trường THCS Đặng Thai Mai": {
        "gv_dat_chuan": ["96.0", "97.5", "98.0", "98.5"],
        "bo_hoc": ["0.10", "0.08", "0.05", "0.05"],
        "diem_vao_10": ["7.85", "7.90", "8.02", "8.10"],
    },
    "Trường THCS Lý Nhật Quang": {
        "gv_dat_chuan": ["78.0", "83.5", "88.0", "92.0"],
        "bo_hoc": ["1.80", "1.40", "0.90", "0.60"],
        "diem_vao_10": ["5.40", "5.70", "6.05", "6.30"],
    },
    "Trường THPT Huỳnh Thúc Kháng": {
        "gv_dat_chuan": ["95.0", "96.0", "96.5", "97.0"],
        "bo_hoc": ["0.20", "0.20", "0.15", "0.10"],
    },
    "Trường THPT Kỳ Sơn": {
        "gv_dat_chuan": ["80.0", "80.5", "80.0", "79.0"],
        "bo_hoc": ["3.10", "2.90", "3.00", "3.00"],
    },
}
BASE_2025 = {
    "Trường Phổ thông nội trú liên cấp Tiểu học và THCS xã Nhôn Mai": {
        "gv_dat_chuan": "85.0",
        "bo_hoc": "2.30",
        "doc_dung_lop": "71.0",
    },
}


def load() -> int:
    """Creates or updates the indicators and values; returns how many values were written."""
    indicators = {}
    for department_name, rows in INDICATORS.items():
        department = Organization.objects.filter(name=department_name, kind=Organization.Kind.DEPARTMENT).first()
        if department is None:
            continue
        for order, (code, name, unit, direction, decimals, low, high, tolerance, levels, public) in enumerate(rows):
            indicator, _created = Indicator.objects.update_or_create(
                owner=department,
                code=code,
                defaults={
                    "name": name,
                    "unit": unit,
                    "direction": direction,
                    "decimals": decimals,
                    "minimum": Decimal(low),
                    "maximum": Decimal(high),
                    "tolerance": Decimal(tolerance),
                    "levels": [str(level) for level in levels],
                    "is_public": public,
                    "order": order,
                },
            )
            indicators.setdefault(department_name, {})[code] = indicator
    own = indicators.get("Sở Giáo dục và Đào tạo Nghệ An", {})
    written, schools = 0, set()
    rows = [
        (school, code, year, value)
        for school, codes in VALUES.items()
        for code, values in codes.items()
        for year, value in zip(YEARS, values, strict=True)
    ]
    rows += [(school, code, "2025-2026", value) for school, codes in BASE_2025.items() for code, value in codes.items()]
    units = {
        o.name: o for o in Organization.objects.filter(name__in={r[0] for r in rows}, kind=Organization.Kind.SCHOOL)
    }
    for school_name, code, year, value in rows:
        school, indicator = units.get(school_name), own.get(code)
        if school is None or indicator is None:
            continue
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            school=school,
            school_year=year,
            defaults={"value": Decimal(value), "is_illustrative": True},
        )
        written += 1
        schools.add(school.pk)
    if schools:
        refresh_gaps(school_ids=schools)
    from outcomes.health import refresh

    refresh()
    return written
