"""Working groups (tổ công tác) of an office, per program and school level."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import WorkingGroup, WorkingGroupMember


def default_name(group: WorkingGroup) -> str:
    office = group.office.name if group.office_id else ""
    if group.level:
        return _("Working group, %(level)s – %(office)s") % {"level": group.get_level_display(), "office": office}
    return _("Working group – %(office)s") % {"office": office}


@transaction.atomic
def working_group_save(*, user, group: WorkingGroup, members: list[dict] | None = None) -> WorkingGroup:
    """Creates or updates a working group and, when ``members`` is given
    (``[{"name", "title", "organization", "role"}]`` in order), replaces its members.
    A second group for the same program, office and level is refused on ``level``."""
    group.name = group.name or default_name(group)
    try:
        group.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict({})
        if NON_FIELD_ERRORS in errors:
            # The only table-wide rule is one group per program, office and level.
            errors.setdefault("level", []).extend(errors.pop(NON_FIELD_ERRORS))
        raise ValidationError(errors) from None
    group.save()
    if members is not None:
        group.members.all().delete()
        for order, row in enumerate(members):
            member = WorkingGroupMember(
                group=group,
                name=row["name"],
                title=row.get("title") or "",
                organization=row.get("organization"),
                role=row.get("role") or WorkingGroupMember.Role.MEMBER,
                order=order,
            )
            member.full_clean()
            member.save()
    return group


@transaction.atomic
def working_group_delete(*, user, group: WorkingGroup) -> None:
    """Deletes a group and its members (a group recorded by mistake)."""
    group.delete()


def leaders_first(members):
    return sorted(members, key=lambda m: (m.role != WorkingGroupMember.Role.LEADER, m.order, m.pk))
