"""Inviting people to a role, the pending invitations, and the invitation link."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import AcceptForm, InvitationForm
from accounts.models import Invitation

RECENT = 50


def _require_inviter(request):
    if not services.can_invite(request.user):
        raise PermissionDenied("officers and department staff only")


@login_required
def invitation_list(request):
    _require_inviter(request)
    invitations = Invitation.objects.managed_by(request.user).select_related("organization", "invited_by")
    pending = list(invitations.pending())
    others = list(invitations.exclude(pk__in=[i.pk for i in pending])[:RECENT])
    return render(request, "accounts/invitations.html", {"pending": pending, "others": others, "now": timezone.now()})


@login_required
def invitation_new(request):
    _require_inviter(request)
    if request.method == "POST" and "find" in request.POST:
        # "Search": the same form again with the unit list narrowed, nothing sent yet.
        data = request.POST.copy()
        form = InvitationForm(data, user=request.user)
        form.errors.clear()
        return render(request, "accounts/invitation_new.html", {"form": form})
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invite(
                user=request.user,
                email=data["email"],
                full_name=data["full_name"],
                organization=data["organization"],
                role=data["role"],
                title=data["title"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("The invitation was sent to %(email)s. The link works for %(days)s days.")
                % {"email": invitation.email, "days": (invitation.expires_at - invitation.created_at).days},
            )
            return redirect("accounts:invitations")
    return render(request, "accounts/invitation_new.html", {"form": form})


def _act(request, pk, act, done):
    _require_inviter(request)
    try:
        act(user=request.user, invitation_id=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("accounts:invitations")


@require_POST
@login_required
def invitation_resend(request, pk):
    return _act(request, pk, services.resend, _("A new link was sent; the old one no longer works."))


@require_POST
@login_required
def invitation_withdraw(request, pk):
    return _act(request, pk, services.withdraw, _("The invitation was withdrawn; its link no longer works."))


@never_cache
def invitation_accept(request, token):
    """The link in the e-mail: set up an account, or add the role to one's account."""
    invitation = services.find(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    context = {"invitation": invitation}
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["other_account"] = True
            return render(request, "accounts/invitation_accept.html", context, status=403)
        if request.method == "POST":
            services.accept(invitation=invitation, user=user)
            messages.success(request, _("The role was added to your account."))
            return redirect("workspace:home")
        return render(request, "accounts/invitation_accept.html", context)
    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = reverse("login") + "?next=" + request.path
        return render(request, "accounts/invitation_accept.html", context)
    form = AcceptForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.accept(
                invitation=invitation, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("home")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account is ready. Welcome to Kết nghĩa."))
        return redirect("workspace:home")
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)
