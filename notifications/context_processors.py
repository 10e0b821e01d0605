from notifications.models import Notification


def unread(request):
    """The count in the header of every page a logged-in user opens (one indexed count;
    public pages cached for visitors are never rendered for a logged-in user)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(user=user, read_at__isnull=True).count()}
