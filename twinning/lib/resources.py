"""Shared pieces for django-import-export resources.

Spreadsheets come from many hands: headers typed in Vietnamese or English, with or
without diacritics; "THCS" or "Trung học cơ sở" for a level; "240.000.000" for an
amount; dates written day first. The widgets here accept all of these, and every
bad value raises ``ValueError`` with a Vietnamese message naming what is wrong, which
import-export reports against the row and column.
"""

import datetime
import functools
import unicodedata

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, ValidationError
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import resources, widgets

from twinning.lib.money import parse_vnd
from twinning.lib.text import fold, nfc

# A cell starting with one of these is read as a formula by spreadsheet programs (tab
# and carriage return can hide one behind whitespace): OWASP's CSV-injection list.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class EscapedText(str):
    """Text a spreadsheet would take for a formula, escaped with a leading apostrophe
    for formats that have no cell types (CSV, and the admin's tablib exports).
    ``.text`` keeps the original: the portal's own workbook writes it as a typed
    text cell (see programs.reports.workbook), so people read exactly what was typed."""

    text: str

    def __new__(cls, text):
        escaped = super().__new__(cls, "'" + text)
        escaped.text = text
        return escaped


def escape_formula(value):
    """``value`` unchanged, unless it is text starting with a formula trigger: then
    an ``EscapedText``. Numbers and dates stay numbers and dates."""
    if isinstance(value, str) and not isinstance(value, EscapedText) and value.startswith(FORMULA_TRIGGERS):
        return EscapedText(value)
    return value


def unescape_formula(value):
    """Undoes ``escape_formula`` on a cell read back from an exported sheet."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class FormulaEscapingMixin:
    """For resources: every exported text cell goes through ``escape_formula``.
    (``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` would strip only a leading "=" and
    turn every cell, amounts and dates included, into text.)"""

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    def row_exporter(self, **kwargs):
        """A function turning one object into the list of its exported (and escaped)
        values, the same as ``export_field`` for each export field. Each field's
        dehydrate method is resolved once here: import-export resolves it for every
        cell by scanning all the fields, which dominates the time of a large export."""
        getters = []
        for field in self.get_export_fields():
            method = field.get_dehydrate_method(self.get_field_name(field))
            method = method if callable(method) else getattr(self, method, None)
            if method is None and type(field.widget) is widgets.Widget and _is_plain(field.attribute):
                # A model column written as it is: read it directly (what Field.export
                # and Widget.render do, without their per-cell overhead).
                method = functools.partial(_plain_value, attribute=field.attribute)
            getters.append(method or functools.partial(field.export, **kwargs))

        def export_row(instance):
            return [escape_formula(get(instance)) for get in getters]

        return export_row


def _is_plain(attribute):
    return bool(attribute) and "__" not in attribute


def _plain_value(instance, attribute):
    value = getattr(instance, attribute, None)
    if value is None:
        return ""
    return value if type(value) is str else force_str(value)


class ChoicesWidget(widgets.Widget):
    """A choice written as its code ("school"), its label in Vietnamese or English
    ("Trường học", "School"), with or without diacritics, or an alias ("THCS")."""

    def __init__(self, choices_class, aliases=None, **kwargs):
        self.choices_class = choices_class
        self.aliases = {fold(k): v for k, v in (aliases or {}).items()}
        self._labels = {}
        super().__init__(**kwargs)

    def _lookup(self):
        # Built once per widget (per import): the labels in both languages are fixed.
        if getattr(self, "_table", None) is None:
            self._table = self._build_lookup()
        return self._table

    def _build_lookup(self):
        table = dict(self.aliases)
        for value, label in self.choices_class.choices:
            table[fold(value)] = value
            for language in ("vi", "en"):
                with translation.override(language):
                    table[fold(str(label))] = value
        return table

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return ""
        found = self._lookup().get(fold(str(value)))
        if found is None:
            raise ValueError(
                _("“%(value)s” is not one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(str(label) for _v, label in self.choices_class.choices)}
            )
        return found

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        # Labels by language, found once per export rather than once per cell.
        key = (translation.get_language(), value)
        label = self._labels.get(key)
        if label is None:
            try:
                label = str(self.choices_class(value).label)
            except ValueError:
                return value
            self._labels[key] = label
        return label


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row found by one of several text fields, tried in order. Raises a
    Vietnamese ``ValueError`` when nothing or more than one row matches."""

    lookups: tuple[str, ...] = ()
    not_found_message = ""

    def __init__(self, model, lookups=None, queryset=None, **kwargs):
        self.lookups = tuple(lookups or self.lookups)
        self._queryset = queryset
        super().__init__(model, field=self.lookups[0], **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return self._queryset.all() if self._queryset is not None else self.model.objects.all()

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        text = nfc(str(value))
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        queryset = self.get_queryset(value, row)
        for lookup in self.lookups:
            matches = list(queryset.filter(**{lookup: text})[:2])
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                raise ValueError(
                    _("“%(value)s” matches more than one %(what)s; use the code instead.")
                    % {"value": text, "what": self.model._meta.verbose_name}
                )
        raise ValueError(self.not_found(text))

    def not_found(self, text):
        return _("No %(what)s “%(value)s” was found.") % {"what": self.model._meta.verbose_name, "value": text}

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        for lookup in self.lookups:
            attribute = getattr(value, lookup.split("__")[0], "")
            if attribute:
                return attribute
        return str(value)


class VndWidget(widgets.IntegerWidget):
    """Whole đồng: "240.000.000", "240000000", "240 000 000" or a number cell."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError(_("Enter the amount in whole đồng, for example 240.000.000."))
            value = int(value)
        try:
            return parse_vnd(value)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else int(value)


class DayFirstDateWidget(widgets.DateWidget):
    """A date cell, or text written day first (30/03/2023) or as ISO (2023-03-30)."""

    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as day/month/year, e.g. 30/03/2023.") % {"value": text})

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        if not self.coerce_to_string or kwargs.get("force_native_type"):
            return value  # typed formats (xlsx) get a real date
        return value.strftime("%d/%m/%Y")


class PositiveCountWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            number = (
                float(str(value).replace(".", "").replace(",", "").strip()) if isinstance(value, str) else float(value)
            )
        except ValueError:
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
        if number < 0:
            raise ValueError(_("“%(value)s” is negative. Write a whole number, 0 or more.") % {"value": value})
        if not number.is_integer():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)


class YesNoWidget(widgets.Widget):
    """A boolean written "Có"/"Không" (in the active language)."""

    def render(self, value, obj=None, **kwargs):
        return _("Yes") if value else _("No")


class KetNghiaResource(FormulaEscapingMixin, resources.ModelResource):
    """Base for the portal's resources.

    - Column headers follow the active language; on import, headers in either
      language, with or without diacritics, are recognised.
    - Every text cell is normalised to Unicode NFC ("Tây Mỗ" typed with combining
      marks is the same school) and trimmed.
    - Rows are validated through the model (``full_clean``), so the messages are the
      model's own Vietnamese ones.
    - On export, text that a spreadsheet would run as a formula is escaped
      (``FormulaEscapingMixin``); on import the escape is undone.
    """

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Freeze lazy column names in the active language: import-export compares
        # them with the header strings of the sheet.
        self._header_aliases = {}
        for name, field in self.fields.items():
            label = field.column_name
            names = {fold(name)}
            for language in ("vi", "en"):
                with translation.override(language):
                    names.add(fold(str(label)))
            field.column_name = str(label)
            for alias in names:
                self._header_aliases.setdefault(alias, field.column_name)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """All or nothing: a sheet with any bad row changes nothing, not even its good rows."""
        kwargs.setdefault("rollback_on_validation_errors", True)
        if use_transactions is None:
            use_transactions = True
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
        )

    def get_import_fields(self):
        # A bulk import (twinning.lib.bulk_import) names the sheet's columns: the fields
        # of the other columns are left out once, not skipped on every row.
        present = getattr(self, "_present_columns", None)
        if present is None:
            return super().get_import_fields()
        if getattr(self, "_present_fields", None) is None:
            self._present_fields = [f for f in super().get_import_fields() if f.column_name in present]
        return self._present_fields

    def column_for(self, attribute: str) -> str:
        """The header of the column that fills a model attribute (for messages)."""
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return attribute

    def before_import(self, dataset, **kwargs):
        if dataset.headers:
            dataset.headers = [self._header_aliases.get(fold(str(h or "")), nfc(str(h or ""))) for h in dataset.headers]
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = unescape_formula(nfc(unicodedata.normalize("NFC", value)))
            elif value is None:
                # An empty XLSX cell: "" like an empty CSV cell, so a text field saved as
                # "" is not reported as changed when the same sheet is imported again.
                row[key] = ""
        super().before_import_row(row, **kwargs)

    def get_instance(self, instance_loader, row):
        # A bad key value is reported by import_instance as a field error of the row;
        # here it only means "no existing row".
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ObjectDoesNotExist, MultipleObjectsReturned):
            return None


class RowResource(FormulaEscapingMixin, resources.Resource):
    """Export-only resource over plain objects (rows of a report rather than model
    instances), with the same formula escaping as the model resources."""
