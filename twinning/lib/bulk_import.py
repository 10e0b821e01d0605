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

``BulkImportData`` gives a resource's own ``import_data`` (the admin's import) the
same path, answering with import-export's ``Result`` as the admin pages expect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# How often the progress callback hears of the rows checked.
PROGRESS_EVERY = 500


@dataclass
class Problem:
    error: object  # the message (str) or the exception


@dataclass
class InvalidRow:
    number: int  # the data row, from 1
    error_dict: dict[str, list[str]]
    row: dict = field(default_factory=dict, repr=False)


@dataclass
class RowError:
    """A row whose check raised something else than a validation error (a bug, a
    lost connection): import-export reports it as the row's error, so do we."""

    number: int
    error: Exception
    row: dict = field(default_factory=dict, repr=False)


@dataclass
class RowOutcome:
    import_type: str  # "new", "update" or "skip"
    object_repr: str
    number: int = 0  # the data row, from 1
    instance: object = field(default=None, repr=False)


@dataclass
class BulkResult:
    """What ``programs.services.imports.import_report`` reads of import-export's
    Result: ``rows``, ``invalid_rows``, ``base_errors``, ``row_errors()``, ``totals``."""

    rows: list[RowOutcome] = field(default_factory=list)
    invalid_rows: list[InvalidRow] = field(default_factory=list)
    error_rows: list[RowError] = field(default_factory=list)
    base_errors: list[Problem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)

    def row_errors(self):
        return [(error.number, [error]) for error in self.error_rows]

    def has_errors(self) -> bool:
        return bool(self.base_errors or self.error_rows)

    def has_validation_errors(self) -> bool:
        return bool(self.invalid_rows)


def _snapshot(instance, attnames) -> dict:
    return {name: getattr(instance, name) for name in attnames}


def _compared_attnames(resource, model) -> list[str]:
    """The columns a row may change, by attname (a foreign key compares by id: no query)."""
    attnames = []
    for import_field in resource.get_import_fields():
        if not import_field.attribute or "__" in import_field.attribute:
            continue
        try:
            attnames.append(model._meta.get_field(import_field.attribute).attname)
        except Exception:  # noqa: BLE001 - a non-model attribute is not compared
            continue
    return attnames


def bulk_import(resource, dataset, *, dry_run: bool, user=None, progress=None) -> BulkResult:
    """Checks every row of ``dataset`` with ``resource``; unless ``dry_run`` or a row
    is bad, writes them all with ``resource.bulk_save(created, changed, user=user)``
    in one transaction. ``progress(done, total)`` hears of the rows checked."""
    result = BulkResult()
    try:
        resource.before_import(dataset, dry_run=dry_run)
        resource._check_import_id_fields(dataset.headers)
    except Exception as error:  # noqa: BLE001 - reported as import-export reports it
        result.base_errors.append(Problem(error))
        return _totals(result)
    headers = list(dataset.headers or [])
    model = resource._meta.model
    resource._present_columns, resource._present_fields = set(headers), None
    attnames = _compared_attnames(resource, model)
    created, changed, seen = [], [], {}
    total = len(dataset)
    for index, values in enumerate(dataset, start=1):
        row = dict(zip(headers, values, strict=False))
        try:
            _check_row(resource, row, index, attnames, dry_run, result, created, changed, seen)
        except Exception as error:  # noqa: BLE001 - the row's error, as import-export has it
            result.error_rows.append(RowError(index, error, row))
        if progress is not None and (index % PROGRESS_EVERY == 0 or index == total):
            progress(index, total)
    _totals(result)
    if dry_run or result.invalid_rows or result.has_errors() or not (created or changed):
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


def _check_row(resource, row, index, attnames, dry_run, result, created, changed, seen) -> None:
    resource.before_import_row(row, row_number=index, dry_run=dry_run)
    instance = resource.get_instance(None, row)
    earlier = seen.get(id(instance)) if instance is not None else None
    if instance is None:
        instance = resource.init_instance(row)
    existing = instance.pk is not None
    # An existing row, or one an earlier row of the sheet made or changed (saved by
    # then in import-export), is left alone when the row changes nothing.
    before = _snapshot(instance, attnames) if existing or earlier is not None else None
    errors = {}
    try:
        resource.import_instance(instance, row, row_number=index, dry_run=dry_run)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if not errors and before is not None and _snapshot(instance, attnames) == before:
        result.rows.append(RowOutcome("skip", str(instance), index, instance))
        return
    try:
        resource.validate_instance(instance, errors)
    except ValidationError as error:
        result.invalid_rows.append(InvalidRow(index, ValidationError(error.error_dict).message_dict, row))
        return
    # A row repeating an earlier row's key updates what that row made.
    import_type = "update" if earlier is not None or existing else "new"
    if earlier is None and existing:
        changed.append((instance, before))
    elif earlier is None:
        created.append(instance)
    seen[id(instance)] = instance
    resource.after_save_instance(instance, row, dry_run=dry_run)
    result.rows.append(RowOutcome(import_type, str(instance), index, instance))


def _totals(result: BulkResult) -> BulkResult:
    for kind in ("new", "update", "skip"):
        result.totals[kind] = sum(1 for row in result.rows if row.import_type == kind)
    result.totals["invalid"] = len(result.invalid_rows)
    result.totals["error"] = len(result.error_rows)
    return result


# --- the admin's import -------------------------------------------------------------


def as_import_export_result(resource, dataset, outcome: BulkResult, *, diffs: bool = True):
    """import-export's ``Result`` for what ``bulk_import`` found: the rows in sheet
    order (new, updated, unchanged, invalid or in error) with their object and, for
    the preview (``diffs``), the values imported; the invalid rows with their
    messages; the errors that stopped the sheet."""
    from import_export.results import Error, RowResult

    result = resource.get_result_class()()
    result.diff_headers = resource.get_diff_headers()
    result.total_rows = len(dataset)
    for problem in outcome.base_errors:
        error = problem.error if isinstance(problem.error, Exception) else Exception(problem.error)
        result.append_base_error(Error(error))
    fields = resource.get_import_fields()
    entries = [(row.number, "row", row) for row in outcome.rows]
    entries += [(row.number, "invalid", row) for row in outcome.invalid_rows]
    entries += [(row.number, "error", row) for row in outcome.error_rows]
    for number, what, entry in sorted(entries, key=lambda e: e[0]):
        row_result = RowResult()
        if what == "row":
            row_result.import_type = entry.import_type
            row_result.instance = entry.instance
            row_result.object_id = entry.instance.pk
            row_result.object_repr = entry.object_repr  # as the row left it
            if diffs:
                row_result.diff = [mark_safe(conditional_escape(field.export(entry.instance))) for field in fields]
        elif what == "invalid":
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = ValidationError(entry.error_dict)
            result.append_invalid_row(number, entry.row, row_result.validation_error)
        else:
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(Error(entry.error, row=entry.row, number=number))
            result.append_error_row(number, entry.row, row_result.errors)
        result.append_row_result(row_result)
        result.increment_row_result_total(row_result)
    return result


class BulkImportData:
    """For a resource with ``bulk_save``: its ``import_data`` (the admin's preview and
    confirmation) checks and writes through ``bulk_import``, all or nothing, and
    answers with import-export's ``Result``. ``import_in_bulk = False`` gives back
    import-export's row-by-row import (the tests compare the two)."""

    import_in_bulk = True

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        if not self.import_in_bulk:
            return super().import_data(
                dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
            )
        outcome = bulk_import(self, dataset, dry_run=dry_run, user=kwargs.get("user"))
        result = as_import_export_result(self, dataset, outcome, diffs=dry_run)
        if raise_errors and (outcome.base_errors or outcome.error_rows):
            from import_export.exceptions import ImportError as ImportExportError

            first = outcome.error_rows[0] if outcome.error_rows else None
            error = first.error if first else outcome.base_errors[0].error
            raise ImportExportError(error, number=first.number if first else None, row=first.row if first else None)
        return result
