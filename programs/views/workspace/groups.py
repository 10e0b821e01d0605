"""Working groups (tổ công tác) in the workspace: per program, office and school
level, with their members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from programs.forms.working_groups import MemberFormSet, WorkingGroupForm
from programs.models import Program, WorkingGroup, WorkingGroupMember
from programs.services.working_groups import leaders_first, working_group_delete, working_group_save
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from programs.views.workspace.rows import edit_with_rows
from schools.models import Organization
from schools.scope import scope_for
from twinning.lib.collation import vi_key, vi_order
from twinning.once import submitted_once


def _groups(user):
    members = WorkingGroupMember.objects.select_related("organization")
    return (
        WorkingGroup.objects.visible_to(user)
        .select_related("program", "office")
        .prefetch_related(Prefetch("members", queryset=members))
    )


@require_safe
@staff_required
def group_list(request):
    """Groups by program and office, each with its leader and member count; the
    user's own offices first. A fixed number of queries."""
    scope = scope_for(request.user)
    groups = _groups(request.user)
    program = None
    programs = Program.objects.filter(pk__in=WorkingGroup.objects.visible_to(request.user).values("program_id"))
    program_id = request.GET.get("program", "")
    if program_id.isdigit():
        program = programs.filter(pk=program_id).first()
        if program is not None:
            groups = groups.filter(program=program)
    level_order = {value: index for index, (value, _label) in enumerate(Organization.Level.choices, start=1)}
    sections = {}
    for group in sorted(
        groups,
        key=lambda g: (
            -g.program.start_year,
            vi_key(g.program.name),
            vi_key(g.office.name),
            level_order.get(g.level, 0),
        ),
    ):
        group.sorted_members = leaders_first(group.members.all())
        key = (group.program, group.office)
        sections.setdefault(key, []).append(group)
    own = scope.officer_ids | scope.department_ids
    ordered = sorted(sections.items(), key=lambda item: (item[0][1].pk not in own,))
    context = {
        "sections": [(program_, office, items) for (program_, office), items in ordered],
        "programs": programs.order_by("-start_year", vi_order("name")),
        "program": program,
        "can_create": scope.can_manage_pairs,
    }
    return render(request, "workspace/groups/list.html", context)


def _edit(request, group):
    form, formset, saved = edit_with_rows(
        request,
        instance=group,
        form_class=WorkingGroupForm,
        formset_class=MemberFormSet,
        prefix="members",
        save=lambda obj, data, rows: working_group_save(user=request.user, group=obj, members=rows),
    )
    if saved:
        messages.success(request, _("The working group is saved."))
        return redirect("workspace:group-detail", pk=saved.pk)
    context = {"form": form, "formset": formset, "group": group if group.pk else None}
    return render(request, "workspace/groups/form.html", context)


@staff_required
@submitted_once
def group_new(request):
    if not scope_for(request.user).can_manage_pairs:
        raise PermissionDenied("officers and department staff only")
    return _edit(request, WorkingGroup())


@require_safe
@staff_required
def group_detail(request, pk):
    group = get_for_user(request, _groups(request.user), pk=pk)
    context = {
        "group": group,
        "members": leaders_first(group.members.all()),
        "can_edit": WorkingGroup.objects.editable_by(request.user).filter(pk=group.pk).exists(),
    }
    return render(request, "workspace/groups/detail.html", context)


@staff_required
def group_edit(request, pk):
    return _edit(request, get_for_user_rw(request, WorkingGroup.objects.select_related("program", "office"), pk=pk))


@require_POST
@staff_required
def group_delete(request, pk):
    group = get_for_user_rw(request, WorkingGroup.objects.all(), pk=pk)
    name = group.name
    working_group_delete(user=request.user, group=group)
    messages.success(request, _("The working group “%(name)s” is deleted.") % {"name": name})
    return redirect("workspace:group-list")
