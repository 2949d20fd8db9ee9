"""The background jobs that send notifications (docs/notifications.md)."""

from __future__ import annotations

import logging
from functools import partial

from django.utils.translation import gettext_lazy as _
from django_tasks import TaskContext, task

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.jobs.models import Job
from ahtc.jobs.running import report_progress, run_job
from ahtc.notifications.delivery import Sent, deliver, digest_send

logger = logging.getLogger(__name__)


def _audit_sent(sent: Sent, what: str) -> None:
    if sent.emails or sent.sms or sent.failed:
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="notifications.message",
            reason=f"{what}: {sent.emails} email(s), {sent.sms} SMS, {sent.failed} failed",
        )


def _deliver(job: Job, *, ids: list[int]) -> dict[str, int]:
    sent = deliver(ids)
    _audit_sent(sent, "notifications sent")
    return sent.as_dict()


def _digest(job: Job) -> dict[str, int]:
    sent = digest_send(lambda fraction: report_progress(fraction, _("Sending the daily digest")))
    _audit_sent(sent, "daily digest sent")
    logger.info("daily digest: %(emails)d emails, %(sms)d SMS, %(failed)d failed", sent.as_dict())
    return sent.as_dict()


@task(takes_context=True)
def notifications_deliver_job(context: TaskContext, *, ids: list[int]) -> dict[str, int]:
    return run_job(context, partial(_deliver, ids=ids))


@task(takes_context=True)
def notifications_digest_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, _digest)
