"""Real worker processes against PostgreSQL (make test-postgres): progress seen
from another process while a job runs, a killed worker's job requeued by the
next, and two workers racing for the schedule running each job once.

SQLite's test database lives in this process's memory, so it cannot be shared.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ahtc.jobs.models import Job, JobKind, JobStatus, ScheduleRun, WorkerHeartbeat
from ahtc.jobs.schedule import SCHEDULE
from ahtc.jobs.services import job_enqueue
from ahtc.jobs.tests import tasks

pytestmark = pytest.mark.postgres

RACE = """
import datetime as dt, sys, time, django
from pathlib import Path
django.setup()
from ahtc.jobs.schedule import schedules_run_due
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.01)
now = dt.datetime(2026, 3, 2, 12, 30, tzinfo=dt.UTC)
print(len(schedules_run_due(worker_id=sys.argv[2], now=now)))
"""


@pytest.fixture(autouse=True)
def _postgres(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    settings.MEDIA_ROOT = tmp_path / "media"


def _env(tmp_path: Path) -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}"
    url += f":{db['PORT'] or 5432}/{db['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "ahtc.settings",
        "AHTC_MEDIA_ROOT": str(tmp_path / "media"),
        "JOBS_HEARTBEAT_SECONDS": "1",
    }


def _worker(tmp_path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-m", "ahtc.cli", "worker", *args],
        env=_env(tmp_path),
        cwd=Path(settings.BASE_DIR),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _until(check: Any, what: str) -> None:
    for _tick in range(1200):
        if check():
            return
        time.sleep(0.05)
    pytest.fail(f"never happened: {what}")


def test_progress_is_seen_from_another_process_while_the_job_runs(tmp_path: Path) -> None:
    flag = tmp_path / "go"
    job = job_enqueue(
        task=tasks.waiting_job, kind=JobKind.CASE_LIST_EXPORT, kwargs={"flag": str(flag)}
    )
    worker = _worker(tmp_path, "--once", "--no-schedule", "--worker-id", "w-progress")
    try:
        _until(lambda: Job.objects.get(pk=job.pk).fraction == 0.5, "progress at one half")
        running = Job.objects.get(pk=job.pk)
        assert (running.status, running.message) == (JobStatus.RUNNING, "Writing the file")
        assert WorkerHeartbeat.objects.filter(pk="w-progress").exists()
        flag.touch()
        out, _err = worker.communicate(timeout=120)
    finally:
        worker.kill()
    assert worker.returncode == 0, out
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCESSFUL


def test_a_killed_workers_job_is_requeued_by_the_next_worker(tmp_path: Path) -> None:
    flag = tmp_path / "go"
    job = job_enqueue(
        task=tasks.waiting_job, kind=JobKind.CASE_LIST_EXPORT, kwargs={"flag": str(flag)}
    )
    first = _worker(tmp_path, "--once", "--no-schedule", "--worker-id", "w-killed")
    try:
        _until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.RUNNING, "job running")
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate(timeout=60)
    assert DBTaskResult.objects.get(id=job.pk).status == TaskResultStatus.RUNNING
    # Time passes: the dead worker's heartbeat grows old.
    old = timezone.now() - dt.timedelta(hours=1)
    WorkerHeartbeat.objects.filter(pk="w-killed").update(seen_at=old)
    flag.touch()
    second = _worker(tmp_path, "--once", "--no-schedule", "--worker-id", "w-next")
    out, _err = second.communicate(timeout=120)
    assert second.returncode == 0, out
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(id=job.pk).worker_ids == ["w-killed", "w-next"]


def test_two_processes_racing_for_the_schedule_take_each_slot_once(tmp_path: Path) -> None:
    go = tmp_path / "go"
    children = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and code
            [sys.executable, "-c", RACE, str(go), name],
            env=_env(tmp_path),
            cwd=Path(settings.BASE_DIR),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    go.touch()
    taken = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        taken.append(int(out.strip()))
    assert sum(taken) == len(SCHEDULE)
    assert Job.objects.count() == len(SCHEDULE)
    assert ScheduleRun.objects.filter(slot__isnull=False).count() == len(SCHEDULE)


def test_two_worker_processes_run_each_scheduled_job_once(tmp_path: Path) -> None:
    workers = [_worker(tmp_path, "--once", "--worker-id", name) for name in ("w1", "w2")]
    for worker in workers:
        out, _err = worker.communicate(timeout=180)
        assert worker.returncode == 0, out
    assert Job.objects.count() == len(SCHEDULE)
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.SUCCESSFUL}
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == len(SCHEDULE)
    assert not WorkerHeartbeat.objects.exists()  # both stopped cleanly


def test_sigterm_lets_the_running_job_finish_then_stops(tmp_path: Path) -> None:
    flag = tmp_path / "go"
    job = job_enqueue(
        task=tasks.waiting_job, kind=JobKind.CASE_LIST_EXPORT, kwargs={"flag": str(flag)}
    )
    worker = _worker(tmp_path, "--no-schedule", "--worker-id", "w-term")
    try:
        _until(lambda: Job.objects.get(pk=job.pk).status == JobStatus.RUNNING, "job running")
        worker.send_signal(signal.SIGTERM)
        flag.touch()
        out, _err = worker.communicate(timeout=120)
    finally:
        worker.kill()
    assert worker.returncode == 0, out
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.filter(pk="w-term").exists()
