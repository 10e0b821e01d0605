"""/workspace/: each user's home, made of one section per role they hold.

A section is ``(template name, context)``; the role modules build them:
``home_officer`` (department staff, office officers, union officers) and
``home_principal`` (principals and teachers).
"""

from django.shortcuts import render

from programs.views.workspace import home_officer, home_principal
from programs.views.workspace.access import staff_required
from schools.scope import scope_for


@staff_required
def home(request):
    scope = scope_for(request.user)
    sections = []
    if scope.is_superuser or scope.is_department:
        sections.append(home_officer.department_section(request, scope))
    if scope.is_officer:
        sections.append(home_officer.officer_section(request, scope))
    if scope.is_principal or scope.is_teacher:
        sections.append(home_principal.principal_section(request, scope))
    if scope.is_union:
        sections.append(home_officer.union_section(request, scope))
    return render(request, "workspace/home.html", {"sections": sections})
