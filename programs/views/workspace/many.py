"""Deciding many waiting items at once (pairs to accept, plans to approve): where to go
back to, and the messages that say what went through and what was skipped, and why."""

from django.contrib import messages
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

# Items decided in one go: a page of a list at most.
LIMIT = 100
# Skipped items named one by one in the message; the rest are counted.
SKIPPED_LISTED = 10


def back_to(request, default: str) -> str:
    """The list the form came from (a local path), else ``default``."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return default


def chosen(request, name: str) -> list[str]:
    return list(dict.fromkeys(value for value in request.POST.getlist(name) if value))[:LIMIT]


def report(request, *, done: int, done_message: str, skipped: list[tuple[str, str]]) -> None:
    """``done_message`` has %(n)s; ``skipped`` is [(what, why)]."""
    if done:
        messages.success(request, done_message % {"n": done})
    if skipped:
        listed = "; ".join(f"{name}: {reason}" for name, reason in skipped[:SKIPPED_LISTED])
        more = len(skipped) - SKIPPED_LISTED
        if more > 0:
            listed += " " + ngettext("… and %(n)s more.", "… and %(n)s more.", more) % {"n": more}
        messages.warning(
            request,
            ngettext("%(n)s item was skipped: %(list)s", "%(n)s items were skipped: %(list)s", len(skipped))
            % {"n": len(skipped), "list": listed},
        )
