"""Inviting people to a role, the pending invitations, and the invitation link; the
people holding roles in the units one manages, whose roles can be ended or changed
from a date; the unit a user with several roles acts for."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import AcceptForm, ChangeRoleForm, EndRoleForm, InvitationForm, PeopleSearchForm
from accounts.models import Invitation
from schools.models import Membership
from schools.scope import scope_for
from twinning.lib.paging import CappedPaginator
from twinning.middleware import ACTING_SESSION_KEY

RECENT = 50
PEOPLE_PAGE_SIZE = 25


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


# --- The invitations waiting for the logged-in account -------------------------------


@never_cache
@login_required
def my_invitations(request):
    """The invitations for the e-mail of the logged-in account that are still
    pending, each with a button to accept it: where an invitation's notification
    leads (a notification never carries the e-mail's link)."""
    return render(request, "accounts/my_invitations.html", {"invitations": services.pending_for(request.user)})


@require_POST
@login_required
def my_invitation_accept(request, pk):
    """Accepts one of the logged-in account's own pending invitations; someone
    else's (another e-mail), or one used, withdrawn or expired, is a 404."""
    try:
        invitation = services.accept_own(user=request.user, invitation_id=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:my-invitations")
    messages.success(
        request,
        _("The role of %(role)s in %(unit)s was added to the account.")
        % {"role": invitation.get_role_display().lower(), "unit": invitation.organization.name},
    )
    return redirect("workspace:home")


# --- People: roles in the units one manages -----------------------------------------


@login_required
def people(request):
    """The roles held in the units the user manages, current ones first, searchable by
    name, e-mail or unit; each opens a page to end or change it."""
    _require_inviter(request)
    search = PeopleSearchForm(request.GET or None)
    text = search.cleaned_data["q"].strip() if search.is_valid() else ""
    page = CappedPaginator(services.people(request.user, text), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/people.html", {"search": search, "q": text, "page": page})


def _membership_page(request, membership, end_form=None, change_form=None, status=200):
    today = timezone.localdate()
    context = {
        "membership": membership,
        "state": membership.state_on(today),
        "end_form": end_form or EndRoleForm(initial={"last_day": today}),
        "change_form": change_form
        or ChangeRoleForm(
            user=request.user,
            initial={"organization": membership.organization_id, "first_day": today},
        ),
        # The person's other roles in the units the user manages: their history there.
        "others": services.people(request.user).filter(user=membership.user).exclude(pk=membership.pk),
    }
    return render(request, "accounts/membership.html", context, status=status)


def _membership(request, pk) -> Membership:
    """A role the user may end or change (404 otherwise: outside their units, or their own)."""
    _require_inviter(request)
    membership = (
        Membership.objects.filter(pk=pk, organization__in=services.invitable_units(request.user))
        .exclude(user=request.user)
        .select_related("user", "organization")
        .first()
    )
    if membership is None:
        raise Http404
    return membership


@login_required
def membership_detail(request, pk):
    return _membership_page(request, _membership(request, pk))


def _add_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@require_POST
@login_required
def membership_end(request, pk):
    membership = _membership(request, pk)
    form = EndRoleForm(request.POST)
    if form.is_valid():
        try:
            services.end_role(user=request.user, membership_id=pk, last_day=form.cleaned_data["last_day"])
        except Membership.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The role of %(person)s in %(unit)s ends on %(date)s.")
                % {
                    "person": membership.user.get_full_name() or membership.user.username,
                    "unit": membership.organization.name,
                    "date": form.cleaned_data["last_day"].strftime("%d/%m/%Y"),
                },
            )
            return redirect("accounts:people")
    return _membership_page(request, membership, end_form=form)


@require_POST
@login_required
def membership_change(request, pk):
    membership = _membership(request, pk)
    if "find" in request.POST:
        # "Search": the same form again with the unit list narrowed, nothing changed yet.
        form = ChangeRoleForm(request.POST, user=request.user)
        form.errors.clear()
        return _membership_page(request, membership, change_form=form)
    form = ChangeRoleForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            new = services.change_role(
                user=request.user,
                membership_id=pk,
                organization=data["organization"],
                role=data["role"],
                title=data["title"],
                first_day=data["first_day"],
            )
        except Membership.DoesNotExist:
            raise Http404 from None
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("From %(date)s %(person)s is %(role)s in %(unit)s; the earlier role stays in the history.")
                % {
                    "date": new.valid_from.strftime("%d/%m/%Y"),
                    "person": new.user.get_full_name() or new.user.username,
                    "role": new.get_role_display().lower(),
                    "unit": new.organization.name,
                },
            )
            return redirect("accounts:people")
    return _membership_page(request, membership, change_form=form)


# --- The unit a user with roles in several units acts for ---------------------------


@require_POST
@login_required
def acting(request):
    """Keeps in the session the unit the user acts for (one of their current roles), or
    forgets it ("all my units"). An unknown choice changes nothing."""
    choice = request.POST.get("membership", "")
    held = {str(h.membership_id): h for h in scope_for(request.user).held}
    if choice in held:
        request.session[ACTING_SESSION_KEY] = held[choice].membership_id
        messages.success(request, _("You now act for %(unit)s.") % {"unit": held[choice].organization_name})
    elif choice == "":
        request.session.pop(ACTING_SESSION_KEY, None)
        messages.success(request, _("You now act for all your units."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = reverse("workspace:home")
    return redirect(target)
