"""Uploaded files: recognised by their content, never by their name, size-capped,
and stored under a random name chosen by the server."""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from import_export.tmp_storages import MediaStorage

from twinning.lib.codes import new_code

# Kind → (signature test, file extension, content type)
KINDS = {
    "pdf": (lambda head: head.startswith(b"%PDF-"), ".pdf", "application/pdf"),
    "jpeg": (lambda head: head.startswith(b"\xff\xd8\xff"), ".jpg", "image/jpeg"),
    "png": (lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"), ".png", "image/png"),
    "webp": (lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP", ".webp", "image/webp"),
}
KIND_LABELS = {"pdf": "PDF", "jpeg": "JPEG", "png": "PNG", "webp": "WebP"}


def sniff(fileobj) -> str | None:
    """Returns "pdf", "jpeg", "png" or "webp" from the first bytes of a file, or None.
    The file position is restored."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(position)
    for kind, (test, _ext, _type) in KINDS.items():
        if test(head):
            return kind
    return None


def content_type_for(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    for _test, kind_ext, content_type in KINDS.values():
        if ext == kind_ext:
            return content_type
    return "application/octet-stream"


_MARKUP = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg")


def whole_structure_ok(kind: str, fileobj) -> bool:
    """Whether the whole file is what its first bytes say: a PDF ends with its
    end-of-file marker (``%%EOF``) and holds no web-page markup at its start, a
    picture opens and verifies with Pillow. A file that starts with ``%PDF-`` and goes
    on as a web page fails. The file position is restored."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    try:
        if kind == "pdf":
            fileobj.seek(0)
            head = fileobj.read(4096).lower()
            if any(tag in head for tag in _MARKUP):
                return False
            fileobj.seek(0, os.SEEK_END)
            size = fileobj.tell()
            fileobj.seek(max(0, size - 2048))
            return b"%%EOF" in fileobj.read()
        from PIL import Image

        fileobj.seek(0)
        with Image.open(fileobj) as image:
            image.verify()
        return True
    except Exception:
        return False
    finally:
        fileobj.seek(position)


@deconstructible
class FileContentValidator:
    """Accepts a file only when its content is one of ``kinds`` and its size is at
    most ``max_bytes`` (settings.MAX_UPLOAD_BYTES when not given)."""

    def __init__(self, kinds: tuple[str, ...], max_bytes: int | None = None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        # Files already stored (re-validation of an unchanged field) were checked on
        # upload; their file may even be missing now (a restored backup), which must
        # not stop the rest of the form from being saved.
        if getattr(upload, "_committed", False) and not hasattr(upload, "content_type"):
            return
        limit = self.max_bytes or settings.MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file “%(name)s” is %(size)s; the largest accepted size is %(limit)s."),
                code="file_too_large",
                params={
                    "name": os.path.basename(upload.name),
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                },
            )
        kind = sniff(upload)
        if kind not in self.kinds or not whole_structure_ok(kind, upload):
            raise ValidationError(
                _("The file “%(name)s” is not a %(kinds)s file. Scan or save it as one of these and upload it again."),
                code="file_type",
                params={
                    "name": os.path.basename(upload.name),
                    "kinds": ", ".join(KIND_LABELS[k] for k in self.kinds),
                },
            )
        # Give the file the extension of what it really is, so the stored name (and the
        # content type it is later served with) follows the content, not the user.
        stem = os.path.splitext(os.path.basename(upload.name))[0] or "file"
        upload.name = stem + KINDS[kind][1]

    def __eq__(self, other):
        return isinstance(other, FileContentValidator) and (self.kinds, self.max_bytes) == (
            other.kinds,
            other.max_bytes,
        )


@deconstructible
class RandomName:
    """``upload_to`` that ignores the name the user chose: ``<folder>/<year>/<code><ext>``,
    the extension taken from the content."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename):
        ext = os.path.splitext(filename)[1].lower()
        kind_ext = {k: v[1] for k, v in KINDS.items()}
        ext = ext if ext in kind_ext.values() else ".bin"
        return f"{self.folder}/{datetime.date.today():%Y}/{new_code()}{new_code()}{ext}"

    def __eq__(self, other):
        return isinstance(other, RandomName) and self.folder == other.folder


# --- sheets waiting between an import's preview and its confirmation -------------------

# In the default storage, so that every app server (and the background worker) reads
# what another one kept; a private folder, never served.
STASH_FOLDER = "private/imports"


class UploadStash(MediaStorage):
    """django-import-export's ``MediaStorage`` kept in STASH_FOLDER: the admin's imports
    (``IMPORT_EXPORT_TMP_STORAGE_CLASS``) and the portal's (``programs.services.imports``)
    keep their uploads in the same private folder, swept by the same job. A name given
    back by a browser is only ever a file name inside that folder."""

    def __init__(self, **kwargs):
        name = kwargs.get("name")
        if name is not None and (not name or os.path.basename(name) != name or name.startswith(".")):
            raise FileNotFoundError(name)
        kwargs.setdefault("MEDIA_FOLDER", STASH_FOLDER)
        super().__init__(**kwargs)

    def exists(self) -> bool:
        return bool(self.name) and self._storage.exists(self.get_full_path())
