"""System checks for configuration mistakes (``manage.py check --deploy`` and every
``runserver``/``migrate``)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=False)
def development_defaults_with_debug_off(app_configs, **kwargs):
    """Warns when DEBUG is off but a development default is still in use."""
    if settings.DEBUG:
        return []
    warnings = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        warnings.append(
            Warning(
                "SECRET_KEY is the development default while DEBUG is off.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="twinning.W001",
            )
        )
    if list(settings.ALLOWED_HOSTS) == list(settings.DEV_ALLOWED_HOSTS):
        warnings.append(
            Warning(
                "ALLOWED_HOSTS is the development default (localhost only) while DEBUG is off.",
                hint="Set ALLOWED_HOSTS to the portal's host names, comma-separated.",
                id="twinning.W002",
            )
        )
    if str(settings.MEDIA_ROOT) == str(settings.DEV_MEDIA_ROOT):
        warnings.append(
            Warning(
                "MEDIA_ROOT is the development default inside the project folder while DEBUG is off.",
                hint="Set MEDIA_ROOT to a persistent folder outside the code (uploaded scans and photos live there).",
                id="twinning.W003",
            )
        )
    if not settings.DATABASE_URL:
        warnings.append(
            Warning(
                "The embedded SQLite database is in use while DEBUG is off.",
                hint="Set DATABASE_URL to the production PostgreSQL database.",
                id="twinning.W004",
            )
        )
    return warnings
