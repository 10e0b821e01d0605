"""A user's notifications (the header's count links here), their e-mail choice, and
the Department's log of e-mails sent to the people of its province."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications.models import Delivery, EmailChoice, Notification
from schools.models import Membership
from schools.scope import scope_for

PAGE_SIZE = 30


class EmailChoiceForm(forms.ModelForm):
    class Meta:
        model = EmailChoice
        fields = ("mode",)
        widgets = {"mode": forms.RadioSelect}


@login_required
def notification_list(request):
    # Nothing is written by opening the page: the choice is saved when the form is.
    choice = EmailChoice.objects.filter(user=request.user).first() or EmailChoice(user=request.user)
    form = EmailChoiceForm(request.POST or None, instance=choice)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail choice was saved."))
        return redirect("notifications:list")
    page = Paginator(Notification.objects.filter(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "notifications/list.html", {"page": page, "form": form, "has_email": bool(request.user.email)}
    )


@login_required
def notification_open(request, pk):
    """Marks the notification read and goes to the page where the thing is done."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=pk).update(read_at=timezone.now())
    link = notification.link
    if not link.startswith("/") or not url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        link = "/"
    return redirect(link)


@require_POST
@login_required
def notification_read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    messages.info(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@login_required
def delivery_list(request):
    """E-mails sent to the people with a role in the Department's province (all of them
    for a superuser): when, to whom, what, and what failed."""
    scope = scope_for(request.user)
    if not (scope.is_superuser or scope.is_department):
        raise PermissionDenied("department staff only")
    deliveries = Delivery.objects.select_related("user")
    if not scope.is_superuser:
        provinces = scope.province_ids
        # People holding a role in the province today (an ended role no longer counts).
        held = Membership.objects.current().filter(organization__province_id__in=provinces)
        deliveries = deliveries.filter(user__in=held.values("user_id"))
    status = request.GET.get("status", "")
    if status in Delivery.Status.values:
        deliveries = deliveries.filter(status=status)
    elif status == "problem":
        deliveries = deliveries.filter(~Q(status=Delivery.Status.SENT))
    page = Paginator(deliveries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "notifications/deliveries.html", {"page": page, "status": status, "statuses": Delivery.Status.choices}
    )
