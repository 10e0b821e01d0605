"""What changed in a record, who changed it and when, in words a reader follows:
the entries of django-simple-history turned into "field: old → new" lines."""

from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

# Values never shown in a history, only that they changed (children's names).
HIDDEN_FIELDS = {"private_note"}
# Bookkeeping columns nobody needs to read about.
SKIPPED_FIELDS = {"search_text", "slug", "updated_at", "created_at"}


def _display(field, value):
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else _("(deleted)")
    if isinstance(field, models.DateTimeField):
        return date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, models.FileField):
        return _("a file")
    if isinstance(field, (models.IntegerField, models.DecimalField)):
        return number_format(value, force_grouping=True)
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _who(record):
    user = record.history_user
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def history_entries(obj, limit=15):
    """The latest ``limit`` changes of ``obj``, newest first: {"when", "who", "kind",
    "changes": [(field label, old, new)], "reason"}. A fixed number of queries, plus
    one per changed link to another record."""
    if obj is None or obj.pk is None or not hasattr(obj, "history"):
        return []
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if record.history_type == "~" and previous is not None:
            for change in record.diff_against(previous).changes:
                if change.field in SKIPPED_FIELDS:
                    continue
                field = obj._meta.get_field(change.field)
                label = str(field.verbose_name)
                if change.field in HIDDEN_FIELDS:
                    changes.append((label, _("(not shown)"), _("(not shown)")))
                else:
                    changes.append((label, _display(field, change.old), _display(field, change.new)))
            if not changes:
                continue
        entries.append(
            {
                "when": record.history_date,
                "who": _who(record),
                "kind": kinds.get(record.history_type, ""),
                "changes": changes,
                "reason": record.history_change_reason or "",
            }
        )
    return entries
