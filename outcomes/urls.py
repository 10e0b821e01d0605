from django.urls import path

from outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("", views.index, name="index"),
    path("schools/<slug:slug>/", views.school_values, name="school-values"),
    path("import/", views.values_import, name="import"),
    path("import/template.xlsx", views.values_template, name="template"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/new/", views.indicator_edit, name="indicator-new"),
    path("indicators/<int:pk>/", views.indicator_edit, name="indicator-edit"),
    path("health/", views.health_rules, name="health-rules"),
    path("pairs/<str:code>/goals/new/", views.goal_edit, name="goal-new"),
    path("pairs/<str:code>/goals/<int:pk>/", views.goal_edit, name="goal-edit"),
    path("pairs/<str:code>/goals/<int:pk>/delete/", views.goal_delete, name="goal-delete"),
]
