"""Programs in the workspace: the movements and phases the user takes part in, and
the pages where department staff register a new phase and correct one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs.forms.programs import ProgramForm
from programs.models import Pair, Program
from programs.views.workspace.access import get_for_user_rw, staff_required
from schools.scope import scope_for
from twinning.lib.collation import vi_order
from twinning.once import submitted_once


@require_safe
@staff_required
def program_list(request):
    """The programs the user sees, newest phase first, with their pairs by status
    (those the user sees). Three queries."""
    programs = list(
        Program.objects.visible_to(request.user)
        .prefetch_related("organizers")
        .select_related("previous_phase")
        .order_by("-start_year", vi_order("name"))
    )
    counts = {}
    rows = (
        Pair.objects.visible_to(request.user)
        .filter(program__in=programs)
        .order_by()
        .values("program_id")
        .annotate(
            active=Count("pk", filter=Q(status=Pair.Status.ACTIVE)),
            proposed=Count("pk", filter=Q(status=Pair.Status.PROPOSED)),
            ended=Count("pk", filter=Q(status=Pair.Status.ENDED)),
        )
    )
    for row in rows:
        counts[row["program_id"]] = row
    editable = set(Program.objects.editable_by(request.user).values_list("pk", flat=True))
    for program in programs:
        program.pair_counts = counts.get(program.pk, {})
        program.can_edit = program.pk in editable
    context = {"programs": programs, "can_create": scope_for(request.user).can_restructure}
    return render(request, "workspace/programs/list.html", context)


@staff_required
@submitted_once
def program_new(request):
    """Department staff register a program's phase."""
    if not scope_for(request.user).can_restructure:
        raise PermissionDenied("department staff only")
    form = ProgramForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            program = form.save()
        messages.success(request, _("The program “%(program)s” is registered.") % {"program": program})
        return redirect("workspace:program-list")
    return render(request, "workspace/programs/form.html", {"form": form, "program": None})


@staff_required
def program_edit(request, slug):
    """Department staff of an organizing Department correct a program."""
    program = get_for_user_rw(request, Program.objects.all(), slug=slug)
    form = ProgramForm(request.POST or None, instance=program, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            program = form.save()
        messages.success(request, _("The program “%(program)s” is saved.") % {"program": program})
        return redirect("workspace:program-list")
    return render(request, "workspace/programs/form.html", {"form": form, "program": program})
