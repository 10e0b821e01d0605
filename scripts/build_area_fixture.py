"""Build ``fixtures/geo/vn_admin_units.csv`` once from the published dataset.

The source is the ``vietnamadminunits`` package on PyPI (MIT licence; see
``fixtures/geo/README.md`` for version, date and legal basis). It is read here, at
build time only: the portal never imports it. To rebuild:

    pip download --no-deps vietnamadminunits==1.0.4 -d /tmp/vau
    unzip -o /tmp/vau/vietnamadminunits-1.0.4-py3-none-any.whl -d /tmp/vau
    python scripts/build_area_fixture.py /tmp/vau/vietnamadminunits/data

One row per area: provinces, districts and communes before 1 July 2025 (era
"before", ended on 30 June 2025), provinces and communes since (era "after"), and the
eleven provinces that were not merged (era "both"). ``successor_refs`` lists, for an
area that ended, the areas that took its place ("kind:code" separated by spaces),
from the dataset's official old → new mapping.
"""

import csv
import json
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "fixtures" / "geo" / "vn_admin_units.csv"
COLUMNS = ["kind", "code", "era", "designation", "name", "parent_code", "successor_refs"]


def split_province(full: str, short: str) -> str:
    """ "Thành phố Hà Nội", "Hà Nội" → "thành phố"."""
    return full[: len(full) - len(short)].strip().lower()


def build(data_dir: Path) -> list[dict]:
    """The rows of the CSV from the dataset in ``data_dir`` (dicts keyed by COLUMNS; a
    key left out is written empty): provinces, then districts, then communes."""
    db = sqlite3.connect(data_dir / "dataset.db")
    converter = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
    new_provinces, new_communes, new_code = read_new_units(db)
    successors_of = commune_successors(converter, new_code)
    old_provinces, old_districts, old_communes, district_successors = read_old_units(db, successors_of)
    return [
        *province_rows(converter, old_provinces, new_provinces),
        *district_and_commune_rows(old_districts, district_successors, old_communes, new_communes),
    ]


def district_and_commune_rows(old_districts, district_successors, old_communes, new_communes) -> list[dict]:
    """The rows of the old districts and communes (era "before", with the communes that
    took their place), then of today's communes (era "after")."""
    rows = []
    for code, (designation, name, parent) in sorted(old_districts.items()):
        refs = " ".join(f"commune:{c}" for c in sorted(district_successors[code]))
        rows.append(
            dict(
                kind="district",
                code=code,
                era="before",
                designation=designation,
                name=name,
                parent_code=parent,
                successor_refs=refs,
            )
        )
    for code, designation, name, parent, successors in old_communes:
        refs = " ".join(f"commune:{c}" for c in sorted(successors))
        rows.append(
            dict(
                kind="commune",
                code=code,
                era="before",
                designation=designation,
                name=name,
                parent_code=parent,
                successor_refs=refs,
            )
        )
    for code, designation, name, parent in new_communes:
        rows.append(
            dict(kind="commune", code=code, era="after", designation=designation, name=name, parent_code=parent)
        )
    return rows


def read_new_units(db):
    """Today's units: ({province key: (code, designation, name)}, [(commune code,
    designation, name, province code)], {(province key, commune key): commune code})."""
    new_provinces, new_communes, new_code = {}, [], {}
    for province, p_short, p_code, p_key, _ward, w_short, w_type, w_code, w_key in db.execute(
        "SELECT province, provinceShort, provinceCode, provinceKey, ward, wardShort, wardType, wardCode, wardKey "
        "FROM admin_units ORDER BY provinceCode, wardCode"
    ):
        new_provinces[p_key] = (p_code, split_province(province, p_short), p_short)
        new_communes.append((w_code, w_type.lower(), w_short, p_code))
        new_code[(p_key, w_key)] = w_code
    return new_provinces, new_communes, new_code


def commune_successors(converter: dict, new_code: dict) -> dict[str, set]:
    """The old → new mapping of communes: {"oldprovince_olddistrict_oldward": {codes
    of today's communes}}, from the communes kept whole and those divided."""
    successors_of = defaultdict(set)
    for new_p, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            for old in olds:
                successors_of[old].add(new_code[(new_p, new_w)])
    for new_p, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old, news in olds.items():
            for new in news:
                successors_of[old].add(new_code[(new_p, new["newWardKey"])])
    return successors_of


def read_old_units(db, successors_of: dict):
    """The units before 1 July 2025: ({province key: (code, designation, name)},
    {district code: (designation, name, province code)}, [(commune code, designation,
    name, district code, successors)], {district code: its communes' successors}).
    Warns on stderr of old communes that have no successor."""
    old_provinces, old_districts, old_communes = {}, {}, []
    district_successors = defaultdict(set)
    for row in db.execute(
        "SELECT province, provinceShort, provinceCode, provinceKey, district, districtShort, districtType, "
        "districtCode, districtKey, wardShort, wardType, wardCode, wardKey "
        "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
    ):
        province, p_short, p_code, p_key, _d, d_short, d_type, d_code, d_key, w_short, w_type, w_code, w_key = row
        old_provinces[p_key] = (p_code, split_province(province, p_short), p_short)
        old_districts[d_code] = (d_type.lower(), d_short, p_code)
        key = f"{p_key}_{d_key}_{w_key or ''}"
        successors = successors_of.get(key, set())
        district_successors[d_code] |= successors
        if w_code:
            old_communes.append((w_code, w_type.lower(), w_short, d_code, successors))
    missing = [c[0] for c in old_communes if not c[4]]
    if missing:
        print(f"warning: {len(missing)} old communes without a successor: {missing[:10]}", file=sys.stderr)
    return old_provinces, old_districts, old_communes, district_successors


def province_rows(converter: dict, old_provinces: dict, new_provinces: dict) -> list[dict]:
    """The province rows: the old ones (era "both" for those not merged, else "before"
    with their successor), then the new merged ones (era "after")."""
    new_province_of = {old: new for new, olds in converter["DICT_PROVINCE"].items() for old in olds}
    unchanged = {key for key, olds in converter["DICT_PROVINCE"].items() if olds == [key] and key in old_provinces}
    rows = []
    for key, (code, designation, name) in sorted(old_provinces.items(), key=lambda kv: kv[1][0]):
        if key in unchanged:
            rows.append(dict(kind="province", code=code, era="both", designation=designation, name=name))
            continue
        successor = new_provinces[new_province_of[key]][0]
        rows.append(
            dict(
                kind="province",
                code=code,
                era="before",
                designation=designation,
                name=name,
                successor_refs=f"province:{successor}",
            )
        )
    for key, (code, designation, name) in sorted(new_provinces.items(), key=lambda kv: kv[1][0]):
        if key not in unchanged:
            rows.append(dict(kind="province", code=code, era="after", designation=designation, name=name))
    return rows


def main(argv):
    if len(argv) != 2:
        sys.exit(__doc__)
    rows = build(Path(argv[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in COLUMNS})
    print(f"{len(rows)} areas written to {OUT}")


if __name__ == "__main__":
    main(sys.argv)
