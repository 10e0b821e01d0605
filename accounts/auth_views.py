"""Password reset and change, on Django's views with the portal's pages and e-mail.

The reset form answers the same whether or not the address belongs to an account
(nothing tells a stranger who has one). Setting a new password through the e-mailed
link also lifts a login lockout of that account (django-axes), so a locked-out user
is never stuck.
"""

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schools.models import Membership
from schools.scope import scope_for
from twinning.lib.text import nfc


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


class LoginView(auth_views.LoginView):
    """After login, staff land on their workspace ("Việc của tôi"); a visitor without a
    role in the portal on the home page. A safe ``next`` still wins."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if scope_for(self.request.user).is_staff_member:
            return reverse("workspace:home")
        return super().get_default_redirect_url()


class ProfileForm(forms.ModelForm):
    """A user's own name and e-mail. Vietnamese names are written whole ("Nguyễn Thị
    Hoa"), so the name is one field, kept in ``first_name``."""

    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)

    class Meta:
        model = get_user_model()
        fields = ("email",)
        labels = {"email": gettext_lazy("E-mail")}
        help_texts = {"email": gettext_lazy("Where the portal sends password resets and what waits for you.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].initial = self.instance.get_full_name()
        self.order_fields(["full_name", "email"])

    def clean_full_name(self):
        return nfc(self.cleaned_data["full_name"])

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        users = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if email and users.exists():
            raise forms.ValidationError(
                _("Another account already uses this e-mail address. Ask your Department to check the accounts.")
            )
        return email

    def save(self, commit=True):
        user = super().save(commit=False)
        user.first_name, user.last_name = self.cleaned_data["full_name"], ""
        if commit:
            user.save(update_fields=["first_name", "last_name", "email"])
        return user


@login_required
def profile(request):
    """“My account”: the user's roles in the portal (current, to come and ended, with
    their dates), their name and e-mail, and the way to change their password."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name and e-mail were saved."))
        return redirect("profile")
    memberships = (
        Membership.objects.filter(user=request.user)
        .current_first()
        .select_related("organization")
        .order_by("state", "organization__name", "-valid_from")
    )
    return render(request, "registration/profile.html", {"form": form, "memberships": memberships})
