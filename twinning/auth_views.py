"""Password reset and change, on Django's views with the portal's pages and e-mail.

The reset form answers the same whether or not the address belongs to an account
(nothing tells a stranger who has one). Setting a new password through the e-mailed
link also lifts a login lockout of that account (django-axes), so a locked-out user
is never stuck.
"""

from axes.utils import reset as axes_reset
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("password_change_done")
