"""The scale-out parts, configured from the environment and off by default: a shared
Redis cache (REDIS_URL) and a read replica for report and export reads
(DATABASE_REPLICA_URL)."""

import os
import socket
import subprocess
import sys

from django.conf import settings

from twinning.routers import ReplicaRouter, reading_from_replica


def settings_with(**env):
    """The settings a process started with ``env`` would have (a fresh interpreter)."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django.core.cache import cache; "
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'databases': sorted(s.DATABASES), "
        "'replica': s.DATABASES.get('replica', {}).get('NAME'), 'tasks': s.TASKS['default']['BACKEND']}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_REPLICA_URL", "TASKS_BACKEND")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "twinning.settings", **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(result.stdout)


def test_nothing_is_needed_by_default():
    found = settings_with()
    assert found["cache"].endswith("LocMemCache")
    assert "replica" not in found["databases"]
    assert found["tasks"] == "django_tasks_db.DatabaseBackend"


def test_the_environment_turns_each_part_on():
    found = settings_with(
        REDIS_URL="redis://127.0.0.1:6379/0",
        DATABASE_REPLICA_URL="postgres://reader@replica.example:5432/twinning",
        TASKS_BACKEND="immediate",
    )
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["replica"] == "twinning"
    assert found["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"


def test_report_reads_go_to_the_replica_and_writes_never(monkeypatch):
    router = ReplicaRouter()
    with reading_from_replica():
        assert router.db_for_read(None) is None  # no replica configured: the primary
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))
    assert router.db_for_read(None) is None
    with reading_from_replica():
        assert router.db_for_read(None) == "replica"
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica", "programs") is False


def test_the_redis_cache_works_when_redis_runs():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        import pytest

        pytest.skip("no Redis on 127.0.0.1:6379")
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('ket-nghia-test', 'được', 10); print(cache.get('ket-nghia-test'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "twinning.settings", "REDIS_URL": "redis://127.0.0.1:6379/0"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "được"
