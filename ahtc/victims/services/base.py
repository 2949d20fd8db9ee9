"""What every stage of victim protection shares: the rule error and the audit line."""

from __future__ import annotations

from typing import Any

from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.victims.models import ProtectionRecord


class VictimError(RuleError):
    """A rule of victim protection was broken; the message is for the user."""


def _audit(
    by: Any, record: ProtectionRecord, reason: str, action: AuditAction = AuditAction.UPDATE
) -> None:
    audit_record(
        actor=by, action=action, target=record, area_code=record.district.code, reason=reason
    )
