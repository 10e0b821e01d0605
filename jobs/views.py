"""/exports/: the user's background jobs — a list, each job's page with its progress
bar, the progress as JSON for that bar, and the download of the file. A user sees
only their own jobs (anyone else's is a 404)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jobs.models import Job

LIST_SIZE = 50


def _own(request, pk):
    return get_object_or_404(Job.objects.owned_by(request.user), pk=pk)


@require_safe
@login_required
def job_list(request):
    jobs = Job.objects.owned_by(request.user).filter(expires_at__gt=timezone.now())[:LIST_SIZE]
    return render(request, "jobs/list.html", {"jobs": jobs, "job_days": settings.JOB_FILE_DAYS})


@require_safe
@login_required
@never_cache
def job_detail(request, pk):
    return render(request, "jobs/detail.html", {"job": _own(request, pk)})


@require_safe
@login_required
@never_cache
def job_status(request, pk):
    job = _own(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_display": job.get_status_display(),
            "percent": job.percent,
            "done": job.done,
            "total": job.total,
            "stage": job.stage,
            "finished": job.is_finished,
        }
    )


@require_safe
@login_required
@never_cache
def download(request, pk):
    job = _own(request, pk)
    if not job.downloadable:
        raise Http404("no file")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("file gone") from None
    return FileResponse(handle, as_attachment=True, filename=job.filename)
