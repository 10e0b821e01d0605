"""The structure of units as pages about a pair show it.

A pair's pages show each side's managing body and place as they stood on the pair's
``structure_date``: today while it runs, the time it ended otherwise. So when a
school passed to a commune People's Committee in July 2025, the 2022–2025 pair still
reads "Quận Nam Từ Liêm, Phòng GD&ĐT Nam Từ Liêm", and today's pair the new commune.
"""

from __future__ import annotations

from collections import defaultdict

from schools.models import Placement
from schools.querysets import placement_in_effect


def attach_places(pairs, today=None) -> None:
    """Sets ``pair.mentor_place`` and ``pair.mentee_place`` (a ``Placement`` with its
    managing body, area and the area above it, or None) on every pair of ``pairs``,
    as they stood on each pair's structure date. The pairs need their program
    loaded. One query whatever the number of pairs."""
    pairs = list(pairs)
    ids = {side for pair in pairs for side in (pair.mentor_id, pair.mentee_id)}
    if not ids:
        return
    placements = defaultdict(list)
    for placement in Placement.objects.filter(organization_id__in=ids).select_related(
        "parent", "area__parent", "cluster"
    ):
        placements[placement.organization_id].append(placement)
    for pair in pairs:
        day = pair.structure_date(today)
        pair.mentor_place = placement_in_effect(placements[pair.mentor_id], day)
        pair.mentee_place = placement_in_effect(placements[pair.mentee_id], day)
