"""The case file: from a tip (or any other source) to a verdict.

Field names and value lists follow HTCDS v2 where one exists (roles in the
process, historic event types, case status), so exports interoperate.
Identities live in `people` (encrypted); a case holds parties that point at
people. Free text that may name someone (summary, notes) is encrypted too.
"""

from __future__ import annotations

from ahtc.cases.models.file import (
    CLOSED_STATUSES,
    NON_SUSPECT_ROLES,
    PROTECTED_ROLES,
    SUSPECT_ROLES,
    Case,
    CaseCounter,
    CaseEvent,
    ClassificationDecision,
    EventKind,
    LegalProvision,
    Origin,
    Party,
    PartyRole,
    Status,
    StatusChange,
)
from ahtc.cases.models.proceedings import (
    Arrest,
    ChallanItem,
    ChallanItemKind,
    Fir,
    Hearing,
    Verdict,
    VerdictOutcome,
)
from ahtc.cases.models.sharing import (
    CaseShare,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Handover,
    HandoverKind,
    HandoverStatus,
)
from ahtc.cases.models.work import (
    CustodyAction,
    CustodyEntry,
    Evidence,
    EvidenceKind,
    SavedSearch,
    Task,
)

__all__ = [
    "CLOSED_STATUSES",
    "NON_SUSPECT_ROLES",
    "PROTECTED_ROLES",
    "SUSPECT_ROLES",
    "Arrest",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "CaseShare",
    "ChallanItem",
    "ChallanItemKind",
    "ClassificationDecision",
    "Consent",
    "ConsentMethod",
    "ConsentPurpose",
    "CustodyAction",
    "CustodyEntry",
    "EventKind",
    "Evidence",
    "EvidenceKind",
    "Fir",
    "Handover",
    "HandoverKind",
    "HandoverStatus",
    "Hearing",
    "LegalProvision",
    "Origin",
    "Party",
    "PartyRole",
    "SavedSearch",
    "Status",
    "StatusChange",
    "Task",
    "Verdict",
    "VerdictOutcome",
]
