"""/workspace/programs/<slug>/calendar/: a program's reporting calendar, when its
plans and year-end reviews of each school year are due. Staff who see the program
read it; department staff of an organizing Department set it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs.forms.programs import ReportingCalendarForm
from programs.models import Program, ReportingCalendar
from programs.services import deadlines
from programs.services.reviews import review_years
from programs.views.workspace.access import get_for_user, get_for_user_rw, staff_required
from schools.scope import scope_for
from twinning.lib.schoolyear import display_school_year, parse_school_year


def _years(program):
    """The years a calendar can be set for: those a review can be written for, and
    the next one (set before it starts)."""
    years = review_years(program)
    last = int(years[-1][:4]) + 1
    return sorted({*years, f"{last}-{last + 1}"}, reverse=True)


@require_safe
@staff_required
def calendar(request, slug):
    program = get_for_user(request, Program.objects.all(), slug=slug)
    found = deadlines.calendars_by_year(program)
    rows = [(year, found.get(year)) for year in _years(program)]
    can_edit = Program.objects.editable_by(request.user).filter(pk=program.pk).exists()
    context = {
        "program": program,
        "rows": rows,
        "can_edit": can_edit,
        "can_see_reports": scope_for(request.user).can_see_reports,
    }
    return render(request, "workspace/programs/calendar.html", context)


@staff_required
def calendar_edit(request, slug, year):
    program = get_for_user_rw(request, Program.objects.all(), slug=slug)
    try:
        year = parse_school_year(year)
    except ValidationError:
        raise Http404("bad school year") from None
    if year not in _years(program):
        raise Http404("no calendar for this school year")
    instance = deadlines.calendar_of(program, year) or ReportingCalendar(program=program, school_year=year)
    form = ReportingCalendarForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            deadlines.calendar_save(calendar=form.instance, user=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The reporting calendar of %(year)s is saved.") % {"year": display_school_year(year)},
            )
            return redirect("workspace:program-calendar", slug=program.slug)
    context = {"program": program, "year": year, "form": form, "calendar": instance if instance.pk else None}
    return render(request, "workspace/programs/calendar_form.html", context)
