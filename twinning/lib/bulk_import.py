"""Importing a large sheet through an import-export resource in bulk.

django-import-export's ``import_data`` saves row by row, each in a savepoint, and
copies every existing instance for its diff: about a hundred rows a second. Here the
same resource checks each row the same way — its ``before_import_row``,
``get_instance``, ``import_instance`` (the widgets: one lookup per distinct cell text)
and ``validate_instance`` (the model's checks without a query per row) — and the rows
are then written together by the resource's ``bulk_save(created, changed)`` inside one
transaction. So the messages are the resource's own, for the same row and column, and
a sheet with any bad row writes nothing.

The resource must find existing rows without ``instance_loader`` (from a lookup made
once in ``before_import``) and register each accepted row in ``after_save_instance``
so that a later row with the same key updates it (as a second row does in
import-export, where the first is already saved).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

# How often the progress callback hears of the rows checked.
PROGRESS_EVERY = 500


@dataclass
class Problem:
    error: str


@dataclass
class InvalidRow:
    number: int  # the data row, from 1
    error_dict: dict[str, list[str]]


@dataclass
class RowOutcome:
    import_type: str  # "new", "update" or "skip"
    object_repr: str


@dataclass
class BulkResult:
    """What ``programs.services.imports.import_report`` reads of import-export's
    Result: ``rows``, ``invalid_rows``, ``base_errors``, ``row_errors()``, ``totals``."""

    rows: list[RowOutcome] = field(default_factory=list)
    invalid_rows: list[InvalidRow] = field(default_factory=list)
    base_errors: list[Problem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def row_errors(self):
        return []


def _snapshot(instance, attnames) -> dict:
    return {name: getattr(instance, name) for name in attnames}


def bulk_import(resource, dataset, *, dry_run: bool, user=None, progress=None) -> BulkResult:
    """Checks every row of ``dataset`` with ``resource``; unless ``dry_run`` or a row
    is bad, writes them all with ``resource.bulk_save(created, changed, user=user)``
    in one transaction. ``progress(done, total)`` hears of the rows checked."""
    result = BulkResult()
    resource.before_import(dataset, dry_run=dry_run)
    headers = list(dataset.headers or [])
    model = resource._meta.model
    resource._present_columns, resource._present_fields = set(headers), None
    import_fields = [f for f in resource.get_import_fields() if f.attribute and "__" not in f.attribute]
    # The columns a row may change, by attname (a foreign key compares by id: no query).
    attnames = []
    for import_field in import_fields:
        try:
            attnames.append(model._meta.get_field(import_field.attribute).attname)
        except Exception:  # noqa: BLE001 - a non-model attribute is not compared
            continue
    created, changed, seen = [], [], {}
    total = len(dataset)
    for index, values in enumerate(dataset, start=1):
        row = dict(zip(headers, values, strict=False))
        resource.before_import_row(row, row_number=index, dry_run=dry_run)
        instance = resource.get_instance(None, row)
        earlier = seen.get(id(instance)) if instance is not None else None
        if instance is None:
            instance = resource.init_instance(row)
        existing = instance.pk is not None
        before = _snapshot(instance, attnames) if existing and earlier is None else None
        errors = {}
        try:
            resource.import_instance(instance, row, row_number=index, dry_run=dry_run)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors and before is not None and _snapshot(instance, attnames) == before:
            result.rows.append(RowOutcome("skip", str(instance)))
        else:
            try:
                resource.validate_instance(instance, errors)
            except ValidationError as error:
                result.invalid_rows.append(InvalidRow(index, ValidationError(error.error_dict).message_dict))
            else:
                # A row repeating an earlier row's key updates what that row made.
                import_type = "update" if earlier is not None or existing else "new"
                if earlier is None and existing:
                    changed.append((instance, before))
                elif earlier is None:
                    created.append(instance)
                seen[id(instance)] = instance
                resource.after_save_instance(instance, row, dry_run=dry_run)
                result.rows.append(RowOutcome(import_type, str(instance)))
        if progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
            progress(index, total)
    for kind in ("new", "update", "skip"):
        result.totals[kind] = sum(1 for row in result.rows if row.import_type == kind)
    result.totals["invalid"] = len(result.invalid_rows)
    if dry_run or result.invalid_rows or not (created or changed):
        return result
    if progress is not None:
        progress(total, total, stage=_("Saving the rows"))
    try:
        with transaction.atomic():
            resource.bulk_save(created, changed, user=user)
    except (DatabaseError, ValidationError) as error:
        # Another user changed the same units meanwhile (a code taken since the
        # check): nothing was written.
        message = _("The sheet could not be saved, nothing was changed: %(error)s") % {"error": error}
        result.base_errors.append(Problem(message))
    return result
