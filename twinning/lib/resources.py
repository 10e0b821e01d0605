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
from django.db.models.base import ModelState
from django.db.models.fields import NOT_PROVIDED
from django.db.models.signals import post_init, pre_init
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import fields as import_fields
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


def remembered(clean):
    """For a widget's ``clean`` whose verdict depends on the cell alone: each distinct
    cell is read once per import (widgets are copied with their resource) and its
    value, or message, reused for the rows that repeat it."""

    @functools.wraps(clean)
    def remembering(self, value, row=None, **kwargs):
        if type(value) not in (str, int, float):
            return clean(self, value, row=row, **kwargs)
        memo = self.__dict__.setdefault("_verdicts", {})
        key = (type(value), value)
        if key not in memo:
            try:
                memo[key] = (clean(self, value, row=row, **kwargs), None)
            except ValueError as error:
                memo[key] = (None, str(error))
        cleaned, error = memo[key]
        if error is not None:
            raise ValueError(error)
        return cleaned

    return remembering


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

    @remembered
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

    @staticmethod
    def cell_text(value) -> str:
        """The text looked up for a cell ("" for an empty one)."""
        if value is None or str(value).strip() == "":
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return nfc(str(value))

    def prefetch(self, values) -> None:
        """Looks up every distinct text of ``values`` (a column of the sheet, as the
        rows will hold it) at once: ``clean`` then answers them without a query, with
        the same object or message as its lookups one by one. For ``__iexact``
        lookups on a query set that does not depend on the row; others are left to
        ``clean``."""
        if type(self).clean is not LookupWidget.clean or not all(
            lookup.endswith("__iexact") and "__" not in lookup[: -len("__iexact")] for lookup in self.lookups
        ):
            return
        texts = {self.cell_text(value) for value in values} - {""}
        texts -= set(getattr(self, "_found", {}))
        if not texts:
            return
        from twinning.lib.bulk_checks import ci_indexes, db_upper

        uppers = db_upper(texts)
        fields = [lookup[: -len("__iexact")] for lookup in self.lookups]
        indexes = ci_indexes(self.get_queryset(None, None), fields, uppers.values())
        found = self.__dict__.setdefault("_found", {})
        for text in texts:
            found[text] = self._first_match(text, [index.get(uppers[text], []) for index in indexes])

    def _first_match(self, text, candidates):
        """(object, None) or (None, error) as ``clean`` decides, given the objects each
        lookup finds in turn."""
        for matches in candidates:
            distinct = list({obj.pk: obj for obj in matches}.values())
            if len(distinct) == 1:
                return distinct[0], None
            if len(distinct) > 1:
                return None, ValueError(
                    _("“%(value)s” matches more than one %(what)s; use the code instead.")
                    % {"value": text, "what": self.model._meta.verbose_name}
                )
        return None, ValueError(self.not_found(text))

    def clean(self, value, row=None, **kwargs):
        text = self.cell_text(value)
        if not text:
            return None
        found = getattr(self, "_found", None)
        if found is not None and text in found:
            obj, error = found[text]
            if error is not None:
                raise ValueError(str(error))
            return obj
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

    @remembered
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

    @remembered
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
    @remembered
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

    def init_instance(self, row=None):
        """A new instance, as ``Model()`` makes it, copied from one made once per
        import (``Model.__init__`` costs more than the rest of a row's check); a
        field with a callable default (a random code) gets its own value."""
        model = self._meta.model
        prototype = self.__dict__.get("_prototype")
        if prototype is None:
            if pre_init.has_listeners(model) or post_init.has_listeners(model):
                return model()
            prototype = self._prototype = model()
            self._fresh_defaults = [
                field for field in model._meta.concrete_fields if field.has_default() and callable(field.default)
            ]
        instance = model.__new__(model)
        instance.__dict__.update(prototype.__dict__)
        instance._state = ModelState()
        for field in self._fresh_defaults:
            instance.__dict__[field.attname] = field.get_default()
        return instance

    def import_instance(self, instance, row, **kwargs):
        """import-export's ``import_instance`` (4.x: each field of a column of the
        sheet cleaned by its widget and set on the instance; a ``ValueError`` is the
        field's error), with a plain field's ``import_field``, ``save`` and ``clean``
        done inline: a large sheet has hundreds of thousands of cells."""
        errors = {}
        inline = type(self).import_field is resources.Resource.import_field
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            try:
                if inline and type(field) is import_fields.Field:
                    _import_cell(field, instance, row, kwargs)
                else:
                    self.import_field(field, instance, row, **kwargs)
            except ValueError as error:
                errors[field.attribute] = ValidationError(force_str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

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

    @staticmethod
    def cell(value):
        """A cell as ``before_import_row`` leaves it."""
        if isinstance(value, str):
            return unescape_formula(nfc(unicodedata.normalize("NFC", value)))
        # An empty XLSX cell: "" like an empty CSV cell, so a text field saved as "" is
        # not reported as changed when the same sheet is imported again.
        return "" if value is None else value

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str) or value is None:
                row[key] = self.cell(value)
        super().before_import_row(row, **kwargs)

    def prefetch_lookups(self, dataset, names=None) -> None:
        """Looks up at once the cells of the sheet's columns filled through a
        ``LookupWidget`` (``names``: only these fields): a large sheet's rows then cost
        no query each. Call it in ``before_import``, once the headers are recognised."""
        headers = set(dataset.headers or [])
        for name, field in self.fields.items():
            if (names is None or name in names) and isinstance(field.widget, LookupWidget):
                if field.column_name in headers and not field.readonly:
                    field.widget.prefetch(self.cell(value) for value in dataset[field.column_name])

    def get_instance(self, instance_loader, row):
        # A bad key value is reported by import_instance as a field error of the row;
        # here it only means "no existing row".
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ObjectDoesNotExist, MultipleObjectsReturned):
            return None


def _import_cell(field, instance, row, kwargs) -> None:
    """import-export's ``Resource.import_field`` → ``Field.save`` → ``Field.clean`` for
    a field that is not many-to-many."""
    if not field.attribute or field.column_name not in row or field.readonly:
        return
    value = field.widget.clean(row[field.column_name], row=row, **kwargs)
    if value in field.empty_values and field.default != NOT_PROVIDED:
        value = field.default() if callable(field.default) else field.default
    if value is not None or field.saves_null_values:
        *path, name = field.attribute.split("__")
        for attribute in path:
            instance = getattr(instance, attribute, None)
        setattr(instance, name, value)


class RowResource(FormulaEscapingMixin, resources.Resource):
    """Export-only resource over plain objects (rows of a report rather than model
    instances), with the same formula escaping as the model resources."""
