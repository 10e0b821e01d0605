"""Keeping what a web worker loaded out of the garbage collector's sight.

A worker's long-lived objects (Django, the apps, compiled templates, URL patterns,
translation catalogues) are walked by every full collection of the garbage collector,
and a report request makes enough objects to set one off now and then: measured at
national scale (``benchmarks/national.py --only pages``), one request in ten or twenty
to a report page took 17–31 ms longer, the p95 of the cached printable report 66 ms
against a p50 of 38 ms.

``twinning/wsgi.py`` therefore freezes (``gc.freeze()``) what is loaded at start, and
``FreezeWhenWarm`` freezes again once the worker has served a number of requests, when
the templates and the rest loaded by the first visits of each page are in memory for
good. It runs after the response has been sent (Django's ``request_finished``), so no
visitor waits for the collection that comes before it (about 8 ms, once per step).
Side by side over the same pages, the p95 of the cached printable report went from
66–72 to 43 ms, and of the dashboard from 49–51 to 33 ms.
"""

from __future__ import annotations

import gc
import itertools

# Requests after which a worker freezes again: early, once the common pages are
# loaded, then once more when the rarer ones have been visited too.
FREEZE_AFTER_REQUESTS = (50, 500, 5000)


def freeze_long_lived() -> None:
    """Collects what is garbage now, then moves every object left out of the reach of
    later collections (they still free what their reference counts release)."""
    gc.collect()
    gc.freeze()


class FreezeWhenWarm:
    """A ``request_finished`` receiver that calls ``freeze_long_lived`` after the
    ``after``-th requests of the process."""

    def __init__(self, after=FREEZE_AFTER_REQUESTS):
        self.after = frozenset(after)
        self.served = itertools.count(1)  # next() is atomic under the GIL: threads share it

    def __call__(self, sender=None, **kwargs) -> None:
        if next(self.served) in self.after:
            freeze_long_lived()
