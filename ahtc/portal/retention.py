"""The retention purge: closed reports past their category's keeping period go.

What is never purged, whatever its age:
- open reports (new, triaged);
- a report that is the source of a case (`cases.Case.tip`), or that raised a
  re-trafficking alert on a victim's record: the case file and the alert
  need their evidence for as long as they exist;
- a report whose closure date is unknown.

The keeping period counts from the report's closure (`Tip.closed_at`), not
from its arrival. The purge is a dry run unless asked to delete; either way it
lists what goes and why. The audit log records how many were purged per
category, never what they said.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.portal.files import delete_stored
from ahtc.portal.models import RetentionRule, Tip, TipAttachment, TipCategory, TipStatus

OPEN = [TipStatus.NEW, TipStatus.TRIAGED]


@dataclass(frozen=True)
class Expired:
    """One report that the purge takes, and why (shown in the dry run)."""

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}"

    pk: int
    category: str
    status: str
    closed_on: dt.date
    keep_days: int


def _keep_days() -> dict[str, int]:
    rules = dict(RetentionRule.objects.values_list("category", "keep_days"))
    default = settings.AHTC_REPORT_RETENTION_DAYS
    return {category: rules.get(category, default) for category in TipCategory.values}


def _still_needed(tips: QuerySet[Tip]) -> QuerySet[Tip]:
    """Reports that a case or a victim's alert rests on. Looked up through the
    app registry: the portal does not import the apps that build on it."""
    case = apps.get_model("cases", "Case")
    alert = apps.get_model("victims", "ReappearanceAlert")
    return tips.filter(
        Exists(case.objects.filter(tip=OuterRef("pk")))
        | Exists(alert.objects.filter(tip=OuterRef("pk")))
    )


def expired_reports(now: dt.datetime | None = None) -> QuerySet[Tip]:
    now = now or timezone.now()
    expired = Tip.objects.none()
    for category, days in _keep_days().items():
        expired |= Tip.objects.filter(
            category=category, closed_at__lt=now - dt.timedelta(days=days)
        )
    expired = expired.exclude(status__in=OPEN).exclude(closed_at=None)
    return expired.exclude(pk__in=_still_needed(Tip.objects.all()).values("pk"))


def _explain(tips: QuerySet[Tip]) -> list[Expired]:
    keep = _keep_days()
    rows = tips.order_by("closed_at").values_list("pk", "category", "status", "closed_at")
    return [
        Expired(pk, category, status, timezone.localdate(closed), keep[category])
        for pk, category, status, closed in rows.iterator(chunk_size=1000)
        if closed is not None
    ]


def _delete_files(names: list[str]) -> None:
    for name in names:
        delete_stored(name)


@transaction.atomic
def reports_purge(
    *, now: dt.datetime | None = None, apply: bool = False
) -> tuple[Counter[str], list[Expired]]:
    """What the purge takes (per category, and each report with its reason);
    deleted only when `apply` is true."""
    expired = expired_reports(now)
    listed = _explain(expired)
    purged: Counter[str] = Counter(item.category for item in listed)
    if not apply:
        return purged, listed
    names = list(
        TipAttachment.objects.filter(tip__in=expired).values_list("stored_name", flat=True)
    )
    Tip.objects.filter(pk__in=[item.pk for item in listed]).delete()
    # Files go after the rows: a failed delete leaves rows, never rows without files.
    transaction.on_commit(functools.partial(_delete_files, names))
    summary = ", ".join(f"{cat} {n}" for cat, n in sorted(purged.items())) or "none"
    audit_record(
        actor=None,
        action=AuditAction.DELETE,
        object_type="portal.tip",
        reason=f"retention purge: {sum(purged.values())} reports ({summary})",
    )
    return purged, listed
