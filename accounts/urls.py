from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_new, name="invitation-new"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation-withdraw"),
    path("invitation/<str:token>/", views.invitation_accept, name="accept"),
]
