"""The report's figures kept in the cache until the data under them changes.

Why: the dashboard and the printable report of a province (about 750 pairs of a
national movement) take about 80 ms to work out, most of it Python over every pair,
and staff open them again and again (changing a tab, a page of units, printing). The
figures are kept per user and scope (the unit they act for), program, school year,
day and language, under the current *figures version*, and worked out again only
when that version has moved.

The version moves on every save or deletion of a row of the portal's programs and
units (``post_save``, ``post_delete``, ``m2m_changed`` of the ``programs`` and
``schools`` apps), and on the bulk writes that send no such signal (the imports, the
recount of the kept figures, the copies of the sides' provinces on the pairs: they
call ``data_changed``, or send the ``schools`` app's ``units_written``). It has two
parts:

- a number in the database (``FiguresVersion``), raised once the writing transaction
  has committed, so that every process (web workers on any machine, the background
  worker running an import) sees the change;
- a mark of this process, changed at once, so that a page this process shows after
  its own write, even inside a transaction not yet committed, is never old; it goes
  back to "none" once the number in the database has been raised, so that processes
  share what they keep again (one shared cache with ``REDIS_URL``).

Kept at most ``REPORT_CACHE_SECONDS`` (settings; 0 turns the cache off) whatever
happens: a write this module did not foresee shows within that time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

# Rows whose writes do not change any figure: each change is a history row too.
WATCHED_APPS = ("programs", "schools")
_IGNORED_MODELS = {"pairyear", "pairlatestactivity", "figuresversion"}

_NO_LOCAL_WRITE = "-"
_local_mark = _NO_LOCAL_WRITE


class FiguresVersion(models.Model):
    """One row: raised after every committed write that may change a report's figures."""

    number = models.BigIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("figures version")
        verbose_name_plural = _("figures versions")

    def __str__(self):
        return str(self.number)


def _raise_stored() -> None:
    global _local_mark
    if not FiguresVersion.objects.filter(pk=1).update(number=F("number") + 1):
        FiguresVersion.objects.get_or_create(pk=1, defaults={"number": 1})
    _local_mark = _NO_LOCAL_WRITE


def data_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """The portal's data has changed: every kept report is worked out again, by this
    process at once, by the others once the transaction commits."""
    global _local_mark
    _local_mark = uuid.uuid4().hex
    connection = connections[using]
    if any(func is _raise_stored for _sids, func, _robust in connection.run_on_commit):
        return  # this transaction already raises it once committed
    # Robust: the write has committed; a failure to raise the number is logged, not
    # shown to the user as an error (the figures then show within REPORT_CACHE_SECONDS).
    transaction.on_commit(_raise_stored, using=using, robust=True)


def _watched(sender) -> bool:
    meta = getattr(sender, "_meta", None)
    return (
        meta is not None
        and sender.__module__ != "__fake__"  # a migration's models: its tables may not all exist yet
        and meta.app_label in WATCHED_APPS
        and meta.model_name not in _IGNORED_MODELS
        and not meta.model_name.startswith("historical")
    )


def _written(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    if _watched(sender):
        data_changed(using)


def _units_written(sender, **kwargs):
    data_changed()


def connect_signals() -> None:
    """Called from ``ProgramsConfig.ready``."""
    post_save.connect(_written, dispatch_uid="figures-version-save")
    post_delete.connect(_written, dispatch_uid="figures-version-delete")
    m2m_changed.connect(_written, dispatch_uid="figures-version-m2m")
    from schools.models import units_written

    units_written.connect(_units_written, dispatch_uid="figures-version-units")


def stored_version() -> int:
    return FiguresVersion.objects.values_list("number", flat=True).filter(pk=1).first() or 0


def _scope_digest(user) -> str:
    """What the user may see today, in a few characters: the unit they act for and
    every set of their scope (a role that began or ended, by a write or by its dates,
    gives other figures)."""
    from schools.scope import scope_for

    scope = scope_for(user)
    parts = [
        (f.name, sorted(value) if isinstance(value := getattr(scope, f.name), frozenset) else value)
        for f in dataclasses.fields(scope)
        if f.name != "held"
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def kept(compute, user, program, year):
    """``compute()`` (the report of ``program`` in ``year`` as ``user`` may see it),
    from the cache if it was worked out under the current figures version."""
    seconds = settings.REPORT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = ":".join(
        str(part)
        for part in (
            "report",
            user.pk,
            _scope_digest(user),
            program.pk,
            year,
            timezone.localdate().isoformat(),
            translation.get_language(),
            stored_version(),
            _local_mark,
        )
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
