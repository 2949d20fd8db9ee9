"""The labour app's scheduled job: tell officers of school dropouts (daily)."""

from __future__ import annotations

from django_tasks import TaskContext, task

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.jobs.models import Job
from ahtc.jobs.running import run_job
from ahtc.labour.services import dropouts_alert


def _alert(job: Job) -> dict[str, int]:
    told = dropouts_alert()
    if told:
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="labour.attendancecheck",
            reason=f"dropout alerts raised: {told}",
        )
    return {"dropouts": told}


@task(takes_context=True)
def labour_school_alerts_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, _alert)
