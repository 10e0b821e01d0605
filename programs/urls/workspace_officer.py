"""Workspace routes of district officers and department staff (issue 3): pairs,
memoranda, working groups, units and the spreadsheet import."""

from django.urls import path

from programs.views.workspace import groups, imports, memoranda, organizations, pairs, programs

urlpatterns = [
    path("programs/", programs.program_list, name="program-list"),
    path("programs/new/", programs.program_new, name="program-new"),
    path("programs/<slug:slug>/edit/", programs.program_edit, name="program-edit"),
    path("pairs/", pairs.pair_list, name="pair-list"),
    path("pairs/new/", pairs.pair_new, name="pair-new"),
    path("pairs/<str:code>/", pairs.pair_detail, name="pair-detail"),
    path("pairs/<str:code>/edit/", pairs.pair_edit, name="pair-edit"),
    path("pairs/<str:code>/accept/", pairs.pair_accept, name="pair-accept"),
    path("pairs/<str:code>/decline/", pairs.pair_decline, name="pair-decline"),
    path("pairs/<str:code>/withdraw/", pairs.pair_withdraw, name="pair-withdraw"),
    path("pairs/<str:code>/end/", pairs.pair_end, name="pair-end"),
    path("memoranda/", memoranda.memorandum_list, name="memorandum-list"),
    path("memoranda/new/", memoranda.memorandum_new, name="memorandum-new"),
    path("memoranda/<str:code>/", memoranda.memorandum_detail, name="memorandum-detail"),
    path("memoranda/<str:code>/edit/", memoranda.memorandum_edit, name="memorandum-edit"),
    path("memoranda/<str:code>/scan/", memoranda.memorandum_scan, name="memorandum-scan"),
    path("groups/", groups.group_list, name="group-list"),
    path("groups/new/", groups.group_new, name="group-new"),
    path("groups/<int:pk>/", groups.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", groups.group_edit, name="group-edit"),
    path("groups/<int:pk>/delete/", groups.group_delete, name="group-delete"),
    path("units/", organizations.unit_list, name="unit-list"),
    path("units/search/", organizations.unit_search, name="unit-search"),
    path("units/new/", organizations.unit_new, name="unit-new"),
    path("units/<slug:slug>/", organizations.unit_detail, name="unit-detail"),
    path("units/<slug:slug>/edit/", organizations.unit_edit, name="unit-edit"),
    path("units/<slug:slug>/change/", organizations.unit_change, name="unit-change"),
    path("units/<slug:slug>/cease/", organizations.unit_cease, name="unit-cease"),
    path("areas/search/", organizations.area_search, name="area-search"),
    path("import/", imports.import_start, name="import-start"),
    path("import/template/<str:kind>/", imports.import_template, name="import-template"),
    path("import/<str:token>/", imports.import_preview, name="import-preview"),
    path("import/<str:token>/confirm/", imports.import_confirm, name="import-confirm"),
    path("import/<str:token>/cancel/", imports.import_cancel, name="import-cancel"),
]
