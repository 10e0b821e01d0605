"""The Django admin's import and export, made to speak as the portal's own import does.

django-import-export's admin pages label the export's columns with the field's name and
its header side by side ("Code (Mã đơn vị)"), name the file after the model class
("Organization-2026-12-03.xlsx"), number the rows of a sheet from its first data row
(the portal, like Excel, calls that row 2) and head each row's errors with the field's
name ("code", shown upper-case). The pieces here make the admin say what the portal
says: the column headers of the sheet, a Vietnamese file name, the spreadsheet's row
numbers and each error under its column's header; blank rows are left out, as the
portal leaves them out.

- ``SheetRowsResource``: a mixin for a ``KetNghiaResource`` used by an admin.
- ``PortalImportExportAdmin``: a mixin for an ``ImportExportModelAdmin``.
"""

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone, translation
from import_export.forms import SelectableFieldsExportForm

from twinning.lib.text import slugify_vi

# The header is the sheet's first row: its first data row is row 2.
FIRST_DATA_ROW = 2


def _is_blank(values) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


class SheetRowsResource:
    """For a resource the admin imports with: blank rows are left out, rows keep the
    number the spreadsheet shows, and errors are keyed by their column's header."""

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        numbers, kept = [], tablib.Dataset(headers=list(dataset.headers or []))
        for number, values in enumerate(dataset, start=FIRST_DATA_ROW):
            if not _is_blank(values):
                kept.append(values)
                numbers.append(number)
        result = super().import_data(
            kept, dry_run=dry_run, raise_errors=raise_errors, use_transactions=use_transactions, **kwargs
        )
        self.relabel(result, numbers)
        return result

    def column_of(self, key: str) -> str:
        """The header of the column behind an error's key (a field or a model attribute)."""
        if key == NON_FIELD_ERRORS:
            return key
        if key in self.fields:
            return self.fields[key].column_name
        return self.column_for(key)

    def relabel(self, result, numbers) -> None:
        """Gives the invalid rows and the rows in error of ``result`` the spreadsheet's
        row number, and keys each invalid row's errors by its column's header."""

        def sheet_row(index):  # import-export counts the data rows from 1
            if 1 <= index <= len(numbers):
                return numbers[index - 1]
            return index + FIRST_DATA_ROW - 1

        for invalid in result.invalid_rows:
            invalid.number = sheet_row(invalid.number)
            relabelled = {}
            for key, messages in invalid.error_dict.items():
                relabelled.setdefault(self.column_of(key), []).extend(messages)
            invalid.error_dict = relabelled
        for error_row in result.error_rows:
            error_row.number = sheet_row(error_row.number)
        # The page lists the rows in error through ``row_errors()``, numbered by their
        # place among the rows read.
        row_errors = result.row_errors
        result.row_errors = lambda: [(sheet_row(index), errors) for index, errors in row_errors()]


class HeaderLabelExportForm(SelectableFieldsExportForm):
    """The export's choice of columns, each labelled with its header in the sheet."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return str(field.column_name) if field is not None else super()._get_field_label(resource, field_name)


class PortalImportExportAdmin:
    """For an ``ImportExportModelAdmin``: the export's columns labelled by their headers,
    and the file named in Vietnamese after what it lists, with the day it was made:
    "don-vi-2026-12-03.xlsx"."""

    export_form_class = HeaderLabelExportForm

    def get_export_filename(self, request, queryset, file_format):
        with translation.override("vi"):
            stem = slugify_vi(str(self.model._meta.verbose_name_plural))
        return f"{stem}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"
