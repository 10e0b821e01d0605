import time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

# The session key of the membership a user with roles in several units acts for.
ACTING_SESSION_KEY = "acting_membership"


class MethodNotAllowedPageMiddleware:
    """Give a 405 a page a person can read.

    Actions (accept, decline, confirm, delete…) answer POST only, and Django answers a GET on them
    with an empty 405. Someone who bookmarked such an address or reloaded it gets a blank page; this
    keeps the 405 status and the Allow header and fills the body with an explanation and a way back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method in ("GET", "HEAD"):
            response.content = render_to_string("405.html", request=request)
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set: Permissions-Policy on every
    response, and ``Cache-Control: private, no-store`` on everything served to a
    logged-in user (staff pages and every export), so no shared cache or back button
    on a shared computer keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        return response


class WorkingDaySessionMiddleware:
    """A logged-in session ends after SESSION_COOKIE_AGE without activity: a visit
    moves its end on, but at most once every TOUCH_EVERY seconds (not a database
    write per request)."""

    TOUCH_EVERY = 300

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def start(sender, request, user, **kwargs):
        """On login (signal): the session starts as just touched."""
        if request is not None and hasattr(request, "session"):
            request.session["_touched"] = int(time.time())

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_touched", 0) >= self.TOUCH_EVERY:
                request.session["_touched"] = now
        return self.get_response(request)


class ActingUnitMiddleware:
    """Issue 13 §5: a user with roles in several units may act for one of them. The
    choice (a membership id, ``ACTING_SESSION_KEY`` in the session, set by
    ``accounts.views.acting``) is put on the request's user before anything computes
    their scope, which ``schools.scope`` then narrows to that unit; a choice that is no
    longer one of the user's current roles is ignored there. No query: the session
    is already loaded for the logged-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            acting = request.session.get(ACTING_SESSION_KEY)
            if isinstance(acting, int):
                user._ketnghia_acting = acting
        return self.get_response(request)
