"""The matching job (people/matches.py) as a background job with progress:
`incremental` every hour (people added since the last run against everyone),
`full` every day and on demand (`ahtc people resolve --full`)."""

from __future__ import annotations

from functools import partial

from django_tasks import TaskContext, task

from ahtc.jobs.models import Job
from ahtc.jobs.running import report_progress, run_job
from ahtc.people.models import ResolutionRun


def _run(job: Job, *, mode: str) -> dict[str, int]:
    from ahtc.people.matches import resolution_run

    run = resolution_run(mode=mode, job_id=job.pk, progress=report_progress)
    return {"people": run.people, "links": run.links_new, "candidates": run.candidates_new}


@task(takes_context=True)
def people_resolution_job(context: TaskContext, *, mode: str = "incremental") -> dict[str, int]:
    return run_job(context, partial(_run, mode=mode))


@task(takes_context=True)
def people_resolution_full_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, partial(_run, mode=ResolutionRun.Mode.FULL))
