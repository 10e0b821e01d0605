"""Many rows read with their related rows, each related row made once.

Why: a national export reads hundreds of thousands of activities. With
``select_related`` every activity gets its own copy of its pair and of the pair's two
sides, host and reporting unit: six model instances a row, 1.7 million for the
workbook of a whole country, a third of its time. The same 25 000 pairs and 50 000
units recur across those rows; made once and shared, they cost a few queries per
chunk of rows instead.
"""

from __future__ import annotations

import itertools

CHUNK = 2000
IDS_PER_QUERY = 1000  # within SQLite's limit of parameters; one array on PostgreSQL (any_of)


def _read(model, fields, ids) -> dict:
    ids = sorted(ids)
    found = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        rows = model._base_manager.only(*fields).filter(pk__any_of=ids[start : start + IDS_PER_QUERY])
        found.update((obj.pk, obj) for obj in rows.order_by())
    return found


def with_shared_related(queryset, relations: dict[str, tuple[str, ...]], chunk_size: int = CHUNK):
    """Yields the objects of ``queryset`` (read ``chunk_size`` at a time, without their
    related rows) with the foreign keys of ``relations`` filled in: {path: the fields
    to read of the related rows}, outer paths before the paths through them, for
    example {"pair": ("code", "mentor", "mentee"), "pair__mentor": ("name",)}. Each
    related row is read once for the whole iteration (one query per relation and
    chunk, for the rows not met before) and shared by every object pointing at it.
    The objects must not be changed and saved: their related rows are shared."""
    known = {}  # (model, fields) -> {pk: instance}
    rows = queryset.iterator(chunk_size=chunk_size)
    while chunk := list(itertools.islice(rows, chunk_size)):
        level = {"": chunk}
        for path, fields in relations.items():
            parent_path, _sep, name = path.rpartition("__")
            parents = level[parent_path]
            if not parents:
                level[path] = []
                continue
            field = type(parents[0])._meta.get_field(name)
            model = field.related_model
            instances = known.setdefault((model, fields), {})
            missing = {getattr(obj, field.attname) for obj in parents} - instances.keys() - {None}
            if missing:
                instances.update(_read(model, fields, missing))
            reached = {}
            for obj in parents:
                related = instances.get(getattr(obj, field.attname))
                field.set_cached_value(obj, related)
                if related is not None:
                    reached[id(related)] = related
            level[path] = list(reached.values())
        yield from chunk
