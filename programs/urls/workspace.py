"""/workspace/: the staff workspace. Each area keeps its routes in its own module."""

from django.urls import path

from programs.urls.workspace_officer import urlpatterns as officer_urls
from programs.urls.workspace_principal import urlpatterns as principal_urls
from programs.urls.workspace_reviews import urlpatterns as review_urls
from programs.views.workspace.home import home

app_name = "workspace"

urlpatterns = [
    path("", home, name="home"),
    *officer_urls,
    *principal_urls,
    *review_urls,
]
