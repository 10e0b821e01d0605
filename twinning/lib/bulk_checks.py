"""Checking the rows of a large sheet with a few queries, the way the row-by-row import
checks each row with its own.

- ``db_upper`` and ``ci_index``: what ``__iexact`` lookups find, for thousands of texts
  at once. The comparison is the database's own (``UPPER(a) = UPPER(b)`` on
  PostgreSQL; on SQLite ``LIKE`` and ``UPPER`` both fold ASCII letters only), so a
  cell matches exactly what a lookup per row would match.
- ``model_errors``: what ``instance.full_clean()`` adds to a row's errors (as
  import-export's ``validate_instance`` calls it) without a query: foreign keys found
  by a lookup or loaded with the row are not looked up again, and the check
  constraints are evaluated in Python, with SQL's NULL logic, instead of one
  ``SELECT`` each. The messages, their fields and their order are the same.
"""

from __future__ import annotations

import datetime
import decimal
import functools
from collections import defaultdict

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models
from django.db.models import CheckConstraint, F, Q, UniqueConstraint
from django.db.models.expressions import DatabaseDefault
from django.db.models.functions import Upper


def batch_size() -> int:
    """Values per statement: SQLite takes at most 999."""
    limit = connection.features.max_query_params
    return min(limit - 9, 5000) if limit else 5000


def chunks(values: list, size: int | None = None):
    size = size or batch_size()
    for start in range(0, len(values), size):
        yield values[start : start + size]


def db_upper(texts) -> dict[str, str]:
    """{text: the database's UPPER(text)}, what an ``__iexact`` lookup compares with
    the column's UPPER. ASCII texts are folded here (the same on both databases);
    the others by the database, one query per batch."""
    uppers, others = {}, []
    for text in set(texts):
        if text.isascii():
            uppers[text] = text.upper()
        else:
            others.append(text)
    with connection.cursor() as cursor:
        for chunk in chunks(sorted(others)):
            values = ", ".join(["(%s)"] * len(chunk))
            cursor.execute(f"SELECT column1, UPPER(column1) FROM (VALUES {values}) AS texts", chunk)
            uppers.update(cursor.fetchall())
    return uppers


def ci_index(queryset, field: str, uppers) -> dict[str, list]:
    """{UPPER(value): [objects of ``queryset`` whose ``field`` has it]} for the
    ``uppers`` asked (from ``db_upper``): one query per batch."""
    return ci_indexes(queryset, [field], uppers)[0]


def ci_indexes(queryset, fields: list[str], uppers) -> list[dict[str, list]]:
    """``ci_index`` of each of ``fields``, from one query per batch (one scan of the
    table, not one per field)."""
    from functools import reduce
    from operator import or_

    keys = [f"_ci_{i}" for i in range(len(fields))]
    queryset = queryset.order_by().annotate(**{key: Upper(name) for key, name in zip(keys, fields, strict=True)})
    indexes = [defaultdict(list) for _field in fields]
    for chunk in chunks(sorted(set(uppers)), batch_size() // len(fields)):
        wanted = set(chunk)
        for obj in queryset.filter(reduce(or_, (Q(**{f"{key}__in": chunk}) for key in keys))):
            for key, index in zip(keys, indexes, strict=True):
                value = getattr(obj, key)
                if value in wanted:
                    index[value].append(obj)
    return indexes


# --- full_clean without its queries -------------------------------------------------


class Unsupported(Exception):
    """A condition the Python evaluation does not know: the database checks it."""


def _column_value(instance, name):
    if name == "pk":
        return instance.pk
    return getattr(instance, instance._meta.get_field(name).attname)


def _operand(instance, value):
    return _column_value(instance, value.name) if isinstance(value, F) else value


def _compare(instance, key: str, value):
    name, _sep, lookup = key.partition("__")
    if "__" in lookup or (hasattr(value, "resolve_expression") and not isinstance(value, F)):
        raise Unsupported(key)
    lookup = lookup or "exact"
    left = _column_value(instance, name)
    if lookup == "isnull":
        return (left is None) == bool(value)
    if lookup == "exact" and value is None:  # Django turns "= None" into IS NULL
        return left is None
    if lookup == "in":
        values = [_operand(instance, v) for v in value if v is not None]
        return None if left is None else left in values
    right = _operand(instance, value)
    if left is None or right is None:
        return None
    operators = {
        "exact": lambda a, b: a == b,
        "gt": lambda a, b: a > b,
        "gte": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "lte": lambda a, b: a <= b,
    }
    if lookup not in operators:
        raise Unsupported(key)
    return operators[lookup](left, right)


def evaluate(condition: Q, instance):
    """True, False or None (SQL's unknown) for ``condition`` on the values of
    ``instance``, as the database would compute it."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(evaluate(child, instance))
        elif isinstance(child, tuple):
            results.append(_compare(instance, *child))
        else:
            raise Unsupported(child)
    if condition.connector == Q.AND:
        value = False if False in results else (None if None in results else True)
    elif condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        raise Unsupported(condition.connector)
    if condition.negated and value is not None:
        value = not value
    return value


def _skipped(instance, names, exclude) -> bool:
    """Django leaves out a constraint naming an excluded field (or a name it does not
    map: an attname), as ``Model._get_field_expression_map`` does."""
    known = {field.name for field in instance._meta.local_concrete_fields} | {"pk"}
    return bool(names & exclude) or bool(names - known)


def constraint_errors(instance, exclude: set, exists_other=None) -> dict:
    """The errors ``Model.validate_constraints(exclude)`` would raise. A unique
    constraint is asked of ``exists_other(constraint, instance)`` (the caller knows
    the rows of the sheet and those loaded for it), else of the database."""
    errors = {}
    for constraint in instance._meta.constraints:
        error = None
        if isinstance(constraint, CheckConstraint):
            condition = Q(constraint.condition)
            if _skipped(instance, condition.referenced_base_fields, exclude):
                continue
            try:
                # An unknown result passes, as COALESCE(condition, TRUE) does.
                failed = evaluate(condition, instance) is False
            except Unsupported:
                failed = _fails_in_database(constraint, instance, exclude)
            if failed:
                error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
        elif isinstance(constraint, UniqueConstraint) and constraint.fields and exists_other is not None:
            if any(name in exclude or _column_value(instance, name) is None for name in constraint.fields):
                continue
            if constraint.condition is not None:
                condition = Q(constraint.condition)
                if _skipped(instance, condition.referenced_base_fields, exclude):
                    continue
                try:
                    if evaluate(condition, instance) is False:
                        continue
                except Unsupported:
                    pass
            if exists_other(constraint, instance):
                error = ValidationError(constraint.get_violation_error_message(), code=constraint.violation_error_code)
        else:
            error = _database_error(constraint, instance, exclude)
        if error is None:
            continue
        if getattr(error, "code", None) == "unique" and len(getattr(constraint, "fields", ())) == 1:
            errors.setdefault(constraint.fields[0], []).append(error)
        else:
            errors = error.update_error_dict(errors)
    return errors


def _fails_in_database(constraint, instance, exclude) -> bool:
    return _database_error(constraint, instance, exclude) is not None


def _database_error(constraint, instance, exclude):
    try:
        constraint.validate(type(instance), instance, exclude=exclude)
    except ValidationError as error:
        return error
    return None


# Values whose check by a model field depends on nothing else (a field's to_python,
# validate and validators see only the value): checked once per import.
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None), datetime.date, datetime.datetime, decimal.Decimal})


@functools.cache
def _plain_text_limit(field) -> int | None:
    """The length limit of a text field checked by nothing else (no choices, no
    validator but its maximum length), or None."""
    from django.core.validators import MaxLengthValidator

    if type(field) not in (models.CharField, models.TextField) or field.choices:
        return None
    checks = field.validators
    if not checks:
        return 10**9
    if len(checks) == 1 and type(checks[0]) is MaxLengthValidator:
        return field.max_length
    return None


def _verdict(field, raw, instance):
    """(cleaned value, None) or (None, [errors]) of ``field.clean(raw, instance)``."""
    limit = _plain_text_limit(field)
    if limit is not None and type(raw) is str and raw and len(raw) <= limit:
        return raw, None  # what to_python, validate and the length check leave of it
    try:
        return field.clean(raw, instance), None
    except ValidationError as error:
        return None, error.error_list


def clean_fields(instance, exclude, memo: dict | None = None) -> dict:
    """``{field name: [errors]}`` of ``Model.clean_fields(exclude)``, which it mirrors
    (the cleaned values are set on the instance), with each field's verdict on a plain
    value remembered in ``memo`` (one dict per import): a sheet's rows share most of
    their values (the defaults of the columns it lacks, a level, an office)."""
    errors = {}
    values = instance.__dict__
    for field in instance._meta.fields:
        if field.name in exclude or field.generated:
            continue
        attname = field.attname
        raw = values[attname] if attname in values else getattr(instance, attname)
        if field.blank and raw in field.empty_values:
            continue
        if isinstance(raw, DatabaseDefault):
            continue
        if memo is not None and type(raw) in _PLAIN_TYPES and not field.is_relation:
            verdicts = memo.get(attname)
            if verdicts is None:
                verdicts = memo[attname] = {}
            key = (type(raw), raw)
            found = verdicts.get(key)
            if found is None:
                found = verdicts[key] = _verdict(field, raw, instance)
        else:
            found = _verdict(field, raw, instance)
        cleaned, error = found
        if error is not None:
            errors[field.name] = list(error)
        elif cleaned is not raw:
            setattr(instance, attname, cleaned)
    return errors


def full_clean_errors(instance, exclude, memo: dict | None = None) -> dict:
    """The errors of ``instance.full_clean(exclude, validate_unique=False,
    validate_constraints=False)``: ``clean_fields`` (remembered in ``memo``), then
    ``clean()``."""
    errors = clean_fields(instance, exclude, memo)
    try:
        instance.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    return errors


def model_errors(
    instance, errors: dict | None = None, *, exists_other=None, validate_constraints=True, memo=None
) -> dict:
    """``errors`` (a row's, by field) with what ``instance.full_clean(exclude=errors)``
    adds: the fields' own checks, ``clean()``, then the constraints. Foreign keys that
    hold a value are not looked up again (the sheet's lookups found them, or they
    were loaded with the row); unique fields are left to the caller, who matches rows
    by them or makes them at random."""
    errors = dict(errors or {})
    exclude = set(errors)
    present = {
        field.name
        for field in instance._meta.concrete_fields
        if field.is_relation and getattr(instance, field.attname) is not None
    }
    for name, messages in full_clean_errors(instance, exclude | present, memo).items():
        errors.setdefault(name, []).extend(messages)
    if not validate_constraints:
        return errors
    # As full_clean does: the constraints leave out the fields already in error.
    exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
    for name, messages in constraint_errors(instance, exclude, exists_other).items():
        errors.setdefault(name, []).extend(messages)
    return errors
