from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwinningConfig(AppConfig):
    name = "twinning"
    verbose_name = _("Kết nghĩa portal")

    def ready(self):
        from twinning import checks  # noqa: F401  (registers the system checks)
