"""Figures of the public pages that count over the whole country, kept a short while
in the cache (shared through Redis when REDIS_URL is set)."""

from django.conf import settings
from django.core.cache import cache


def public_figures(compute, *key):
    """``compute()``, kept in the cache for PUBLIC_FIGURES_SECONDS (0: not cached).
    A visitor may see these figures a minute late; nobody waits for 500 000
    activities to be counted."""
    seconds = settings.PUBLIC_FIGURES_SECONDS
    if seconds <= 0:
        return compute()
    cache_key = "public-figures:" + ":".join(str(part) for part in key)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, seconds)
    return value
