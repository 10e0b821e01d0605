"""Which pair a new activity, donation or plan belongs to.

The pages that create one take the pair from ``?pair=<code>``. Without it the user
picks among the active pairs they may act for (or goes straight on when there is
only one). A pair outside the user's scope is a 404; one they only read is a 403.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from programs.models import Pair
from programs.views.workspace.access import get_for_user_rw


def actionable_pairs(user):
    return Pair.objects.actionable_by(user).active().select_related("program", "mentor", "mentee")


def url_with_pair(url_name: str, pair: Pair) -> str:
    return f"{reverse(url_name)}?{urlencode({'pair': pair.code})}"


def pick_pair(request, url_name: str, title: str):
    """Returns ``(pair, None)`` when the request names a pair the user may act for,
    else ``(None, response)``: the page to choose one, or a redirect."""
    code = request.GET.get("pair") or request.POST.get("pair")
    if code:
        pair = get_for_user_rw(
            request,
            Pair.objects.select_related("program", "mentor__parent", "mentee__parent"),
            editable=Pair.objects.actionable_by,
            code=code,
        )
        if pair.status != Pair.Status.ACTIVE:
            return None, render(
                request,
                "workspace/activity_pair_choice.html",
                {
                    "title": title,
                    "pairs": [],
                    "url_name": url_name,
                    "problem": _("This pair is not active, so nothing can be recorded for it."),
                },
                status=409,
            )
        return pair, None
    pairs = list(actionable_pairs(request.user).order_by("program", "mentor__name", "mentee__name"))
    if len(pairs) == 1:
        return None, redirect(url_with_pair(url_name, pairs[0]))
    if not pairs and not Pair.objects.actionable_by(request.user).exists():
        if not Pair.objects.visible_to(request.user).exists():
            problem = _("You have no twinning pair yet.")
        else:
            raise PermissionDenied("read-only role")
    else:
        problem = "" if pairs else _("None of your pairs is active at the moment.")
    context = {"title": title, "pairs": pairs, "url_name": url_name, "problem": problem}
    return None, render(request, "workspace/activity_pair_choice.html", context)
