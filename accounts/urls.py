from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_new, name="invitation-new"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation-resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation-withdraw"),
    path("invitations/mine/", views.my_invitations, name="my-invitations"),
    path("invitations/mine/<int:pk>/accept/", views.my_invitation_accept, name="my-invitation-accept"),
    path("invitation/<str:token>/", views.invitation_accept, name="accept"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.membership_detail, name="membership"),
    path("people/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("people/<int:pk>/change/", views.membership_change, name="membership-change"),
    path("acting/", views.acting, name="acting"),
]
