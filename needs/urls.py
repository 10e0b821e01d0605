from django.urls import path

from needs import views

app_name = "needs"

urlpatterns = [
    path("needs/", views.public_board, name="public-board"),
    path("workspace/needs/", views.need_list, name="need-list"),
    path("workspace/needs/new/", views.need_new, name="need-new"),
    path("workspace/needs/<str:code>/", views.need_detail, name="need-detail"),
    path("workspace/needs/<str:code>/edit/", views.need_edit, name="need-edit"),
    path("workspace/needs/<str:code>/pledge/", views.pledge_new, name="need-pledge"),
    path("workspace/needs/<str:code>/close/", views.need_close, name="need-close"),
    path("workspace/needs/<str:code>/reopen/", views.need_reopen, name="need-reopen"),
    path("workspace/needs/<str:code>/open-to-others/", views.need_open_to_others, name="need-open-to-others"),
    path("workspace/pledges/<str:code>/receive/", views.pledge_receive, name="pledge-receive"),
    path("workspace/pledges/<str:code>/withdraw/", views.pledge_withdraw, name="pledge-withdraw"),
]
