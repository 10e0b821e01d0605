"""Vietnam's official administrative units, loaded from ``fixtures/geo/vn_admin_units.csv``.

The file holds every province, district and commune before 1 July 2025 (ended on 30
June 2025) and every province and commune since, with the official old → new mapping
as successor links (``scripts/build_area_fixture.py`` builds it; the source, its
licence and date are in ``fixtures/geo/README.md``).

``load_areas`` is idempotent: an area is known by (kind, official code, first day),
so a second run changes nothing; it corrects a name or a designation the list
corrected, adopts an area typed by hand before the list was loaded (same kind, same
name, same place, no code), adds missing successor links, and never deletes an area
or a link. Everything is done in bulk: a few dozen queries for the whole country.
"""

import csv
import datetime
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from schools.models import Area
from twinning.lib.text import fold, nfc, slugify_vi

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "geo" / "vn_admin_units.csv"

LAST_DAY_BEFORE = datetime.date(2025, 6, 30)
FIRST_DAY_AFTER = datetime.date(2025, 7, 1)

LEGAL_PROVINCES = "Nghị quyết 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh"
LEGAL_DISTRICTS = (
    "Nghị quyết 202/2025/QH15 ngày 12/6/2025 của Quốc hội; không tổ chức đơn vị hành chính cấp huyện từ 01/7/2025"
)
LEGAL_COMMUNES = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội ngày 16/6/2025 về sắp xếp đơn vị hành chính cấp xã; "
    "mã theo Quyết định 19/2025/QĐ-TTg"
)
LEGAL = {"province": LEGAL_PROVINCES, "district": LEGAL_DISTRICTS, "commune": LEGAL_COMMUNES}
LEVELS = ["province", "district", "commune"]
BATCH = 1000


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    adopted: int = 0
    unchanged: int = 0
    links: int = 0

    def __str__(self):
        return (
            f"{self.created} areas created, {self.updated} updated, {self.adopted} adopted, "
            f"{self.unchanged} unchanged, {self.links} successor links added"
        )


@dataclass
class Row:
    kind: str
    code: str
    era: str
    designation: str
    name: str
    parent_code: str
    successor_refs: list[str]

    @property
    def valid_from(self):
        return FIRST_DAY_AFTER if self.era == "after" else None

    @property
    def valid_until(self):
        return LAST_DAY_BEFORE if self.era == "before" else None

    @property
    def key(self):
        return (self.kind, self.code, self.valid_from)

    @property
    def parent_era(self):
        """The era of the parent row: an area that ended sits in one that ended (or
        lasted); one of today in one of today."""
        return ("before", "both") if self.era == "before" else ("after", "both")

    @property
    def legal_reference(self):
        return LEGAL[self.kind] if self.era != "both" else ""


def read_rows(path: Path) -> list[Row]:
    with Path(path).open(encoding="utf-8", newline="") as f:
        return [
            Row(
                kind=r["kind"],
                code=r["code"],
                era=r["era"],
                designation=nfc(r["designation"]),
                name=nfc(r["name"]),
                parent_code=r["parent_code"],
                successor_refs=r["successor_refs"].split(),
            )
            for r in csv.DictReader(f)
        ]


def select_provinces(rows: list[Row], provinces) -> list[Row]:
    """The rows of the given provinces (today's codes): their areas of today and
    everything that ended into them (an old province merged into one of them, its
    districts and communes)."""
    wanted = set(provinces)
    old_province_of_district = {r.code: r.parent_code for r in rows if r.kind == "district"}
    today_of_old_province = {}
    for r in rows:
        if r.kind == "province":
            today_of_old_province[r.code, r.era] = (
                [ref.split(":")[1] for ref in r.successor_refs] if r.era == "before" else [r.code]
            )

    def today_codes(r: Row):
        if r.kind == "province":
            return today_of_old_province[r.code, r.era]
        if r.era == "after":
            return [r.parent_code]
        province = r.parent_code if r.kind == "district" else old_province_of_district.get(r.parent_code)
        return today_of_old_province.get((province, "before")) or today_of_old_province.get((province, "both"), [])

    return [r for r in rows if wanted.intersection(today_codes(r))]


def _find_parent(index, row: Row):
    if not row.parent_code:
        return None
    parent_kind = "district" if row.kind == "commune" and row.era == "before" else "province"
    for era in row.parent_era:
        area = index.get((parent_kind, row.parent_code, FIRST_DAY_AFTER if era == "after" else None))
        if area is not None:
            return area
    raise ValueError(f"{row.kind} {row.code}: parent {parent_kind} {row.parent_code} is not in the file")


def _slug(row: Row, parent: Area | None, taken: set[str]) -> str:
    base = slugify_vi(f"{parent.slug}-{row.name}" if parent else row.name)
    if row.valid_from:
        base = f"{base}-{row.valid_from.year}"
    base = base[:120] or "area"
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    taken.add(slug)
    return slug


def _search_text(row_or_area, parent: Area | None) -> str:
    parent_name = parent.name if parent else ""
    return fold(f"{row_or_area.designation} {row_or_area.name} {parent_name} {row_or_area.code}")[:300]


def load_areas(*, path: Path | str | None = None, provinces=None, dry_run: bool = False) -> LoadSummary:
    """Loads the official areas (all, or those of ``provinces``: today's two-digit
    codes). With ``dry_run`` everything is done and rolled back: the summary says
    what a real run would change."""
    rows = read_rows(Path(path or FIXTURE))
    if provinces:
        rows = select_provinces(rows, provinces)
    summary = LoadSummary()
    with transaction.atomic():
        index = {}  # (kind, code, valid_from) -> Area, for every coded area
        for area in Area.objects.exclude(code=""):
            index[(area.kind, area.code, area.valid_from)] = area
        taken = set(Area.objects.values_list("slug", flat=True))
        uncoded = defaultdict(list)  # (kind, parent_id, folded name) -> hand-typed areas
        for area in Area.objects.filter(code=""):
            uncoded[(area.kind, area.parent_id, fold(area.name))].append(area)

        for kind in LEVELS:
            _load_level(kind, [r for r in rows if r.kind == kind], index, uncoded, taken, summary)
        summary.links = _link_successors(rows, index)
        if dry_run:
            transaction.set_rollback(True)
    return summary


FIELDS = ["name", "designation", "parent", "valid_until", "legal_reference", "search_text"]


def _load_level(kind, rows, index, uncoded, taken, summary):
    new, changed = [], []
    for row in rows:
        parent = _find_parent(index, row)
        area = index.get(row.key)
        adopted = False
        if area is None:
            candidates = uncoded.get((kind, parent.pk if parent else None, fold(row.name)))
            if candidates:
                area, adopted = candidates.pop(0), True
                area.code, area.valid_from = row.code, row.valid_from
        if area is None:
            area = Area(
                kind=kind,
                code=row.code,
                name=row.name,
                designation=row.designation,
                parent=parent,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                legal_reference=row.legal_reference,
                slug=_slug(row, parent, taken),
                search_text=_search_text(row, parent),
            )
            new.append(area)
            index[row.key] = area
            continue
        wanted = {
            "name": row.name,
            "designation": row.designation,
            "parent_id": parent.pk if parent else None,
            "search_text": _search_text(row, parent),
        }
        if row.era == "before":
            # The end of the districts and of the old communes is the list's to say;
            # an area of today may have been ended in the portal since: keep that.
            wanted["valid_until"] = row.valid_until
        if row.legal_reference and not area.legal_reference:
            wanted["legal_reference"] = row.legal_reference
        diff = {f: v for f, v in wanted.items() if getattr(area, f) != v}
        for field, value in diff.items():
            setattr(area, field, value)
        index[row.key] = area
        if adopted:
            summary.adopted += 1
            changed.append(area)
        elif diff:
            summary.updated += 1
            changed.append(area)
        else:
            summary.unchanged += 1
    Area.objects.bulk_create(new, batch_size=BATCH)
    summary.created += len(new)
    if changed:
        Area.objects.bulk_update(changed, FIELDS + ["code", "valid_from"], batch_size=BATCH)


def _link_successors(rows, index) -> int:
    Link = Area.successors.through
    wanted = set()
    for row in rows:
        if not row.successor_refs:
            continue
        source = index[row.key]
        for ref in row.successor_refs:
            kind, code = ref.split(":")
            target = index.get((kind, code, FIRST_DAY_AFTER)) or index.get((kind, code, None))
            if target is not None:  # outside the provinces being loaded
                wanted.add((source.pk, target.pk))
    existing = set(
        Link.objects.filter(from_area_id__in={s for s, _ in wanted}).values_list("from_area_id", "to_area_id")
    )
    missing = [Link(from_area_id=s, to_area_id=t) for s, t in wanted - existing]
    Link.objects.bulk_create(missing, batch_size=BATCH)
    return len(missing)
