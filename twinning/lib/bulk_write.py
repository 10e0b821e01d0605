"""Inserting many new rows of a model at once.

On PostgreSQL the rows go in by ``COPY … FROM STDIN``, their ids taken beforehand from
the table's sequence: Django's ``bulk_create`` prepares every value of every row
through the field's ``get_db_prep_save`` and compiles one parameter per value, which
costs more than the database's own work for a sheet of tens of thousands of rows.
Elsewhere (SQLite), and for a model with a field this module does not know, it is
``bulk_create``. Either way the objects end with their ids, as saved ones, and
``auto_now``/``auto_now_add`` fields are set as a save sets them. No signal is sent
(as with ``bulk_create``): the caller does what a save's signals would do.
"""

from __future__ import annotations

import datetime
import io

from django.db import connection, models
from django.utils import timezone

BATCH = 2000
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Fields whose value is written as it is held (a foreign key by its id).
_PLAIN_FIELDS = (
    models.AutoField,
    models.BigAutoField,
    models.CharField,  # slugs, e-mails and addresses too
    models.TextField,
    models.IntegerField,  # the positive and big ones too
    models.BooleanField,
    models.DateField,  # and DateTimeField
    models.DecimalField,
    models.ForeignKey,
)


def _copyable(model) -> bool:
    return all(
        isinstance(field, _PLAIN_FIELDS) and not field.generated and type(field).pre_save in _PLAIN_PRE_SAVES
        for field in model._meta.concrete_fields
    )


_PLAIN_PRE_SAVES = {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}


def _converter(field):
    """A function turning the field's value into COPY's text format."""
    if isinstance(field, (models.CharField, models.TextField)):
        return lambda value: "\\N" if value is None else str(value).translate(_COPY_ESCAPES)
    if isinstance(field, models.BooleanField):
        return lambda value: "\\N" if value is None else ("t" if value else "f")
    if isinstance(field, (models.IntegerField, models.AutoField, models.BigAutoField, models.ForeignKey)):
        return lambda value: "\\N" if value is None else str(int(value))
    seen = {}  # dates and decimals, as Django writes them (time zones included), once each

    def convert(value):
        if value is None:
            return "\\N"
        text = seen.get(value)
        if text is None:
            prepared = field.get_db_prep_save(value, connection)
            text = seen[value] = str(prepared.isoformat() if hasattr(prepared, "isoformat") else prepared)
        return text

    return convert


def insert_rows(model, objs: list, *, batch_size: int = BATCH) -> list:
    """Inserts ``objs`` (new instances of ``model``) and returns them with their ids."""
    if not objs:
        return objs
    if connection.vendor != "postgresql" or not _copyable(model):
        return model._default_manager.bulk_create(objs, batch_size=batch_size)
    opts = model._meta
    pk = opts.pk
    fields = list(opts.concrete_fields)
    quote = connection.ops.quote_name
    missing = [obj for obj in objs if obj.pk is None]
    with connection.cursor() as cursor:
        if missing:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [opts.db_table, pk.column, len(missing)],
            )
            for obj, (pk_value,) in zip(missing, cursor.fetchall(), strict=True):
                obj.pk = pk_value
        # auto_now and auto_now_add: the moment of the insert, one for every row.
        stamped = [
            field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ]
        now = timezone.now()
        today = datetime.date.today()  # what DateField.pre_save takes
        stamped = [(field.attname, now if isinstance(field, models.DateTimeField) else today) for field in stamped]
        plan = [(field.attname, _converter(field)) for field in fields]
        columns = ", ".join(quote(field.column) for field in fields)
        statement = f"COPY {quote(opts.db_table)} ({columns}) FROM STDIN"
        for start in range(0, len(objs), batch_size * 10):
            lines = []
            for obj in objs[start : start + batch_size * 10]:
                obj._prepare_related_fields_for_save(operation_name="bulk_create")
                values = obj.__dict__
                for attname, moment in stamped:
                    values[attname] = moment
                lines.append("\t".join([convert(values[attname]) for attname, convert in plan]))
            lines.append("")
            _copy(cursor.cursor, statement, io.StringIO("\n".join(lines)))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _copy(raw_cursor, statement: str, buffer: io.StringIO) -> None:
    if hasattr(raw_cursor, "copy_expert"):  # psycopg2
        raw_cursor.copy_expert(statement, buffer)
    else:  # psycopg 3
        with raw_cursor.copy(statement) as copy:
            copy.write(buffer.getvalue())
