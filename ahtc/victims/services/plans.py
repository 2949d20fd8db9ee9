"""Needs, the support plan and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.victims.models import (
    FollowUp,
    NeedsAssessment,
    PlanStatus,
    ProtectionRecord,
    ServiceType,
    SupportPlanItem,
)
from ahtc.victims.services.base import VictimError, _audit


@transaction.atomic
def needs_assess(
    *,
    record: ProtectionRecord,
    by: Any,
    needs: Iterable[str],
    note: str = "",
    plan_within_days: int = 90,
    assessed_on: dt.date | None = None,
) -> tuple[NeedsAssessment, list[SupportPlanItem]]:
    """Record the needs; each need without an open plan item gets one."""
    chosen = sorted(set(needs))
    if not chosen:
        raise VictimError(_("Choose at least one need."))
    if set(chosen) - set(ServiceType.values):
        raise VictimError(_("Unknown need."))
    assessment = NeedsAssessment.objects.create(record=record, needs=chosen, note=note, by=by)
    planned = set(
        record.plan.exclude(status__in=[PlanStatus.DONE, PlanStatus.DROPPED]).values_list(
            "service", flat=True
        )
    )
    due = (assessed_on or timezone.localdate()) + dt.timedelta(days=plan_within_days)
    items = [
        SupportPlanItem.objects.create(
            record=record,
            service=need,
            # No text of its own: the page names the service in the reader's
            # language (a stored label stayed in the language of the moment).
            objective="",
            planned_end=due,
            added_by=by,
        )
        for need in chosen
        if need not in planned
    ]
    _audit(by, record, f"needs assessed ({len(chosen)} needs, {len(items)} new plan items)")
    return assessment, items


@transaction.atomic
def plan_item_add(
    *, record: ProtectionRecord, by: Any, service: str, objective: str, planned_end: dt.date
) -> SupportPlanItem:
    item = SupportPlanItem.objects.create(
        record=record, service=service, objective=objective, planned_end=planned_end, added_by=by
    )
    _audit(by, record, f"support plan item added ({service})")
    return item


@transaction.atomic
def plan_item_set_status(*, item: SupportPlanItem, by: Any, status: str) -> SupportPlanItem:
    if item.status in {PlanStatus.DONE, PlanStatus.DROPPED}:
        raise VictimError(_("This item is finished; add a new one instead."))
    item.status = status
    item.actual_end = (
        timezone.localdate() if status in {PlanStatus.DONE, PlanStatus.DROPPED} else None
    )
    item.save(update_fields=["status", "actual_end", "updated_at"])
    _audit(by, item.record, f"support plan item {status}")
    return item


@transaction.atomic
def follow_up_done(*, follow_up: FollowUp, by: Any, done_on: dt.date, outcome: str) -> FollowUp:
    if follow_up.done_on is not None:
        raise VictimError(_("This follow-up is already recorded."))
    if done_on > timezone.localdate():
        raise VictimError(_("The date is in the future."))
    if not outcome.strip():
        raise VictimError(_("Say how the person is doing."))
    follow_up.done_on = done_on
    follow_up.outcome = outcome.strip()[:500]
    follow_up.by = by
    follow_up.save()
    _audit(by, follow_up.record, "follow-up recorded")
    return follow_up
