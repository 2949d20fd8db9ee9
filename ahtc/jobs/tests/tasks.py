"""Tasks for the job tests (tasks must live at module level)."""

from __future__ import annotations

from collections.abc import Callable

from django_tasks import TaskContext, task

from ahtc.jobs.models import Job
from ahtc.jobs.running import report_progress, run_job

# What the test wants done while the job is half-way (the page looked at).
MIDWAY: list[Callable[[Job], None]] = []
SECRET = "Zarmeena Qurbanistani"


def _halfway(job: Job) -> str:
    report_progress(0.5, "Writing the file")
    for look in MIDWAY:
        look(job)
    return "ok"


def _fails(job: Job) -> None:
    raise ValueError(f"cannot parse the name {SECRET}")


@task(takes_context=True)
def halfway_job(context: TaskContext) -> str:
    return run_job(context, _halfway)


@task(takes_context=True)
def failing_job(context: TaskContext) -> None:
    run_job(context, _fails)


def _wait_for(flag: str) -> str:
    import time
    from pathlib import Path

    report_progress(0.5, "Writing the file")
    for _tick in range(1200):  # at most a minute
        if Path(flag).exists():
            return "ok"
        time.sleep(0.05)
    raise TimeoutError("flag never came")


@task(takes_context=True)
def waiting_job(context: TaskContext, *, flag: str) -> str:
    """Half-way, waits until the test creates `flag` (another process looks meanwhile)."""
    return run_job(context, lambda job: _wait_for(flag))
