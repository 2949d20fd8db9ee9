"""Writes of the monitoring app: the catalogue's sync and targets (audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.monitoring.indicators import CATALOGUE, IndicatorDef
from ahtc.monitoring.models import Indicator, Target
from ahtc.monitoring.periods import Period, PeriodError, period_parse


class MonitoringError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SyncReport:
    created: int
    updated: int


def _fields(entry: IndicatorDef) -> dict[str, Any]:
    with translation.override("en"):
        english = {
            "name_en": str(entry.name),
            "numerator": str(entry.numerator),
            "denominator": str(entry.denominator),
            "pending_note": str(entry.pending_note),
        }
    with translation.override("ur"):
        urdu = str(entry.name)
    return {
        **english,
        # Only a real translation: an untranslated name stays empty, so screens fall back.
        "name_ur": urdu if urdu != english["name_en"] else "",
        "measure": entry.measure,
        "disaggregations": list(entry.disaggregations),
        "period_kinds": list(entry.period_kinds),
        "higher_is_better": entry.higher_is_better,
        "status": entry.status,
        "module": entry.module,
    }


@transaction.atomic
def indicators_sync(*, model: Any = Indicator) -> SyncReport:
    """Make the catalogue table match indicators.CATALOGUE (idempotent).

    Rows of codes no longer in the catalogue are kept (targets may point at
    them); `model` lets migration 0002 pass its historical model."""
    created = updated = 0
    for entry in CATALOGUE:
        values = _fields(entry)
        row = model.objects.filter(code=entry.code).first()
        if row is None:
            model.objects.create(code=entry.code, **values)
            created += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            model.objects.filter(pk=row.pk).update(**values)
            updated += 1
    return SyncReport(created, updated)


def indicators_ensure() -> None:
    """Load the catalogue if the table is empty (a flushed test database)."""
    if not Indicator.objects.exists():
        indicators_sync()


def _period(code: str) -> Period:
    try:
        return period_parse(code)
    except PeriodError as exc:
        raise MonitoringError(str(exc)) from exc


@transaction.atomic
def target_set(
    *,
    indicator_code: str,
    area: Area,
    period: str,
    value: Decimal,
    by: User | None,
    baseline_value: Decimal | None = None,
    baseline_date: dt.date | None = None,
    baseline_period: str = "",
    note: str = "",
) -> Target:
    """Set (or change) the target of one indicator in one area and period."""
    indicators_ensure()
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        raise MonitoringError(_("There is no indicator %(code)s.") % {"code": indicator_code})
    parsed = _period(period)
    if parsed.kind not in indicator.period_kinds:
        raise MonitoringError(_("This indicator is not reported for that type of period."))
    if value < 0 or (baseline_value is not None and baseline_value < 0):
        raise MonitoringError(_("A target or baseline cannot be negative."))
    if baseline_period:
        baseline_period = _period(baseline_period).code
    target, created = Target.objects.update_or_create(
        indicator=indicator,
        area=area,
        period=parsed.code,
        defaults={
            "period_kind": parsed.kind,
            "value": value,
            "baseline_value": baseline_value,
            "baseline_date": baseline_date,
            "baseline_period": baseline_period,
            "note": note,
            "set_by": by,
        },
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        target=target,
        area_code=area.code,
        reason=f"target {indicator.code} {parsed.code}: {value}",
    )
    return target
