"""What the pages recording activities, plans and donations share.

- ``pick_pair``: which pair a new record belongs to. The pages that create one take
  the pair from ``?pair=<code>``; without it the user picks among the active pairs
  they may act for (or goes straight on when there is only one). A pair outside the
  user's scope is a 404; one they only read is a 403.
- ``run_step``: one state change (submit, accept, confirm…) with its message.
- small helpers for lists: the pair and school-year filters, people's names.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from programs.models import Pair
from programs.views.workspace.access import get_for_user, get_for_user_rw
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.lib.schoolyear import (
    current_school_year,
    display_school_year,
    parse_school_year,
    school_years_between,
)


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
    pairs = list(actionable_pairs(request.user).order_by("program", vi_order("mentor__name"), vi_order("mentee__name")))
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


def run_step(request, step, success: str, **kwargs) -> bool:
    """Calls the service ``step(user=…, **kwargs)``; puts ``success`` or the reason it
    was refused in the user's messages. Returns whether it was done."""
    try:
        step(user=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def person_name(user) -> str:
    """How a user is named on a page: full name, else user name, else a dash."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def school_year_choices(first: int, last: int):
    """(value, label) pairs of the school years starting from ``last`` down to
    ``first``: ("2026-2027", "2026–2027"), …"""
    return [(year, display_school_year(year)) for year in reversed(school_years_between(first, last + 1))]


def recent_school_years(count=5):
    """The current school year and the ones before it as choices, newest first."""
    first = int(current_school_year()[:4])
    return school_year_choices(first - count + 1, first)


def school_year_param(request, default="") -> str:
    """The ``?year=`` of a list as "2026-2027", or ``default`` when absent or wrong."""
    try:
        return parse_school_year(request.GET["year"])
    except (KeyError, ValidationError):
        return default


def pair_param(request):
    """The pair named by ``?pair=`` of a list (404 outside the scope), or None."""
    code = request.GET.get("pair")
    if not code:
        return None
    return get_for_user(request, Pair.objects.select_related("mentor", "mentee"), code=code)


def may_record(user) -> bool:
    """Whether the user's role records activities, plans and donations at all (the
    buttons on list pages; each record is still checked against the scope)."""
    scope = scope_for(user)
    return scope.is_superuser or scope.is_principal or scope.is_officer or scope.is_department
