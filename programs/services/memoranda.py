"""Recording memoranda of understanding with their signatories and covered pairs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from programs.models import Memorandum, Pair, Signatory


@transaction.atomic
def memorandum_save(
    *, user, memorandum: Memorandum, pairs: Iterable[Pair], signatories: list[dict] | None = None
) -> Memorandum:
    """Creates or updates a memorandum (its scan included) and returns it.

    ``pairs`` are the pairs the user chose among those they manage; pairs of other
    offices that the memorandum already covers stay covered (an officer editing a
    memorandum signed by two offices must not drop the other office's pairs).
    ``signatories`` (``[{"name", "title", "organization"}]``, in signing order)
    replace the current ones when given.
    """
    if memorandum.pk is None:
        memorandum.created_by = user
    memorandum.full_clean()
    memorandum._history_user = user
    memorandum.save()
    kept = list(memorandum.pairs.exclude(pk__in=Pair.objects.editable_by(user).values("pk")))
    memorandum.pairs.set([*kept, *pairs])
    if signatories is not None:
        memorandum.signatories.all().delete()
        for order, row in enumerate(signatories):
            signatory = Signatory(
                memorandum=memorandum,
                name=row.get("name", ""),
                title=row.get("title", ""),
                organization=row.get("organization"),
                order=order,
            )
            signatory.full_clean()
            signatory.save()
    return memorandum
