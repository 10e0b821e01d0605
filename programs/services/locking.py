"""Every workflow step is decided once.

Two requests may act on the same record at the same moment (the partner confirms
while the reporting school withdraws; a second tab; a double tap). Each step locks
the record's row for the rest of its transaction and checks its precondition against
the status as it is *now*: the first request wins, the second waits for it and is then
told, in words, that someone acted before it — and changes nothing.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def lock_status(record) -> None:
    """Locks ``record``'s row (SELECT … FOR UPDATE) and refuses, with a message, when
    its status changed since the record was read; call it first, inside the step's
    transaction."""
    model = type(record)
    current = model._default_manager.select_for_update().values_list("status", flat=True).get(pk=record.pk)
    if current != record.status:
        raise ValidationError(
            _("Someone acted on this before you: it is now “%(status)s”. Nothing was changed.")
            % {"status": model.Status(current).label}
        )
