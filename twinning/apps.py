from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "twinning"
    verbose_name = _("Kết nghĩa portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out
        from django.db.backends.signals import connection_created

        from twinning import checks  # noqa: F401  (registers the system checks)
        from twinning.lib.collation import register_sqlite_collation
        from twinning.middleware import WorkingDaySessionMiddleware

        user_logged_out.connect(say_logged_out, dispatch_uid="twinning.say_logged_out")
        user_logged_in.connect(WorkingDaySessionMiddleware.start, dispatch_uid="twinning.session_start")
        # SQLite learns the Vietnamese collation PostgreSQL has built in (lib/collation.py).
        connection_created.connect(register_sqlite_collation, dispatch_uid="twinning.sqlite_collation")
        # ``field__any_of=[ids]``: one array parameter on PostgreSQL (lib/lookups.py).
        from twinning.lib import lookups

        lookups.register()


def say_logged_out(sender, request, user, **kwargs):
    """Tell the person the log-out worked (on a shared school computer this matters)."""
    from django.contrib import messages

    if request is not None and user is not None:
        messages.info(request, _("You have logged out. See you soon!"), fail_silently=True)
