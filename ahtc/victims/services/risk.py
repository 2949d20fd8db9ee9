"""The risk of re-trafficking."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ahtc.victims.models import ProtectionRecord, RiskAssessment, RiskFactor, RiskLevel
from ahtc.victims.services.base import VictimError, _audit

# Factors that alone make the risk high.
SERIOUS = {RiskFactor.PREVIOUSLY_TRAFFICKED, RiskFactor.THREATS}


def risk_level(factors: set[str]) -> RiskLevel:
    if factors & SERIOUS or len(factors) >= 3:
        return RiskLevel.HIGH
    if factors:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


@transaction.atomic
def risk_assess(
    *, record: ProtectionRecord, by: Any, factors: Iterable[str], note: str = ""
) -> RiskAssessment:
    chosen = set(factors)
    unknown = chosen - set(RiskFactor.values)
    if unknown:
        raise VictimError(_("Unknown risk factor."))
    assessment = RiskAssessment.objects.create(
        record=record, factors=sorted(chosen), level=risk_level(chosen), note=note, by=by
    )
    _audit(by, record, f"re-trafficking risk assessed: {assessment.level}")
    return assessment
