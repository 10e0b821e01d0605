"""Language helpers for URLs. Vietnamese (settings.LANGUAGE_CODE) pages have no
prefix; every other language lives under /<code>/."""

from django.conf import settings
from django.urls import get_script_prefix
from django.utils.translation import get_language_from_path


def path_in_language(full_path: str, language: str) -> str:
    """``full_path`` (path and query, as request.get_full_path() gives it) of the same
    page in ``language``: "/en/pairs/x/?page=2" → "/pairs/x/?page=2" for "vi",
    "/pairs/x/" → "/en/pairs/x/" for "en"."""
    script_prefix = get_script_prefix()
    path, sep, query = full_path.partition("?")
    rest = path[len(script_prefix) - 1 :] if path.startswith(script_prefix) else path
    current = get_language_from_path(rest)
    if current and (rest == f"/{current}" or rest.startswith(f"/{current}/")):
        rest = rest[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE:
        rest = f"/{language}{rest}"
    return f"{script_prefix.rstrip('/')}{rest}{sep}{query}"
