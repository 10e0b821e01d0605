"""Small security helpers used by the settings."""

from django.conf import settings


def client_ip(request) -> str:
    """The address a request came from. Behind the HTTPS proxy (BEHIND_HTTPS_PROXY) it
    is the last address of X-Forwarded-For, the one the proxy itself added (earlier
    ones are whatever the client claimed); otherwise the socket's address."""
    if getattr(settings, "BEHIND_HTTPS_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if addresses:
            return addresses[-1]
    return request.META.get("REMOTE_ADDR", "")
