"""The audit of identities shown to the agency that investigates or prosecutes.

The case page, its summary PDF and the API show the same parties
(`selectors.partner_identified_parties`); each showing is one audit row per
person, whichever way it left.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ahtc.cases.models import Case, Party
from ahtc.core.audit import audit_records
from ahtc.core.models import AuditAction


def partner_identities_shown(
    *, actor: Any, case: Case, parties: Iterable[Party], via: str = ""
) -> None:
    """One audit row per person whose identity a partner agency is shown
    (written together: a fixed number of queries however many are shown)."""
    suffix = f" ({via})" if via else ""
    by_reason: dict[str, list[tuple[Any, str]]] = {}
    for party in parties:
        if party.person is None:
            continue
        shown_as = "suspect" if party.is_suspect else "victim, with identity consent"
        reason = f"identity shown to a partner agency in case {case.reference} as {shown_as}"
        by_reason.setdefault(reason + suffix, []).append((party.person, case.district.code))
    for reason, targets in by_reason.items():
        audit_records(
            actor=actor,
            action=AuditAction.VIEW if not via else AuditAction.EXPORT,
            targets=targets,
            reason=reason,
        )
