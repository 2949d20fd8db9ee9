"""Scheduled jobs, declared here in code and started by the workers (no cron).

Time is cut into slots of each job's interval, counted from 2000-01-01 00:00
UTC (a daily job's slot starts at 00:00 UTC, 05:00 in Pakistan). A worker
that finds a job's slot not yet taken takes it with a conditional UPDATE
(`slot < this slot`) and enqueues the job in the same transaction: when
several workers look at once, exactly one UPDATE changes the row, so each
slot runs once. A job whose previous run has not finished is not started
again until it has.

Issue 10 adds its jobs to SCHEDULE: notification digests (daily) and overdue
sweeps (hourly), each a task in its own app wrapped by `jobs.running.run_job`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ahtc.jobs.models import Job, JobKind, ScheduleRun
from ahtc.jobs.services import job_enqueue

EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Scheduled:
    name: str
    every: dt.timedelta
    task: str  # dotted path of a django-tasks task that runs through run_job
    kind: JobKind


SCHEDULE: list[Scheduled] = [
    Scheduled(
        "sign_in_records_purge",
        HOUR,
        "ahtc.jobs.scheduled.sign_in_records_purge_job",
        JobKind.SIGN_IN_RECORDS_PURGE,
    ),
    Scheduled("reports_purge", DAY, "ahtc.jobs.scheduled.reports_purge_job", JobKind.REPORTS_PURGE),
    Scheduled(
        "files_reconcile", DAY, "ahtc.jobs.scheduled.files_reconcile_job", JobKind.FILES_RECONCILE
    ),
    Scheduled("jobs_cleanup", HOUR, "ahtc.jobs.scheduled.jobs_cleanup_job", JobKind.JOBS_CLEANUP),
    # Issue 10: the daily digest of overdue work (ahtc/notifications).
    Scheduled(
        "notifications_digest",
        DAY,
        "ahtc.notifications.tasks.notifications_digest_job",
        JobKind.NOTIFICATIONS_DIGEST,
    ),
    # Issue 16: school dropouts of children withdrawn from work (ahtc/labour).
    Scheduled(
        "labour_school_alerts",
        DAY,
        "ahtc.labour.tasks.labour_school_alerts_job",
        JobKind.LABOUR_SCHOOL_ALERTS,
    ),
    # Issue 13: overdue action items of the district committees, told daily.
    Scheduled(
        "action_items_escalate",
        DAY,
        "ahtc.monitoring.tasks.action_items_escalate_job",
        JobKind.ACTION_ITEMS_ESCALATE,
    ),
    # Issue 13: indicator tallies month by month for the dashboard (the
    # recent months hourly, everything daily): monitoring/aggregates.py.
    Scheduled(
        "monitoring_aggregates_refresh",
        HOUR,
        "ahtc.monitoring.tasks.monitoring_aggregates_refresh_job",
        JobKind.MONITORING_AGGREGATES,
    ),
    # Issue 15: people across districts, new records hourly, everyone daily.
    Scheduled(
        "people_resolution",
        HOUR,
        "ahtc.people.tasks.people_resolution_job",
        JobKind.PEOPLE_RESOLUTION,
    ),
    Scheduled(
        "people_resolution_full",
        DAY,
        "ahtc.people.tasks.people_resolution_full_job",
        JobKind.PEOPLE_RESOLUTION,
    ),
    # Issue 14: travel agencies' notices past their deadline, told to the cell.
    Scheduled(
        "agency_notices_overdue",
        DAY,
        "ahtc.agencies.tasks.agency_notices_overdue_job",
        JobKind.AGENCY_NOTICES_OVERDUE,
    ),
]


def slot_of(now: dt.datetime, every: dt.timedelta) -> dt.datetime:
    return EPOCH + ((now - EPOCH) // every) * every


def _unfinished(run: ScheduleRun | None) -> bool:
    return run is not None and run.job is not None and not run.job.is_finished


@transaction.atomic
def schedule_take(
    *, entry: Scheduled, slot: dt.datetime, worker_id: str, now: dt.datetime
) -> Job | None:
    """Take `slot` for `entry` and enqueue its job, or None if another worker
    took it first."""
    taken = (
        ScheduleRun.objects.filter(name=entry.name)
        .filter(Q(slot__lt=slot) | Q(slot__isnull=True))
        .update(slot=slot, taken_by=worker_id, taken_at=now)
    )
    if not taken:
        return None
    job = job_enqueue(task=import_string(entry.task), kind=entry.kind)
    ScheduleRun.objects.filter(name=entry.name).update(job=job)
    return job


def schedules_run_due(
    *, worker_id: str, now: dt.datetime | None = None, schedule: list[Scheduled] | None = None
) -> list[Job]:
    """Enqueue the jobs whose current slot no worker has taken yet. Reads
    first, so a worker that finds nothing due writes nothing."""
    now = now or timezone.now()
    schedule = SCHEDULE if schedule is None else schedule
    rows = ScheduleRun.objects.filter(name__in=[e.name for e in schedule]).select_related("job")
    runs = {r.name: r for r in rows}
    missing = [ScheduleRun(name=e.name) for e in schedule if e.name not in runs]
    if missing:
        ScheduleRun.objects.bulk_create(missing, ignore_conflicts=True)
    started = []
    for entry in schedule:
        slot = slot_of(now, entry.every)
        run = runs.get(entry.name)
        if (run is not None and run.slot is not None and run.slot >= slot) or _unfinished(run):
            continue
        job = schedule_take(entry=entry, slot=slot, worker_id=worker_id, now=now)
        if job is not None:
            started.append(job)
    return started
