"""The WSGI application (gunicorn twinning.wsgi)."""

import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

from twinning.lib.warm import FreezeWhenWarm, freeze_long_lived

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twinning.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the
# process: moved out of the garbage collector's sight, a full collection during a
# request walks only what requests made; what the first requests load (templates…)
# is frozen in turn once the worker is warm (twinning/lib/warm.py).
freeze_long_lived()
request_finished.connect(FreezeWhenWarm(), weak=False, dispatch_uid="twinning.freeze_when_warm")
