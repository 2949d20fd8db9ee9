from __future__ import annotations

import logging
import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.crypto import get_random_string
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from ahtc.jobs.worker import JobWorker, schedule_only


def _worker_id() -> str:
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(8)}"


class Command(BaseCommand):
    help = (
        "Run background jobs: exports, purges and the scheduled jobs (docs/jobs.md). "
        "On start, jobs left running by a worker that stopped are queued again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="start the jobs that are due, run every waiting job, then exit",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="exit after running this many jobs"
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds to wait when no job is waiting (default 1)",
        )
        parser.add_argument(
            "--no-schedule", action="store_true", help="run queued jobs only, start none"
        )
        parser.add_argument(
            "--schedule-only",
            action="store_true",
            help="start due scheduled jobs only (with a backend that has its own workers)",
        )
        parser.add_argument("--worker-id", default="", help="unique per worker (default: made up)")

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = (options["worker_id"] or _worker_id())[:64]
        if options["schedule_only"]:
            self._log_to(options["verbosity"])
            schedule_only(worker_id=worker_id, once=options["once"])
            return
        if not isinstance(task_backends["default"], DatabaseBackend):
            raise CommandError(
                "ahtc worker runs the database backend's jobs; with another TASKS backend "
                "start that backend's own workers and `ahtc worker --schedule-only` "
                "(docs/jobs.md)"
            )
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError("--max-tasks must be at least 1")
        if options["interval"] < 0:
            raise CommandError("--interval must not be negative")
        self._log_to(options["verbosity"])
        worker = JobWorker(
            worker_id=worker_id,
            interval=options["interval"],
            max_tasks=options["max_tasks"],
            once=options["once"],
            schedule=not options["no_schedule"],
        )
        worker.configure_signals()
        worker.run()

    def _log_to(self, verbosity: int) -> None:
        level = {0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("ahtc.jobs", "django_tasks", "django_tasks_db"):
            logging.getLogger(name).setLevel(level)
