"""Figures of the public pages that count over the whole country, and the busiest public
pages themselves for visitors, kept a short while in the cache (shared through Redis
when REDIS_URL is set)."""

import hashlib
import re
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import translation


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


CSRF_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = "\x00csrf\x00"


def cached_for_visitors(view):
    """The whole page, kept PUBLIC_FIGURES_SECONDS for visitors who are not logged in
    (per path, query and language), so the busiest public pages (home, directory,
    program, pair, school) cost a cache read, not a render. Logged-in users, pages
    with a message waiting and answers other than 200 are never cached. The forms'
    CSRF token is not kept: each visitor's own is put back in when the page is served
    (and their CSRF cookie set as for any page)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = settings.PUBLIC_FIGURES_SECONDS
        if (
            seconds <= 0
            or request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()
        key = f"public-page:{translation.get_language()}:{request.path}:{query}"
        html = cache.get(key)
        if html is None:
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            html = CSRF_FIELD.sub(r"\1" + CSRF_PLACEHOLDER + r"\2", response.content.decode())
            cache.set(key, html, seconds)
            return response
        token = get_token(request)
        return HttpResponse(html.replace(CSRF_PLACEHOLDER, token))

    return wrapper
