"""Running a task as a job: which job is current, its progress, safe failures.

Every job task is a django-tasks task that takes the context and hands its
work to `run_job`:

    @task(takes_context=True)
    def case_list_export_job(context: TaskContext, *, query: str, fmt: str) -> int:
        return run_job(context, partial(_case_list, query=query, fmt=fmt))

The work calls `report_progress(fraction, message)` as it goes. A failure is
shown to the requester as one safe line; the traceback (which may quote data)
goes to the worker's log only, and the task result stores a `JobFailedError`
carrying the same safe line instead of the original exception.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext

from ahtc.jobs.models import Job
from ahtc.jobs.services import english, job_failed, job_progress, job_started, job_succeeded

logger = logging.getLogger(__name__)
T = TypeVar("T")

_current_job: ContextVar[str | None] = ContextVar("ahtc_current_job", default=None)

UNEXPECTED = _("The job failed. The worker's log has the details for the administrator.")
SHUT_DOWN = _("Stopped: the worker was shut down.")
DONE = _("Done.")


class JobRefusedError(Exception):
    """The work may not go on (a permission was withdrawn, the requester was
    disabled): `message` is safe to show to the requester."""

    def __init__(self, message: Any) -> None:
        super().__init__(english(message))
        self.message = message


class JobFailedError(Exception):
    """What the task result records in place of the original exception."""


def current_job_id() -> str | None:
    return _current_job.get()


def report_progress(fraction: float, message: Any) -> None:
    """Record how far the current job is (0..1) and what it does now, in a
    statement of its own: call it outside the task's own transactions, or
    the page sees it only when they commit. Outside a job it does nothing."""
    job_id = _current_job.get()
    if job_id is not None:
        job_progress(job_id, fraction, message)


def _job_for(context: TaskContext) -> Job:
    result_id = str(context.task_result.id)
    # The database backend commits task and job together; a backend outside
    # the database (RQ) may start the task a moment before the job row commits.
    for _attempt in range(40):
        job = Job.objects.filter(pk=result_id).first()
        if job is not None:
            return job
        time.sleep(0.25)
    raise JobFailedError(f"no job row for task {result_id}")


def run_job(context: TaskContext, body: Callable[[Job], T]) -> T:
    job = _job_for(context)
    token = _current_job.set(job.pk)
    job_started(job)
    try:
        with translation.override("en"):
            result = body(job)
    except JobRefusedError as exc:
        job_failed(job.pk, error=exc.message)
        raise JobFailedError(english(exc.message)) from None
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_failed(job.pk, error=UNEXPECTED)
        raise JobFailedError(english(UNEXPECTED)) from None
    except BaseException:
        job_failed(job.pk, error=SHUT_DOWN)
        raise
    finally:
        _current_job.reset(token)
    job_succeeded(job, message=DONE)
    return result
