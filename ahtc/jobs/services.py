"""Writes on jobs: enqueue, the states a running task passes through, result
files, requeueing the tasks of dead workers, and the cleanup.

Each state change is one short statement of its own (outside the task's work),
so a page polling the job sees it while the task still runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from ahtc.core.audit import audit_record, user_area_code
from ahtc.core.models import AuditAction
from ahtc.jobs.files import ExportFile, export_delete, export_store, exports_delete_older
from ahtc.jobs.models import Job, JobKind, JobStatus, WorkerHeartbeat

logger = logging.getLogger(__name__)


def english(text: Any) -> str:
    """Messages are stored in English and translated when shown."""
    with translation.override("en"):
        return str(text)[:300]


@transaction.atomic
def job_enqueue(
    *,
    task: Task[Any, Any],
    kind: JobKind,
    requested_by: Any = None,
    kwargs: dict[str, Any] | None = None,
) -> Job:
    """Queue `task` and its job row in one transaction: on the database
    backend no worker can take the task before the row exists."""
    result = task.enqueue(**(kwargs or {}))
    user = requested_by if getattr(requested_by, "pk", None) else None
    job = Job.objects.create(
        id=str(result.id), kind=kind, requested_by=user, area_code=user_area_code(user)
    )
    if user is not None:
        audit_record(actor=user, action=AuditAction.CREATE, target=job, reason=f"queued {kind}")
    return job


def job_started(job: Job) -> None:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, started_at=now, error="", attempts=job.attempts + 1
    )
    job.status, job.started_at, job.attempts = JobStatus.RUNNING, now, job.attempts + 1


def job_progress(job_id: str, fraction: float, message: Any) -> None:
    Job.objects.filter(pk=job_id).update(
        fraction=min(1.0, max(0.0, float(fraction))), message=english(message)[:200]
    )


def job_succeeded(job: Job, *, message: Any) -> None:
    """Done; `message` replaces the last progress message unless the work
    already reported its own closing one (at fraction 1)."""
    Job.objects.filter(pk=job.pk, fraction__lt=1).update(message=english(message)[:200])
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.SUCCESSFUL, fraction=1.0, finished_at=timezone.now()
    )


def job_failed(job_id: str, *, error: Any) -> None:
    """`error` is a safe one-line text for the page; the traceback, if any,
    went to the worker's log only."""
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED,
        error=english(error).splitlines()[0] if str(error) else "",
        finished_at=timezone.now(),
    )


def job_file_save(job: Job, export: ExportFile) -> None:
    """Store an export encrypted and record how its download is named and audited."""
    name = export_store(export.content)
    expires = timezone.now() + dt.timedelta(hours=settings.AHTC_JOBS_FILE_HOURS)
    Job.objects.filter(pk=job.pk).update(
        file_name=name,
        download_name=export.filename[:120],
        content_type=export.content_type[:100],
        audit_object_type=export.object_type[:100],
        audit_reason=export.reason,
        expires_at=expires,
    )
    job.file_name, job.expires_at = name, expires


# --- workers ------------------------------------------------------------------------------


def worker_beat(*, worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(pk=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, host=socket.gethostname()[:100], pid=os.getpid(), seen_at=now
        )


def worker_gone(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(pk=worker_id).delete()


@dataclass(frozen=True)
class Requeued:
    requeued: int
    failed: int


def _live_workers(*, worker_id: str, now: dt.datetime) -> set[str]:
    fresh = now - dt.timedelta(seconds=settings.AHTC_JOBS_WORKER_STALE_SECONDS)
    WorkerHeartbeat.objects.filter(seen_at__lt=fresh).exclude(pk=worker_id).delete()
    return set(WorkerHeartbeat.objects.exclude(pk=worker_id).values_list("pk", flat=True))


def _give_up(row: DBTaskResult[Any, Any]) -> None:
    from ahtc.jobs.running import JobFailedError

    error = english(_("The job was interrupted too many times and was stopped."))
    row.set_failed(JobFailedError(error))
    job_failed(str(row.id), error=error)


@transaction.atomic
def jobs_requeue_abandoned(*, worker_id: str, now: dt.datetime | None = None) -> Requeued:
    """Put back in the queue the tasks left RUNNING by workers that stopped
    beating (crash, reboot, kill -9). A task interrupted JOBS_MAX_ATTEMPTS
    times fails instead: it may be what brings the worker down."""
    now = now or timezone.now()
    alive = _live_workers(worker_id=worker_id, now=now)
    requeued = failed = 0
    for row in DBTaskResult.objects.running().select_for_update():
        if row.worker_ids and row.worker_ids[-1] in alive:
            continue
        if len(row.worker_ids) >= settings.AHTC_JOBS_MAX_ATTEMPTS:
            _give_up(row)
            failed += 1
            continue
        row.status = TaskResultStatus.READY
        row.started_at = None
        row.save(update_fields=["status", "started_at"])
        Job.objects.filter(pk=str(row.id)).update(
            status=JobStatus.READY, message=english(_("Waiting again: the worker stopped."))
        )
        requeued += 1
    if requeued or failed:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="jobs.job",
            reason=f"requeued {requeued} interrupted jobs, stopped {failed}",
        )
    return Requeued(requeued=requeued, failed=failed)


# --- cleanup ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cleanup:
    files: int
    jobs: int


@transaction.atomic
def jobs_cleanup(*, now: dt.datetime | None = None) -> Cleanup:
    """Expired export files go (JOBS_FILE_HOURS), and finished jobs with their
    task results after JOBS_KEEP_DAYS."""
    now = now or timezone.now()
    expired = Job.objects.filter(expires_at__lte=now).exclude(file_name="")
    for name in expired.values_list("file_name", flat=True):
        export_delete(name)
    files = expired.update(file_name="")
    files += exports_delete_older(hours=settings.AHTC_JOBS_FILE_HOURS, now=now)
    old = Job.objects.filter(
        status__in=[JobStatus.SUCCESSFUL, JobStatus.FAILED],
        created_at__lt=now - dt.timedelta(days=settings.AHTC_JOBS_KEEP_DAYS),
    )
    ids = list(old.values_list("pk", flat=True))
    DBTaskResult.objects.filter(id__in=ids).delete()
    jobs, _per_model = Job.objects.filter(pk__in=ids).delete()
    if files or jobs:
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="jobs.job",
            reason=f"deleted {files} expired export files and {jobs} old jobs",
        )
    return Cleanup(files=files, jobs=jobs)
