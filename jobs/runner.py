"""Starting a job, reporting its progress, and running it in a worker.

An app registers what a kind of job does with ``@job_kind("kind")``: a function
``run(job, out, progress) -> Outcome`` that writes its file (if any) to the binary
stream ``out`` and calls ``progress(done, total, stage)`` as it goes. ``start`` records
the job and puts it on the queue (Django's tasks API); a worker (``manage.py
db_worker``) runs it through ``execute``. A job that fails for a reason the user can
act on raises ``JobFailed`` with that reason in their language; anything else is
logged and the user is told the job's number.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs.models import Job

logger = logging.getLogger(__name__)

RUNNERS: dict[str, Callable] = {}
# Progress is written to the database at most this often (seconds).
PROGRESS_EVERY = 0.5


class JobFailed(Exception):
    """A failure the user can understand and act on; its message is shown as is, and
    ``result`` (e.g. ``{"errors": [{"row", "column", "message"}]}``) beside it."""

    def __init__(self, message, result=None):
        super().__init__(message)
        self.result = result or {}


@dataclass
class Outcome:
    filename: str = ""
    result: dict = field(default_factory=dict)


def job_kind(kind: str):
    def register(run):
        RUNNERS[kind] = run
        return run

    return register


class Progress:
    """``progress(done, total=None, stage=None)``: records how far the job is, at most
    every PROGRESS_EVERY seconds (and always when ``force`` is given)."""

    def __init__(self, job: Job):
        self.job = job
        self.last = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str | None = None, force: bool = False):
        now = time.monotonic()
        if not force and stage is None and now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        changes = {"done": max(0, int(done))}
        if total is not None:
            changes["total"] = max(0, int(total))
        if stage is not None:
            changes["stage"] = stage[:200]
        Job.objects.filter(pk=self.job.pk).update(**changes)


def keep_until(now=None):
    return (now or timezone.now()) + datetime.timedelta(days=settings.JOB_FILE_DAYS)


def start(user, kind: str, title: str, params: dict | None = None) -> Job:
    """Records a job for ``user`` and queues it; returns the job (its page shows the
    progress). Expired jobs and their files are deleted on the way."""
    if kind not in RUNNERS:
        raise ValueError(f"unknown job kind {kind!r}")
    purge_expired()
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job.objects.create(user=user, kind=kind, title=title[:300], params=params, expires_at=keep_until())
    from jobs.tasks import run_job

    run_job.enqueue(str(job.pk))
    return job


def execute(job_id: str) -> None:
    """Runs the job once (a job already taken by another worker is left alone)."""
    taken = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not taken:
        return
    job = Job.objects.select_related("user").get(pk=job_id)
    run = RUNNERS.get(job.kind)
    with tempfile.TemporaryFile() as out, translation.override(job.params.get("language", settings.LANGUAGE_CODE)):
        try:
            if run is None:
                raise JobFailed(_("This kind of job is no longer available."))
            outcome = run(job, out, Progress(job)) or Outcome()
            job.refresh_from_db(fields=["done", "total", "stage"])
            if outcome.filename:
                out.seek(0, 2)
                job.size = out.tell()
                out.seek(0)
                job.filename = outcome.filename
                job.file.save(outcome.filename, File(out), save=False)
            job.result = outcome.result
            job.status = Job.Status.DONE
            job.done = max(job.done, job.total)
        except JobFailed as failure:
            job.status, job.error, job.result = Job.Status.FAILED, str(failure), failure.result
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job.status = Job.Status.FAILED
            job.error = _(
                "An unexpected error stopped the job; nothing was changed. The administrators can find it in "
                "the log under the number %(id)s."
            ) % {"id": job.pk}
        job.finished_at = timezone.now()
        job.save()


def purge_expired(now=None) -> int:
    """Deletes the jobs kept past their date, with their files. Returns how many."""
    count = 0
    for job in Job.objects.expired(now).only("pk", "file"):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
