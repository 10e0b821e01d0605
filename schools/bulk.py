"""Writing many units at once (a province's sheet of schools): what ``Organization.save``
does for one unit, done for all of them in a few bulk queries — derived fields, a
unique slug, the history record, the first placement, the placement change of a
unit that moved. The caller holds the transaction and has validated every unit."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from schools.models import Organization, Placement, provinces_changed, units_written
from twinning.lib.bulk_checks import batch_size
from twinning.lib.bulk_write import insert_rows

BATCH = 2000
PLACE_FIELDS = ("parent_id", "area_id", "cluster_id")
# Written by prepare_to_save on every unit, whatever the sheet changed.
DERIVED_FIELDS = ("name", "short_name", "code", "province", "search_text", "updated_at")
SLUG_CHUNK = 200


def unique_slugs(bases: list[str]) -> list[str]:
    """A slug for each base, unique among the units' slugs and among themselves, as
    ``_unique_slug`` would give one by one ("truong-kim-dong", then
    "truong-kim-dong-2"…). Two queries per SLUG_CHUNK distinct bases that are taken."""
    bases = [base[:120] for base in bases]
    distinct = sorted(set(bases))
    taken = set()
    for start in range(0, len(distinct), BATCH):
        chunk = distinct[start : start + BATCH]
        taken.update(Organization.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    crowded = sorted(base for base in distinct if base in taken)
    for start in range(0, len(crowded), SLUG_CHUNK):
        query = Q()
        for base in crowded[start : start + SLUG_CHUNK]:
            query |= Q(slug__startswith=f"{base}-")
        taken.update(Organization.objects.filter(query).values_list("slug", flat=True))
    slugs, next_number = [], {}
    for base in bases:
        slug, n = base, next_number.get(base, 2)
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        next_number[base] = n
        taken.add(slug)
        slugs.append(slug)
    return slugs


def save_units(created: list[Organization], changed: list[tuple[Organization, dict]], *, user=None) -> None:
    """Inserts ``created`` (new units) and writes ``changed`` ((unit, its values as
    loaded, by attname)), with their history by ``user``. A changed unit whose
    managing body, area or cluster moved gets its new placement (Placement.sync)."""
    provinces = {}
    for unit in created:
        unit.prepare_to_save(provinces)
    provinces_before = {unit.pk: unit.province_id for unit, _before in changed}
    for unit, _before in changed:
        unit.prepare_to_save(provinces)
    unnamed = [unit for unit in created if not unit.slug]
    for unit, slug in zip(unnamed, unique_slugs([unit.slug_base() for unit in unnamed]), strict=True):
        unit.slug = slug
    if created or changed:
        units_written.send(Organization)  # insert_rows and bulk_update send no save signal
    if created:
        created[:] = insert_rows(Organization, created, batch_size=BATCH)
        _record_creation([unit.pk for unit in created], user)
    if not changed:
        return
    now = timezone.now()
    names = {field.attname: field.name for field in Organization._meta.concrete_fields}
    fields = set(DERIVED_FIELDS)
    for unit, before in changed:
        unit.updated_at = now  # auto_now, which bulk_update does not apply
        fields.update(names[name] for name, value in before.items() if getattr(unit, name) != value)
    units = [unit for unit, _before in changed]
    bulk_update_with_history(units, Organization, sorted(fields), batch_size=BATCH, default_user=user)
    moved = [unit.pk for unit in units if unit.province_id != provinces_before[unit.pk]]
    if moved:
        provinces_changed.send(Organization, unit_ids=moved)
    for unit, before in changed:
        if any(before.get(name) != getattr(unit, name) for name in PLACE_FIELDS if name in before):
            Placement.sync(unit)


def _record_creation(ids: list[int], user) -> None:
    """The "+" history record and the first placement of each new unit, copied by the
    database from the rows just inserted (INSERT … SELECT): what simple-history's
    ``bulk_history_create`` and ``Placement.sync`` write for one unit, without building
    two more model instances per row in Python, which cost more than the insert of
    the units themselves (benchmarks/national.py, import section)."""
    history = Organization.history.model
    quote = connection.ops.quote_name
    copied = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    columns = ", ".join(quote(column) for column in copied)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if user is not None and user.pk else None
    units = quote(Organization._meta.db_table)
    with connection.cursor() as cursor:
        size = batch_size()  # SQLite takes at most 999 values a query
        for start in range(0, len(ids), size):
            chunk = ids[start : start + size]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason, "
                f"history_type, history_user_id) SELECT {columns}, %s, NULL, '+', %s "
                f"FROM {units} WHERE id IN ({marks})",
                [now, user_id, *chunk],
            )
            cursor.execute(
                f"INSERT INTO {quote(Placement._meta.db_table)} (organization_id, valid_from, valid_until, parent_id, "
                "area_id, cluster_id, legal_reference, note, recorded_by_id, recorded_at) "
                f"SELECT id, valid_from, valid_until, parent_id, area_id, cluster_id, '', '', NULL, %s "
                f"FROM {units} WHERE id IN ({marks})",
                [now, *chunk],
            )
