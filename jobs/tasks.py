"""The one task the queue knows: run a recorded job (see jobs.runner)."""

from django_tasks import task

from jobs.runner import execute


@task()
def run_job(job_id: str) -> None:
    execute(job_id)
