"""`ahtc worker` and the worker beside `ahtc demo --serve`."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from ahtc import cli
from ahtc.jobs.models import Job, JobKind, JobStatus
from ahtc.jobs.services import job_enqueue
from ahtc.jobs.tests import tasks


@pytest.fixture
def _signals_restored() -> Iterator[None]:
    """The command installs its own SIGINT/SIGTERM handlers: put pytest's back."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {sig: signal.getsignal(sig) for sig in names}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.mark.django_db
@pytest.mark.usefixtures("_signals_restored")
def test_worker_command_runs_waiting_jobs_once() -> None:
    job = job_enqueue(task=tasks.halfway_job, kind=JobKind.CASE_LIST_EXPORT)
    call_command("worker", "--once", "--no-schedule", "--worker-id", "cmd", "-v", "0")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESSFUL


@pytest.mark.django_db
@pytest.mark.usefixtures("_signals_restored")
def test_worker_is_reached_through_the_ahtc_command(monkeypatch: Any) -> None:
    # A command run from the command line closes every connection when done,
    # which would end this test's transaction on PostgreSQL.
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    job = job_enqueue(task=tasks.halfway_job, kind=JobKind.CASE_LIST_EXPORT)
    assert cli.main(["worker", "--once", "--no-schedule", "-v", "0"]) == 0
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESSFUL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--max-tasks", "0"], "--max-tasks must be at least 1"),
        (["--interval", "-1"], "--interval must not be negative"),
    ],
)
def test_worker_refuses_bad_options(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("worker", *args)


@pytest.mark.django_db
def test_worker_refuses_a_backend_it_cannot_run(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with pytest.raises(CommandError, match="database backend"):
        call_command("worker", "--once")


@pytest.mark.django_db
@pytest.mark.usefixtures("_signals_restored")
def test_schedule_only_starts_due_jobs_on_any_backend(settings: Any) -> None:
    """With RQ the tasks run in RQ's workers; `--schedule-only` still starts them."""
    from ahtc.jobs.schedule import SCHEDULE

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("worker", "--schedule-only", "--once", "-v", "0")
    assert Job.objects.count() == len(SCHEDULE)
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.READY}


class FakeChild:
    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.terminated = False

    def wait(self, timeout: float | None = None) -> int:
        import subprocess

        if not self.terminated:
            raise subprocess.TimeoutExpired(self.argv, timeout or 0)
        return 0

    def terminate(self) -> None:
        self.terminated = True

    def kill(self) -> None:
        self.terminated = True


def test_demo_serve_runs_a_worker_beside_the_server_and_stops_it(monkeypatch: Any) -> None:
    started: list[FakeChild] = []

    def popen(argv: list[str], **kwargs: Any) -> FakeChild:
        started.append(FakeChild(argv))
        return started[-1]

    monkeypatch.setattr("subprocess.Popen", popen)
    with cli._worker_beside():
        assert [c.argv for c in started] == [[sys.executable, "-m", "ahtc.cli", "worker"]]
        assert not started[0].terminated
    assert started[0].terminated


def test_demo_serve_stops_the_worker_when_the_server_fails(monkeypatch: Any) -> None:
    started: list[FakeChild] = []

    def popen(argv: list[str], **kwargs: Any) -> FakeChild:
        started.append(FakeChild(argv))
        return started[-1]

    monkeypatch.setattr("subprocess.Popen", popen)
    with pytest.raises(RuntimeError), cli._worker_beside():
        raise RuntimeError("port in use")
    assert started[0].terminated
