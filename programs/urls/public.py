from django.urls import path

from programs.views import directory, public

app_name = "public"

urlpatterns = [
    path("pairs/", directory.directory, name="directory"),
    path("programs/<slug:slug>/", public.program_detail, name="program-detail"),
    path("pairs/<str:code>/", public.pair_detail, name="pair-detail"),
    path("units/<slug:slug>/", public.organization_detail, name="organization-detail"),
    path("activities/<str:code>/", public.activity_detail, name="activity-detail"),
    path("photos/<str:code>/<str:size>/", public.photo, name="photo"),
]
