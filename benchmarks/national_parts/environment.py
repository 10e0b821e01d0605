"""The environment of a national benchmark run: production-like settings, static files
without collectstatic, the PostgreSQL database created if missing, and the WSGI
application gunicorn serves (section 5)."""

import os
import warnings


def configure_environment(database_url: str) -> None:
    """Production-like settings for a run of this script (before django.setup())."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "national-benchmark-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # WhiteNoise warns once per process that collectstatic's folder is missing: it is not needed here.
    os.environ["PYTHONWARNINGS"] = "ignore:No directory at"
    warnings.filterwarnings("ignore", message="No directory at")


def plain_static_storage() -> None:
    """Static URLs without collectstatic's manifest (as benchmarks/public_timing.py does)."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def gunicorn_app():
    """WSGI application for gunicorn (``benchmarks.national_parts.environment:gunicorn_app()``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
    import django

    django.setup()
    plain_static_storage()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# The planner's cost of a page read at random, as the README's production outline sets it
# for a database on SSD or in memory (PostgreSQL's default, 4, is for spinning disks:
# with it a Department's pair list read every unit instead of looking its pairs' sides up).
RANDOM_PAGE_COST = "1.1"


def ensure_database(database_url: str) -> None:
    """Creates the PostgreSQL database of ``database_url`` if it does not exist, and sets
    its ``random_page_cost`` as production does (README, production outline)."""
    import psycopg2
    from psycopg2 import sql

    from twinning.lib.env import parse_database_url

    config = parse_database_url(database_url)
    connection = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
                print(f"created database {config['NAME']}")
            cursor.execute(
                sql.SQL("ALTER DATABASE {} SET random_page_cost = {}").format(
                    sql.Identifier(config["NAME"]), sql.Literal(RANDOM_PAGE_COST)
                )
            )
    finally:
        connection.close()
