"""The worker behind `ahtc worker`: django-tasks-db's Worker (claiming a task
with a row lock, running it, recording the result, graceful SIGTERM), plus
a heartbeat, requeueing the tasks of dead workers, and the schedule."""

from __future__ import annotations

import logging
import signal
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.db.utils import OperationalError
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from ahtc.jobs.schedule import schedules_run_due
from ahtc.jobs.services import jobs_requeue_abandoned, worker_beat, worker_gone

logger = logging.getLogger(__name__)

SCHEDULE_CHECK_SECONDS = 10.0


class HeartbeatThread(threading.Thread):
    """Beats while the main thread is busy with a long task."""

    def __init__(self, worker_id: str, every: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    worker_beat(worker_id=self.worker_id)
                except DatabaseError:
                    logger.warning("heartbeat of %s not written", self.worker_id)
        finally:
            connection.close()


class JobWorker(Worker):
    def __init__(
        self,
        *,
        worker_id: str,
        interval: float = 1.0,
        max_tasks: int | None = None,
        once: bool = False,
        schedule: bool = True,
        heartbeat_thread: bool = True,
    ) -> None:
        super().__init__(
            queue_names=["*"],
            interval=interval,
            batch=once,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.schedule = schedule
        self.heartbeat_thread = heartbeat_thread
        self._next_schedule_check = 0.0
        self._next_requeue = 0.0

    def run(self) -> None:
        logger.info("worker %s starting", self.worker_id)
        beat = self._start_heartbeat()
        try:
            self._requeue()
            while self.running and not self._enough():
                self._refresh_connections()
                self.tick(beat_now=beat is None)
                if not self.run_one():
                    if self.batch:
                        break
                    if self.running:
                        time.sleep(self.interval)
        finally:
            if beat is not None:
                beat.stopped.set()
            worker_gone(worker_id=self.worker_id)
            logger.info("worker %s stopped after %d tasks", self.worker_id, self._run_tasks)

    def _start_heartbeat(self) -> HeartbeatThread | None:
        worker_beat(worker_id=self.worker_id)
        if not self.heartbeat_thread:
            return None
        beat = HeartbeatThread(self.worker_id, settings.AHTC_JOBS_HEARTBEAT_SECONDS)
        beat.start()
        return beat

    def _enough(self) -> bool:
        return self.max_tasks is not None and self._run_tasks >= self.max_tasks

    def _refresh_connections(self) -> None:
        # Inside a test's transaction the connection must stay as it is.
        if not connection.in_atomic_block:
            close_old_connections()

    def _requeue(self) -> None:
        done = jobs_requeue_abandoned(worker_id=self.worker_id)
        if done.requeued or done.failed:
            logger.warning("requeued %d interrupted tasks, failed %d", done.requeued, done.failed)
        self._next_requeue = time.monotonic() + settings.AHTC_JOBS_WORKER_STALE_SECONDS

    def tick(self, *, beat_now: bool) -> None:
        """Between tasks: heartbeat (without the thread), due schedules, and
        now and then the requeue check (a worker may have died meanwhile)."""
        if beat_now:
            worker_beat(worker_id=self.worker_id)
        now = time.monotonic()
        if self.schedule and now >= self._next_schedule_check:
            for job in schedules_run_due(worker_id=self.worker_id):
                logger.info("scheduled job %s (%s) queued", job.pk, job.kind)
            self._next_schedule_check = now + SCHEDULE_CHECK_SECONDS
        if now >= self._next_requeue:
            self._requeue()

    def run_one(self) -> bool:
        """Claim the next ready task (row-locked; exclusive on SQLite) and run it."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                task_result = None
        if task_result is None:
            return False
        self.run_task(task_result)
        return True


def schedule_only(*, worker_id: str, once: bool = False) -> None:
    """Start due scheduled jobs and nothing else: for a backend whose own
    workers run the tasks (RQ, docs/jobs.md). SIGINT/SIGTERM stop it."""
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_args: stop.set())
    while not stop.is_set():
        if not connection.in_atomic_block:
            close_old_connections()
        for job in schedules_run_due(worker_id=worker_id):
            logger.info("scheduled job %s (%s) queued", job.pk, job.kind)
        if once:
            return
        stop.wait(SCHEDULE_CHECK_SECONDS)
