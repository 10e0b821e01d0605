"""Activity photos: from an upload to a stored ActivityPhoto.

A photo crosses a slow connection once. When a form is sent, each new photo is
checked and re-encoded at once (twinning.lib.images) and kept as a *pending* photo:
two files under ``private/pending-photos/<day>/`` and a signed token naming them and
the user. The form page carries the tokens back, so a form returned with an error (a
missing title) keeps the photos already sent; saving the activity attaches them.
Pending files older than a day are removed by ``manage.py purge_pending_photos``.

Tokens are signed (django.core.signing) with the user's id: nobody can attach or
view another user's pending photo, or point a token at any other file.
"""

import datetime
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Activity, ActivityPhoto
from twinning.lib.codes import new_code
from twinning.lib.images import ProcessedPhoto, process_photo

PENDING_DIR = "private/pending-photos"
PENDING_MAX_AGE = datetime.timedelta(days=1)
MAX_PHOTOS_PER_ACTIVITY = 20
_SALT = "programs.photos.pending"


@dataclass(frozen=True)
class PendingPhoto:
    token: str
    name: str  # the file name the user chose, for display only
    image: str  # storage names
    thumbnail: str
    width: int
    height: int


def _pending_folder(day: datetime.date) -> str:
    return f"{PENDING_DIR}/{day:%Y%m%d}"


def photo_stash(*, upload, user) -> PendingPhoto:
    """Checks and re-encodes one uploaded photo and keeps it as pending. Raises
    ValidationError (naming the file) when it is not an acceptable photo."""
    processed: ProcessedPhoto = process_photo(upload)
    stem = f"{_pending_folder(timezone.localdate())}/{new_code()}{new_code()}"
    image = default_storage.save(f"{stem}.jpg", ContentFile(processed.image))
    thumbnail = default_storage.save(f"{stem}-t.jpg", ContentFile(processed.thumbnail))
    name = (getattr(upload, "name", "") or "")[-120:]
    payload = {"u": user.pk, "i": image, "t": thumbnail, "n": name, "w": processed.width, "h": processed.height}
    token = signing.dumps(payload, salt=_SALT, compress=True)
    return PendingPhoto(token, name, image, thumbnail, processed.width, processed.height)


def pending_photo_load(*, token: str, user) -> PendingPhoto | None:
    """The pending photo a token names, if it is this user's and not expired."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=PENDING_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk:
        return None
    return PendingPhoto(token, data["n"], data["i"], data["t"], data["w"], data["h"])


def photos_stash_uploads(*, uploads, tokens, user) -> tuple[list[PendingPhoto], list[ValidationError]]:
    """Reads the photos a form sent: the pending ones it carries back (``tokens``) and
    the new ``uploads``. Returns the pending photos to keep (old then new) and one
    error per photo refused. A token that has expired is reported as an error too,
    so no photo is dropped without telling the user."""
    kept, errors = [], []
    for token in dict.fromkeys(tokens):
        pending = pending_photo_load(token=token, user=user)
        if pending is None or not default_storage.exists(pending.image):
            errors.append(
                ValidationError(
                    _("A photo sent earlier has expired and was not kept. Choose it again."), code="photo_expired"
                )
            )
        else:
            kept.append(pending)
    for upload in uploads:
        try:
            kept.append(photo_stash(upload=upload, user=user))
        except ValidationError as error:
            errors.append(error)
    return kept, errors


def _delete_pending(pending: PendingPhoto) -> None:
    for name in (pending.image, pending.thumbnail):
        default_storage.delete(name)


def photos_discard(*, pending: list[PendingPhoto]) -> None:
    """Removes pending photos the user chose not to keep."""
    for photo in pending:
        _delete_pending(photo)


def photos_check_room(*, activity: Activity | None, adding: int, removing: int = 0) -> None:
    """Raises ValidationError when the activity would hold more than
    MAX_PHOTOS_PER_ACTIVITY photos."""
    existing = activity.photos.count() if activity is not None and activity.pk else 0
    if existing - removing + adding > MAX_PHOTOS_PER_ACTIVITY:
        raise ValidationError(
            _("An activity can have at most %(max)s photos. Choose the best ones."),
            code="too_many_photos",
            params={"max": MAX_PHOTOS_PER_ACTIVITY},
        )


@transaction.atomic
def photos_attach(*, activity: Activity, pending: list[PendingPhoto], user) -> list[ActivityPhoto]:
    """Turns pending photos into the activity's photos (after those it has)."""
    start = (activity.photos.aggregate(last=Max("order"))["last"] or -1) + 1
    created = []
    for offset, photo in enumerate(pending):
        created.append(
            photo_save(
                activity=activity,
                image=default_storage.open(photo.image, "rb").read(),
                thumbnail=default_storage.open(photo.thumbnail, "rb").read(),
                user=user,
                order=start + offset,
            )
        )
    # Files are not transactional: remove the pending copies only once the rows exist.
    transaction.on_commit(lambda: photos_discard(pending=pending))
    return created


def photo_save(*, activity: Activity, image: bytes, thumbnail: bytes, user, order: int, caption="") -> ActivityPhoto:
    """Stores an already processed photo (see twinning.lib.images) for an activity."""
    photo = ActivityPhoto(activity=activity, uploaded_by=user, order=order, caption=caption)
    photo.image.save("photo.jpg", ContentFile(image), save=False)
    photo.thumbnail.save("thumb.jpg", ContentFile(thumbnail), save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def photos_remove(*, activity: Activity, codes) -> int:
    """Deletes the activity's photos with these codes (files included); returns how
    many were removed. Codes of other activities' photos are ignored."""
    photos = list(activity.photos.filter(code__in=list(codes)))
    for photo in photos:
        image, thumbnail = photo.image.name, photo.thumbnail.name
        photo.delete()
        transaction.on_commit(lambda i=image, t=thumbnail: [default_storage.delete(n) for n in (i, t) if n])
    return len(photos)


def pending_photos_purge(*, older_than: datetime.timedelta = PENDING_MAX_AGE, dry_run=False) -> int:
    """Deletes pending photos left by forms never completed; returns the number of
    files (deleted, or that would be with ``dry_run``)."""
    if not default_storage.exists(PENDING_DIR):
        return 0
    keep_from = _pending_folder(timezone.localdate() - older_than.days * datetime.timedelta(days=1))
    count = 0
    folders, _files = default_storage.listdir(PENDING_DIR)
    for folder in folders:
        path = f"{PENDING_DIR}/{folder}"
        if path >= keep_from:
            continue
        _subfolders, files = default_storage.listdir(path)
        for name in files:
            count += 1
            if not dry_run:
                default_storage.delete(f"{path}/{name}")
    return count
