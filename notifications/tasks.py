"""The e-mails of notifications, sent by the background worker."""

from django.contrib.auth import get_user_model
from django_tasks import task

from notifications.models import Notification
from notifications.services import deliver


@task()
def send_notification(notification_id: int) -> None:
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or notification.read_at or notification.emailed_at:
        return  # seen in the portal first, or sent already
    deliver(notification.user, [notification])


@task()
def retry_delivery(user_id: int, notification_ids: list[int], digest: bool, attempt: int) -> None:
    user = get_user_model().objects.filter(pk=user_id).first()
    pending = list(Notification.objects.filter(pk__in=notification_ids, read_at__isnull=True, emailed_at__isnull=True))
    if user is not None:
        deliver(user, pending, digest=digest, attempt=attempt)
