"""Typed readers for environment variables that fail loudly on a bad value."""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str) -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None


def envlist(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; returns ``default`` when the variable is unset."""
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Turn ``postgres://user:password@host:port/name?sslmode=require`` into a
    Django DATABASES entry. Only PostgreSQL is accepted: SQLite is the default
    without any URL."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// (got scheme {parts.scheme!r}); "
            "leave it unset to use the embedded SQLite database."
        )
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(
            "DATABASE_URL must name a database, e.g. postgres://postgres@127.0.0.1:5432/twinning"
        )
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": dict(parse_qsl(parts.query)),
    }


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str) -> dict:
    """Django's EMAIL_* settings from one URL:

    - ``smtp://user:password@host:587`` (STARTTLS, the default for SMTP),
      ``smtp://host:25?tls=false`` (plain, a relay on the same network),
      ``smtps://user:password@host:465`` (TLS from the first byte);
    - ``console://`` (printed, the default), ``file:///var/mail/ketnghia`` (one file
      per message, in that folder), ``memory://`` (kept in django.core.mail.outbox).
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(
                "EMAIL_URL must name the SMTP server, e.g. smtp://user:password@mail.example:587"
            )
        ssl = parts.scheme == "smtps"
        return {
            "EMAIL_BACKEND": EMAIL_BACKENDS["smtp"],
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if ssl else 587),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": ssl,
            "EMAIL_USE_TLS": not ssl and query.get("tls", "true").lower() not in {"0", "false", "no", "off"},
        }
    if parts.scheme == "file":
        path = unquote(parts.path)
        if not path:
            raise ImproperlyConfigured("EMAIL_URL file:// needs a folder, e.g. file:///var/mail/ketnghia")
        return {"EMAIL_BACKEND": EMAIL_BACKENDS["file"], "EMAIL_FILE_PATH": path}
    if parts.scheme in {"console", "memory"}:
        return {"EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme]}
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with smtp://, smtps://, file://, console:// or memory:// (got {parts.scheme!r})"
    )
