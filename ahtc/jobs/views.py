"""My jobs: the list, one job's progress, and the download of its file.

A job is its requester's alone: anyone else gets 404 (audited as refused when
the job exists), whatever their roles.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ahtc.accounts.decorators import staff_view
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_export_refused, audit_record
from ahtc.core.models import AuditAction
from ahtc.jobs.exports import download_refusal
from ahtc.jobs.files import export_read
from ahtc.jobs.models import Job

# How often a page showing an unfinished job reloads itself (no JavaScript).
REFRESH_SECONDS = 2


def job_for_user(user: Any, pk: str, *, action: AuditAction = AuditAction.VIEW) -> Job:
    return get_scoped_or_404(user=user, scoped=Job.objects.of_user(user), pk=pk, action=action)


@require_GET
@staff_view()
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.of_user(request.user).order_by("-created_at")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    running = any(not job.is_finished for job in page)
    context = {"page": page, "refresh": REFRESH_SECONDS if running else 0}
    return render(request, "jobs/list.html", context)


@require_GET
@staff_view()
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = job_for_user(request.user, pk)
    context = {
        "job": job,
        "refresh": 0 if job.is_finished else REFRESH_SECONDS,
        "downloadable": job.file_available(),
    }
    return render(request, "jobs/detail.html", context)


@require_GET
@staff_view()
def job_download(request: HttpRequest, pk: str) -> HttpResponse:
    job = job_for_user(request.user, pk, action=AuditAction.EXPORT)
    if not job.file_available():
        messages.error(request, _("This file is no longer available. Ask for the export again."))
        return redirect(job)
    why = download_refusal(job, request.user)
    if why:
        audit_export_refused(
            actor=request.user,
            kind=f"download of {job.get_kind_display()}",
            why=why,
            object_type=job.audit_object_type,
        )
        return render(request, "cell/forbidden.html", status=403)
    data = export_read(job.file_name)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type=job.audit_object_type,
        reason=job.audit_reason,
    )
    response = HttpResponse(data, content_type=job.content_type)
    response["Content-Disposition"] = f'attachment; filename="{job.download_name}"'
    response["Cache-Control"] = "no-store"
    return response
