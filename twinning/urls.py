from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from accounts import auth_views as account
from twinning import views

admin.site.site_header = _("Kết nghĩa – administration")
admin.site.site_title = _("Kết nghĩa")
admin.site.index_title = _("Data of the twinning portal")

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
]

# Vietnamese pages have no prefix (/pairs/…), English ones live under /en/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accounts/login/", account.LoginView.as_view(), name="login"),
    path("accounts/profile/", account.profile, name="profile"),
    path("accounts/", include("accounts.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", account.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/password_change/", account.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("workspace/outcomes/", include("outcomes.urls")),
    path("workspace/", include("programs.urls.workspace")),
    path("reports/", include("programs.reports.urls")),
    path("exports/", include("jobs.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("needs.urls")),
    path("", include("programs.urls.public")),
    prefix_default_language=False,
)

handler404 = "twinning.views.page_not_found"
handler500 = "twinning.views.server_error"
handler403 = "twinning.views.permission_denied"
