"""Recording how units change over time: a new managing body, a new place, a new
professional cluster, a unit that ceases or merges into another.

Nothing here rewrites the past: each change closes the unit's current placement the
day before it takes effect and opens a new one (``Placement``), and a unit that ceases
keeps its records and its last placement. Department staff record these changes in
the workspace (``programs/views/workspace/organizations.py``) with the date and the
legal reference; the Django admin goes through the same functions.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.models import Area, Membership, Organization, Placement
from twinning.lib.dates import display_date
from twinning.lib.text import nfc

UNCHANGED = object()


def _check_day(day: datetime.date, field: str = "valid_from") -> None:
    if day > timezone.localdate():
        raise ValidationError(
            {field: _("Record a change once it has taken effect: the date cannot be later than today.")}
        )


def current_placement(organization: Organization) -> Placement | None:
    return organization.placements.order_by("-valid_from").filter(valid_until__isnull=True).first() or (
        organization.placements.order_by(F("valid_from").desc(nulls_last=True)).first()
    )


def _check_move_day(organization: Organization, on: datetime.date) -> None:
    """A move may be dated neither after today, nor before the current placement or
    the unit's establishment, and a ceased unit no longer moves."""
    _check_day(on)
    if organization.has_ceased:
        raise ValidationError(
            _("%(unit)s ceased on %(date)s: its placement can no longer change.")
            % {"unit": organization.name, "date": display_date(organization.valid_until)}
        )
    current = current_placement(organization)
    if current is not None and current.valid_from and on < current.valid_from:
        raise ValidationError(
            {
                "valid_from": _(
                    "The current placement began on %(date)s. A change before that day would rewrite it: "
                    "choose a date on or after %(date)s."
                )
                % {"date": display_date(current.valid_from)}
            }
        )
    if organization.valid_from and on < organization.valid_from:
        raise ValidationError(
            {
                "valid_from": _("The unit was established only on %(date)s.")
                % {"date": display_date(organization.valid_from)}
            }
        )


def _check_new_place(organization: Organization, on: datetime.date, parent, new_area, cluster) -> None:
    """The new managing body must be able to manage the unit and operate on ``on``,
    a newly chosen area (``new_area``, None when the area is kept) must exist then,
    and a cluster must be a professional cluster. All errors are raised together."""
    errors = {}
    if parent is not None:
        message = organization.manager_error(parent)
        if message:
            errors["parent"] = message
        elif not parent.operates_on(on):
            errors["parent"] = _("%(unit)s did not operate on %(date)s.") % {
                "unit": parent.name,
                "date": display_date(on),
            }
    if new_area is not None and not new_area.exists_on(on):
        errors["area"] = _("%(area)s did not exist on %(date)s.") % {"area": new_area, "date": display_date(on)}
    if cluster is not None and cluster.kind != Organization.Kind.CLUSTER:
        errors["cluster"] = _("Choose a professional cluster.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organization_move(
    *,
    user,
    organization: Organization,
    on: datetime.date,
    parent=UNCHANGED,
    area=UNCHANGED,
    cluster=UNCHANGED,
    legal_reference: str = "",
    note: str = "",
) -> Placement:
    """Records that from ``on`` the unit is managed by ``parent``, lies in ``area``
    and belongs to ``cluster`` (each left as it is when not given). The placement in
    effect closes on the day before; a change dated the day that placement began
    corrects it. Returns the placement that starts on ``on``.

    Refused (ValidationError naming the field): a date after today, a date before the
    current placement began (later changes exist: record them in order), a unit that
    has ceased, a managing body that cannot manage this kind of unit, an area or a
    managing body that did not exist on that day, a change that changes nothing."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_move_day(organization, on)
    new_parent = organization.parent if parent is UNCHANGED else parent
    new_area = organization.area if area is UNCHANGED else area
    new_cluster = organization.cluster if cluster is UNCHANGED else cluster
    _check_new_place(organization, on, new_parent, new_area if area is not UNCHANGED else None, new_cluster)
    same = (
        getattr(new_parent, "pk", None) == organization.parent_id
        and getattr(new_area, "pk", None) == organization.area_id
        and getattr(new_cluster, "pk", None) == organization.cluster_id
    )
    if same:
        raise ValidationError(_("Nothing changes: choose a new managing body, place or cluster."))
    organization.parent = new_parent
    organization.area = new_area
    organization.cluster = new_cluster
    organization.save(
        placement_on=on,
        placement_values={"legal_reference": nfc(legal_reference), "note": (note or "").strip(), "recorded_by": user},
    )
    return organization.placements.filter(valid_until__isnull=True).get()


@transaction.atomic
def organization_cease(
    *,
    user,
    organization: Organization,
    last_day: datetime.date,
    legal_reference: str,
    successor: Organization | None = None,
    note: str = "",
) -> Organization:
    """Records that the unit ceased after ``last_day`` (and, when given, merged into
    ``successor``, which inherits the right to read its records). Its memberships end:
    a unit that ceased has no live users. Its records stay as they are."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    _check_day(last_day, "valid_until")
    legal_reference = nfc(legal_reference)
    if not legal_reference:
        raise ValidationError({"end_reference": _("Give the decision behind it, e.g. “Nghị định 142/2025/NĐ-CP”.")})
    if organization.has_ceased:
        raise ValidationError(
            _("%(unit)s already ceased on %(date)s.")
            % {"unit": organization.name, "date": display_date(organization.valid_until)}
        )
    current = current_placement(organization)
    if current is not None and current.valid_from and last_day < current.valid_from:
        raise ValidationError(
            {
                "valid_until": _("Its current placement began on %(date)s: it cannot cease before that.")
                % {"date": display_date(current.valid_from)}
            }
        )
    if successor is not None:
        if successor.pk == organization.pk:
            raise ValidationError({"successor": _("A unit cannot succeed itself.")})
        if successor.has_ceased:
            raise ValidationError({"successor": _("%(unit)s has ceased too.") % {"unit": successor.name}})
    # The units it still manages keep it as their managing body until the department
    # records who manages them next, and their pages say so: a district office ceased
    # on a fixed day whether or not its schools had been handed over yet.
    organization.valid_until = last_day
    organization.end_reference = legal_reference
    organization.successor = successor
    if note:
        organization.note = "\n".join(filter(None, [organization.note, note.strip()]))
    organization.full_clean()
    organization.save()
    # Its roles end with it, keeping the day in their history.
    memberships = Membership.objects.filter(organization=organization, is_active=True)
    memberships.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=last_day)).exclude(
        valid_from__gt=last_day
    ).update(valid_until=last_day)
    memberships.update(is_active=False)
    return organization


@transaction.atomic
def area_end(
    *,
    user,
    area: Area,
    last_day: datetime.date,
    successors: list[Area],
    legal_reference: str,
    move_units: bool = True,
) -> int:
    """Ends ``area`` after ``last_day`` with the areas that took its place. With one
    successor and ``move_units``, every unit placed in the area is recorded as moved
    to it from the next day (same managing body and cluster). Returns how many units
    moved. The area itself keeps its name and place: pages about the past still
    read it."""
    area = Area.objects.select_for_update().get(pk=area.pk)
    first_day = last_day + datetime.timedelta(days=1)
    _check_day(first_day, "valid_until")
    legal_reference = nfc(legal_reference)
    if not legal_reference:
        raise ValidationError({"legal_reference": _("Give the decision behind it.")})
    if area.has_ended:
        raise ValidationError(
            _("%(area)s already ended on %(date)s.") % {"area": area, "date": display_date(area.valid_until)}
        )
    if not successors:
        raise ValidationError({"successors": _("Choose the area (or areas) that took its place.")})
    for successor in successors:
        if successor.pk == area.pk:
            raise ValidationError({"successors": _("An area cannot succeed itself.")})
        if successor.kind != area.kind and not (area.kind == Area.Kind.DISTRICT):
            raise ValidationError({"successors": _("%(area)s is not of the same kind.") % {"area": successor}})
        if not successor.exists_on(first_day):
            raise ValidationError(
                {
                    "successors": _("%(area)s does not exist on %(date)s.")
                    % {"area": successor, "date": display_date(first_day)}
                }
            )
    area.valid_until = last_day
    area.legal_reference = legal_reference
    area.save()
    area.successors.add(*successors)
    moved = 0
    if move_units and len(successors) == 1:
        for unit in Organization.objects.filter(area=area).operating(first_day):
            organization_move(
                user=user,
                organization=unit,
                on=first_day,
                area=successors[0],
                legal_reference=legal_reference,
            )
            moved += 1
    return moved
