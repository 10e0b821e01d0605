"""How every workspace view loads what it works on.

- ``staff_required``: logged in (else redirect to login) and holding a role in the
  portal (else 403 with an explanation).
- ``get_for_user(request, queryset, **lookup)``: the object if the user may see it, else
  404 — an object outside the scope does not exist for this user.
- ``get_for_user_rw(request, queryset, **lookup)``: as above, then 403 when the user
  sees it but may not change it (read-only roles: teachers, union officers, and
  principals on officer actions).

``queryset`` is a model's manager or query set with ``visible_to``/``editable_by``
(or a callable ``editable`` giving the editable query set).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from schools.scope import scope_for


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not scope_for(request.user).is_staff_member:
            raise PermissionDenied("no role in the portal")
        return view(request, *args, **kwargs)

    return wrapper


def get_for_user(request, queryset, **lookup):
    """Returns the object of ``queryset.visible_to(user)`` matching ``lookup`` or 404s."""
    return get_object_or_404(queryset.visible_to(request.user), **lookup)


def get_for_user_rw(request, queryset, editable=None, **lookup):
    """Returns the object if the user may change it; 404 if they cannot see it, 403 if
    they see it read-only. ``editable`` overrides ``queryset.editable_by`` (e.g.
    ``Pair.objects.actionable_by`` for activities)."""
    obj = get_for_user(request, queryset, **lookup)
    editable_qs = editable(request.user) if editable else queryset.editable_by(request.user)
    if not editable_qs.filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def pair_opens(user, pair_id) -> bool:
    """Whether the user may open the workspace page of the pair ``pair_id``. A record
    may sit on a pair its viewer does not see (a school's donation on its office
    partnership, an activity hosted at a school for another pair): pages link to the
    pair only when this is true (see templates/workspace/_pair_ref.html)."""
    from programs.models import Pair

    return pair_id is not None and Pair.objects.visible_to(user).filter(pk=pair_id).exists()
