from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Twinning programs")

    def ready(self):
        # Registers the kinds of background job this app runs (jobs.runner).
        from programs import jobs  # noqa: F401

        # Keeps each pair's figures per year current on every write (programs.summaries).
        from programs.summaries import connect_signals

        connect_signals()

        # Raises the version of the reports' kept figures on every write (programs.reports.cache).
        from programs.reports import cache

        cache.connect_signals()

        # Keeps the pairs' copies of their sides' provinces (Pair.mentor_province).
        from programs.models import Pair
        from schools.models import provinces_changed

        provinces_changed.connect(Pair.refresh_side_provinces, dispatch_uid="pair-side-provinces")
