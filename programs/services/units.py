"""What the portal's programs do when a unit's structure changes.

``schools.services.units`` records the change itself (placements, cessation); a unit
that ceases also ends its running pairs here, on its last day, with the reason —
``schools`` knows nothing of pairs.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from programs.models import Pair
from schools.models import Organization
from schools.services.units import organization_cease
from twinning.lib.dates import display_date


@transaction.atomic
def unit_cease(
    *,
    user,
    organization: Organization,
    last_day: datetime.date,
    legal_reference: str,
    successor: Organization | None = None,
    note: str = "",
    end_pairs: bool = True,
) -> tuple[Organization, int]:
    """Records the cessation (``organization_cease``) and, with ``end_pairs``, ends
    the unit's pairs still running after ``last_day`` on that day. Returns the unit
    and how many pairs ended. Their history, activities and donations stay."""
    organization = organization_cease(
        user=user,
        organization=organization,
        last_day=last_day,
        legal_reference=legal_reference,
        successor=successor,
        note=note,
    )
    ended = 0
    if end_pairs:
        reason = _("%(unit)s ceased after %(date)s (%(reference)s).") % {
            "unit": organization.display_name,
            "date": display_date(last_day),
            "reference": organization.end_reference,
        }
        running = Pair.objects.filter(Q(mentor=organization) | Q(mentee=organization), status=Pair.Status.ACTIVE)
        for pair in running.select_for_update().select_related("program"):
            if pair.period_end and pair.period_end <= last_day:
                continue  # it ends on its own (its phase) before the unit ceased
            pair.status = Pair.Status.ENDED
            pair.ended_on = max(last_day, pair.started_on) if pair.started_on else last_day
            pair.decision_reason = reason
            pair._history_user = user
            pair._change_reason = reason
            pair.save()
            ended += 1
        waiting = Pair.objects.filter(Q(mentor=organization) | Q(mentee=organization), status=Pair.Status.PROPOSED)
        for pair in waiting.select_for_update():
            pair.status = Pair.Status.DECLINED
            pair.decision_reason = reason
            pair._history_user = user
            pair._change_reason = reason
            pair.save()
    return organization, ended
