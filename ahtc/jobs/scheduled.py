"""The tasks the worker runs on a schedule (registry: jobs/schedule.py).

Each is a job like any other (progress, safe errors, visible to operators in
the admin); they act as the system, so their audit rows have no actor. The
apps they call are imported inside the work: jobs sits below them.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, task

from ahtc.jobs.models import Job
from ahtc.jobs.running import report_progress, run_job
from ahtc.jobs.services import jobs_cleanup

logger = logging.getLogger(__name__)


def _sign_in_records_purge(job: Job) -> int:
    from ahtc.accounts.services import sign_in_records_purge

    deleted = sign_in_records_purge()
    logger.info("sign-in records purge: %d deleted", deleted)
    return deleted


def _reports_purge(job: Job) -> dict[str, int]:
    from ahtc.portal.retention import reports_purge

    purged, _listed = reports_purge(apply=True)
    logger.info("retention purge: %d reports", sum(purged.values()))
    return dict(purged)


def _files_reconcile(job: Job) -> dict[str, int]:
    """Report only: lists what `ahtc manage reconcile_files` would act on."""
    from ahtc.portal.reconcile import files_reconcile

    found = files_reconcile(delete_orphans=False)
    counts = {"missing": len(found.missing), "unnamed": len(found.orphans)}
    if found.missing:
        logger.warning("files check: %(missing)d missing, %(unnamed)d unnamed", counts)
        report_progress(1.0, _("Some records have lost their files: run ahtc reconcile_files."))
    else:
        logger.info("files check: %(missing)d missing, %(unnamed)d unnamed", counts)
    return counts


def _jobs_cleanup(job: Job) -> dict[str, int]:
    done = jobs_cleanup()
    return {"files": done.files, "jobs": done.jobs}


@task(takes_context=True)
def sign_in_records_purge_job(context: TaskContext) -> int:
    return run_job(context, _sign_in_records_purge)


@task(takes_context=True)
def reports_purge_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, _reports_purge)


@task(takes_context=True)
def files_reconcile_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, _files_reconcile)


@task(takes_context=True)
def jobs_cleanup_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, _jobs_cleanup)
