"""Photos sent with a form that was not saved yet: kept briefly, then purged."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from programs.services.photos import PENDING_DIR, pending_photo_load, photo_stash
from tests.workspace_principal.conftest import upload


def test_it_keeps_a_sent_photo_for_its_user_only(cast):
    pending = photo_stash(upload=upload("lop-7a.jpg"), user=cast.users.principal_taymo)
    assert default_storage.exists(pending.image) and default_storage.exists(pending.thumbnail)
    assert pending_photo_load(token=pending.token, user=cast.users.principal_taymo).name == "lop-7a.jpg"
    assert pending_photo_load(token=pending.token, user=cast.users.principal_md) is None
    assert pending_photo_load(token=pending.token + "x", user=cast.users.principal_taymo) is None


def test_it_lets_a_pending_photo_expire_after_a_day(cast, monkeypatch):
    pending = photo_stash(upload=upload(), user=cast.users.principal_taymo)
    later = datetime.datetime.now().timestamp() + 25 * 3600
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert pending_photo_load(token=pending.token, user=cast.users.principal_taymo) is None


def test_it_purges_pending_photos_older_than_a_day(cast, capsys):
    today = default_storage.save(f"{PENDING_DIR}/{timezone.localdate():%Y%m%d}/new.jpg", ContentFile(b"x"))
    old = default_storage.save(f"{PENDING_DIR}/20200101/old.jpg", ContentFile(b"x"))
    call_command("purge_pending_photos", "--dry-run")
    assert "Dry run: 1 pending photo files would be deleted." in capsys.readouterr().out
    assert default_storage.exists(old)
    call_command("purge_pending_photos")
    assert "Deleted 1 pending photo files." in capsys.readouterr().out
    assert not default_storage.exists(old) and default_storage.exists(today)
