"""The retention purge: closed reports past their category's keeping period go.

Open reports (new, triaged) are never purged, whatever their age. The audit
log records how many were purged per category, never what they said.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.portal.files import delete_stored
from ahtc.portal.models import RetentionRule, Tip, TipAttachment, TipCategory, TipStatus

OPEN = [TipStatus.NEW, TipStatus.TRIAGED]


def _keep_days() -> dict[str, int]:
    rules = dict(RetentionRule.objects.values_list("category", "keep_days"))
    default = settings.AHTC_REPORT_RETENTION_DAYS
    return {category: rules.get(category, default) for category in TipCategory.values}


def _delete_files(names: list[str]) -> None:
    for name in names:
        delete_stored(name)


def expired_reports(now: dt.datetime | None = None) -> Counter[str]:
    now = now or timezone.now()
    counts: Counter[str] = Counter()
    for category, days in _keep_days().items():
        expired = Tip.objects.filter(
            category=category, created_at__lt=now - dt.timedelta(days=days)
        )
        counts[category] = expired.exclude(status__in=OPEN).count()
    return +counts


@transaction.atomic
def reports_purge(*, now: dt.datetime | None = None, dry_run: bool = False) -> Counter[str]:
    now = now or timezone.now()
    purged: Counter[str] = Counter()
    for category, days in _keep_days().items():
        expired = Tip.objects.filter(
            category=category, created_at__lt=now - dt.timedelta(days=days)
        ).exclude(status__in=OPEN)
        if dry_run:
            purged[category] = expired.count()
            continue
        names = list(
            TipAttachment.objects.filter(tip__in=expired).values_list("stored_name", flat=True)
        )
        purged[category] = expired.delete()[1].get("portal.Tip", 0)
        # Files go after the rows: a failed delete leaves rows, never rows without files.
        transaction.on_commit(functools.partial(_delete_files, names))
    purged = +purged
    if not dry_run:
        summary = ", ".join(f"{cat} {n}" for cat, n in sorted(purged.items())) or "none"
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            object_type="portal.tip",
            reason=f"retention purge: {sum(purged.values())} reports ({summary})",
        )
    return purged
