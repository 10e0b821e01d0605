"""Database routing: report and export reads may go to a read replica.

With ``DATABASE_REPLICA_URL`` set, code that reads for a report or an export runs
inside ``reading_from_replica()``; every other read and every write stays on the
primary, so a user always sees what they have just saved. Without a replica the
router routes nothing and Django uses ``default``.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


def has_replica() -> bool:
    return "replica" in settings.DATABASES


@contextmanager
def reading_from_replica():
    """Send the reads made inside the block to the replica, when there is one."""
    token = _use_replica.set(has_replica())
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _use_replica.get():
            return "replica"
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
