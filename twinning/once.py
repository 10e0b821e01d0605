"""Forms that create records are sent once, whatever the network does.

A create form carries a random key (``{% once_field %}``, a hidden input). The view,
wrapped in ``@submitted_once``, records the key in the same transaction as the record
it creates; the database's unique constraint lets exactly one sending through. A
second sending with the same key — a double tap, a resend after a timeout, a second
tab — waits for the first to finish and is sent to the page the first one led to,
with a message saying it had been saved already. A sending whose form had errors
records nothing, so the corrected form goes through.
"""

import datetime
import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from twinning.models import Submission

FIELD = "_once"
KEEP = datetime.timedelta(days=2)


class _NotSaved(Exception):
    def __init__(self, response):
        self.response = response


def _key(request):
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _already(request, submission):
    messages.info(request, _("This form had been sent already: it was saved once, not twice."))
    return redirect(submission.redirect_to)


def submitted_once(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = _key(request) if request.method == "POST" else None
        if key is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        done = Submission.objects.filter(user=request.user, key=key).exclude(redirect_to="").first()
        if done:
            return _already(request, done)
        try:
            with transaction.atomic():
                Submission.objects.filter(user=request.user, created_at__lt=timezone.now() - KEEP).delete()
                # A twin sending in flight holds this row: this insert waits for it, then fails.
                submission = Submission.objects.create(user=request.user, key=key)
                response = view(request, *args, **kwargs)
                if response.status_code not in (301, 302, 303):
                    raise _NotSaved(response)  # the form had errors: keep nothing of this sending
                submission.redirect_to = response["Location"][:500]
                submission.save(update_fields=["redirect_to"])
                return response
        except _NotSaved as not_saved:
            return not_saved.response
        except IntegrityError:
            done = Submission.objects.filter(user=request.user, key=key).exclude(redirect_to="").first()
            if done:
                return _already(request, done)
            raise

    return wrapper
