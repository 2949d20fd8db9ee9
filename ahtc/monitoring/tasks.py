"""Scheduled work of the committees (jobs/schedule.py SCHEDULE)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, task

from ahtc.jobs.models import Job
from ahtc.jobs.running import report_progress, run_job

logger = logging.getLogger(__name__)


def _escalate(job: Job) -> int:
    from ahtc.monitoring.committees import actions_escalate

    report_progress(0.1, _("Finding overdue committee action items"))
    count = actions_escalate(today=timezone.localdate())
    logger.info("committee action items escalated: %d", count)
    return count


@task(takes_context=True)
def action_items_escalate_job(context: TaskContext) -> int:
    return run_job(context, _escalate)


def _refresh(job: Job) -> int:
    from ahtc.monitoring.aggregates import refresh

    report_progress(0.1, _("Adding up the indicators month by month"))
    done = refresh()
    logger.info(
        "monitoring aggregates refreshed: %d indicators, %d rows, full=%s",
        done.indicators,
        done.rows,
        done.full,
    )
    return done.rows


@task(takes_context=True)
def monitoring_aggregates_refresh_job(context: TaskContext) -> int:
    return run_job(context, _refresh)
