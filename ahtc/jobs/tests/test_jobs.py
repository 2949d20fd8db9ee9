"""Background jobs: queued, run by the worker loop (in this process), progress
seen while running, safe failures, requeue after a crash, the schedule."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ahtc.accounts.models import User
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.jobs import schedule
from ahtc.jobs.models import Job, JobKind, JobStatus, ScheduleRun, WorkerHeartbeat
from ahtc.jobs.services import job_enqueue, jobs_requeue_abandoned
from ahtc.jobs.tests import tasks
from ahtc.jobs.tests.helpers import run_jobs

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def midway() -> Iterator[list[Callable[[Job], None]]]:
    tasks.MIDWAY.clear()
    yield tasks.MIDWAY
    tasks.MIDWAY.clear()


def _enqueue(task: Any, user: User | None = None) -> Job:
    return job_enqueue(task=task, kind=JobKind.CASE_LIST_EXPORT, requested_by=user)


def _result(job: Job) -> DBTaskResult[Any, Any]:
    return DBTaskResult.objects.get(id=job.pk)


# --- queued, run, done ------------------------------------------------------------------


def test_job_runs_to_done_and_its_page_shows_progress_while_it_runs(
    login_as: LoginAs, officer_mbdin: User, midway: list[Callable[[Job], None]]
) -> None:
    client = login_as(officer_mbdin)
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    assert job.status == JobStatus.READY
    seen: dict[str, Any] = {}

    def look(running: Job) -> None:
        # Progress is written outside any transaction of the task's own.
        seen["in_transaction"] = connection.in_atomic_block
        page = client.get(running.get_absolute_url())
        seen["page"] = page.content.decode()

    midway.append(look)
    assert run_jobs() == 1
    assert 'http-equiv="refresh"' in seen["page"]
    assert "50%" in seen["page"]
    assert "Writing the file" in seen["page"]
    assert "running" in seen["page"]
    job.refresh_from_db()
    assert (job.status, job.fraction, job.message) == (JobStatus.SUCCESSFUL, 1.0, "Done.")
    assert _result(job).status == TaskResultStatus.SUCCESSFUL
    done = client.get(job.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert "100%" in done


def test_failure_shows_a_safe_error_and_keeps_the_data_out_of_the_database(
    login_as: LoginAs, officer_mbdin: User, caplog: pytest.LogCaptureFixture
) -> None:
    job = _enqueue(tasks.failing_job, officer_mbdin)
    with caplog.at_level(logging.ERROR, logger="ahtc.jobs"):
        run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The job failed.")
    page = login_as(officer_mbdin).get(job.get_absolute_url()).content.decode()
    assert "What went wrong:" in page
    assert "The job failed." in page
    assert tasks.SECRET not in page
    result = _result(job)
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "ahtc.jobs.running.JobFailedError"
    assert tasks.SECRET not in result.traceback
    assert tasks.SECRET not in job.error
    # The full story is in the worker's log, for the administrator.
    assert tasks.SECRET in caplog.text


def test_worker_runs_waiting_jobs_oldest_first_and_stops_at_max_tasks(
    officer_mbdin: User,
) -> None:
    first = _enqueue(tasks.halfway_job, officer_mbdin)
    second = _enqueue(tasks.halfway_job, officer_mbdin)
    assert run_jobs(max_tasks=1) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (JobStatus.SUCCESSFUL, JobStatus.READY)


# --- crash and requeue ------------------------------------------------------------------


def _claimed_by(job: Job, worker_id: str) -> None:
    row = _result(job)
    row.claim(worker_id)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1)


def _heartbeat(worker_id: str, seconds_ago: int) -> None:
    WorkerHeartbeat.objects.create(
        worker_id=worker_id, seen_at=timezone.now() - dt.timedelta(seconds=seconds_ago)
    )


def test_task_of_a_worker_that_stopped_beating_is_requeued_and_then_runs(
    officer_mbdin: User,
) -> None:
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    _claimed_by(job, "crashed")
    _heartbeat("crashed", seconds_ago=3600)
    assert run_jobs() == 1  # the worker requeues on start, then runs it
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCESSFUL
    assert _result(job).worker_ids == ["crashed", "test-worker"]
    assert not WorkerHeartbeat.objects.filter(pk="crashed").exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="jobs.job", reason__startswith="requeued 1"
    ).exists()


def test_task_of_a_worker_without_any_heartbeat_is_requeued(officer_mbdin: User) -> None:
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    _claimed_by(job, "rebooted")  # one worker, the machine rebooted: no row at all
    assert jobs_requeue_abandoned(worker_id="new").requeued == 1
    job.refresh_from_db()
    assert job.status == JobStatus.READY
    assert job.message == "Waiting again: the worker stopped."
    assert _result(job).status == TaskResultStatus.READY


def test_task_of_another_live_worker_is_left_alone(officer_mbdin: User) -> None:
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    _claimed_by(job, "busy")
    _heartbeat("busy", seconds_ago=5)
    assert jobs_requeue_abandoned(worker_id="new").requeued == 0
    assert run_jobs() == 0
    assert _result(job).status == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.filter(pk="busy").exists()


def test_task_interrupted_too_often_fails_instead_of_looping(
    officer_mbdin: User, settings: Any
) -> None:
    settings.AHTC_JOBS_MAX_ATTEMPTS = 2
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    _claimed_by(job, "first")
    _claimed_by(job, "second")
    assert jobs_requeue_abandoned(worker_id="new").failed == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "The job was interrupted too many times and was stopped."
    assert _result(job).status == TaskResultStatus.FAILED


def test_a_clean_stop_removes_the_workers_heartbeat(officer_mbdin: User) -> None:
    run_jobs(worker_id="tidy")
    assert not WorkerHeartbeat.objects.filter(pk="tidy").exists()


# --- the schedule -------------------------------------------------------------------------

NOON = dt.datetime(2026, 3, 2, 12, 30, tzinfo=dt.UTC)


def test_slots_are_aligned_to_the_interval() -> None:
    assert schedule.slot_of(NOON, schedule.DAY) == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    assert schedule.slot_of(NOON, schedule.HOUR) == dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


def test_each_due_job_starts_once_per_slot_whichever_worker_asks() -> None:
    first = schedule.schedules_run_due(worker_id="a", now=NOON)
    second = schedule.schedules_run_due(worker_id="b", now=NOON)
    assert sorted(j.kind for j in first) == sorted(e.kind for e in schedule.SCHEDULE)
    assert second == []
    assert {r.taken_by for r in ScheduleRun.objects.all()} == {"a"}
    assert Job.objects.count() == len(schedule.SCHEDULE)


def test_two_workers_racing_for_one_slot_take_it_once() -> None:
    """The race itself: both read the slot as free, then both try to take it."""
    entry = schedule.SCHEDULE[0]
    ScheduleRun.objects.create(name=entry.name)
    slot = schedule.slot_of(NOON, entry.every)
    taken = [
        schedule.schedule_take(entry=entry, slot=slot, worker_id=w, now=NOON) for w in ("a", "b")
    ]
    assert taken[0] is not None
    assert taken[1] is None
    assert Job.objects.filter(kind=entry.kind).count() == 1


def test_scheduled_jobs_run_and_hourly_ones_come_back_next_hour(settings: Any) -> None:
    schedule.schedules_run_due(worker_id="a", now=NOON)
    assert run_jobs() == len(schedule.SCHEDULE)
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.SUCCESSFUL}
    later = schedule.schedules_run_due(worker_id="a", now=NOON + dt.timedelta(hours=1))
    hourly = {e.kind for e in schedule.SCHEDULE if e.every == schedule.HOUR}
    assert {j.kind for j in later} == hourly


def test_a_scheduled_job_still_waiting_is_not_started_again() -> None:
    schedule.schedules_run_due(worker_id="a", now=NOON)
    later = schedule.schedules_run_due(worker_id="a", now=NOON + dt.timedelta(hours=1))
    assert later == []  # last hour's runs have not finished


def test_the_worker_starts_due_jobs_itself() -> None:
    assert run_jobs(schedule=True) == len(schedule.SCHEDULE)
    assert ScheduleRun.objects.filter(taken_by="test-worker").count() == len(schedule.SCHEDULE)


def test_retention_purge_runs_from_the_schedule_with_apply(monkeypatch: Any) -> None:
    calls: list[bool] = []

    def fake_purge(**kwargs: Any) -> Any:
        from collections import Counter

        calls.append(kwargs.get("apply", False))
        return Counter({"labour": 2}), []

    monkeypatch.setattr("ahtc.portal.retention.reports_purge", fake_purge)
    entry = next(e for e in schedule.SCHEDULE if e.kind == JobKind.REPORTS_PURGE)
    schedule.schedules_run_due(worker_id="a", now=NOON, schedule=[entry])
    run_jobs()
    assert calls == [True]
    job = Job.objects.get(kind=JobKind.REPORTS_PURGE)
    assert _result(job).return_value == {"labour": 2}


def test_refusals_of_job_pages_are_audited(
    login_as: LoginAs, officer_mbdin: User, officer_gujrat: User
) -> None:
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    assert login_as(officer_gujrat).get(job.get_absolute_url()).status_code == 404
    assert AuditEvent.objects.filter(
        actor=officer_gujrat,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        object_type="jobs.job",
        object_id=job.pk,
    ).exists()


def test_job_list_shows_my_jobs_newest_first_and_not_others(
    login_as: LoginAs, officer_mbdin: User, officer_gujrat: User
) -> None:
    mine_old = _enqueue(tasks.halfway_job, officer_mbdin)
    Job.objects.filter(pk=mine_old.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    mine_new = job_enqueue(
        task=tasks.halfway_job, kind=JobKind.VICTIM_LIST_EXPORT, requested_by=officer_mbdin
    )
    theirs = _enqueue(tasks.halfway_job, officer_gujrat)
    page = login_as(officer_mbdin).get(reverse("cell:jobs:list")).content.decode()
    assert page.index(mine_new.pk) < page.index(mine_old.pk)
    assert theirs.pk not in page
    assert 'http-equiv="refresh"' in page  # something is still waiting


def test_anonymous_is_sent_to_sign_in(client: Client, officer_mbdin: User) -> None:
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    for url in (reverse("cell:jobs:list"), job.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"] or "login" in response["Location"]


def test_job_page_works_in_urdu(login_as: LoginAs, officer_mbdin: User) -> None:
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    job = _enqueue(tasks.halfway_job, officer_mbdin)
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()
    assert '<progress id="job-progress-' in page.content.decode()
