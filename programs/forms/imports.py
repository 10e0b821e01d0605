"""The upload form of the workspace's spreadsheet import."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from programs.services.imports import SheetError, check_columns, read_sheet

KIND_CHOICES = [("schools", _("Schools")), ("pairs", _("Twinning pairs"))]


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the sheet holds"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Spreadsheet file"),
        help_text=_("Excel (.xlsx) or CSV (UTF-8, or Windows-1258 from older Excel), at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        error_messages={"required": _("Choose the file to import."), "empty": _("The file is empty.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.content = b""
        self.sheet = None

    def clean(self):
        data = super().clean()
        upload, kind = data.get("file"), data.get("kind")
        if not upload or not kind:
            return data
        if upload.size > settings.MAX_UPLOAD_BYTES:
            self.add_error(
                "file",
                _("The file is %(size)s; the largest accepted size is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.MAX_UPLOAD_BYTES)},
            )
            return data
        self.content = upload.read()
        try:
            self.sheet = read_sheet(self.content)
            check_columns(self.sheet, kind, self.user)
        except SheetError as error:
            self.add_error("file", str(error))
        return data

    @property
    def extension(self) -> str:
        return "xlsx" if self.content.startswith(b"PK\x03\x04") else "csv"
