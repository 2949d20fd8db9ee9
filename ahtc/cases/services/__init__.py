"""Writes for cases. Every function is keyword-only, atomic and audited.

Rules a user can break raise `CaseError` with a translated message the view
shows as it is; nothing half-done is left behind (each call is one transaction).
Access (may this user touch this case at all?) is checked by the caller with
`selectors.case_access`; these functions check the rules of the case itself.

One module per stage, each read in one sitting:

- `file`: opening a case, linking citizen reports, parties, the timeline
- `classification`: the classification decision
- `gates` and `consent`: consent gates; recording and withdrawing consent
- `workflow`: status moves and what stops them
- `agency`: proceedings run by an agency (FIA after a transfer)
- `proceedings`: FIR, arrests, hearings, verdicts, compensation
- `challan`: the challan checklist between IO and prosecutor
- `sharing`: shares with partner agencies, handovers
- `evidence`: evidence files and custody
- `tasks`: tasks and saved searches

Callers import the package (`from ahtc.cases import services as s`); every name
is re-exported here, the private helpers too.
"""

from __future__ import annotations

from ahtc.cases.services._common import CaseError, S, _audit, _check_date, _next_number
from ahtc.cases.services.agency import (
    AGENCY_FIR_ACTS,
    _accepting_agency,
    _recorded_by,
    _recording_agency,
    agency_fir_add,
    agency_fir_provisions,
)
from ahtc.cases.services.challan import (
    CHALLAN_CONSENT,
    _challan_open,
    challan_io_done,
    challan_prosecutor_answer,
)
from ahtc.cases.services.classification import (
    CaseSummary,
    case_summary,
    classification_decide,
    offered_provisions,
)
from ahtc.cases.services.consent import consent_record, consent_withdraw
from ahtc.cases.services.evidence import (
    EvidenceFile,
    _evidence_bytes,
    _evidence_too_large,
    _evidence_upload,
    _refused_as_case_error,
    custody_add,
    evidence_add,
)
from ahtc.cases.services.file import (
    _is_split,
    case_link_reports,
    case_open,
    case_route,
    event_add,
    party_add,
    party_mark_warned,
)
from ahtc.cases.services.gates import _consent_gate, active_consents, missing_consent, victims
from ahtc.cases.services.proceedings import (
    _verdict_date_check,
    arrest_add,
    compensation_paid,
    fir_add,
    first_fir_date,
    hearing_add,
    verdict_add,
)
from ahtc.cases.services.sharing import (
    case_share,
    handover_answer,
    handover_create,
    may_answer,
    share_revoke,
)
from ahtc.cases.services.tasks import saved_search_save, task_add, task_done
from ahtc.cases.services.workflow import (
    AGENCY_START,
    CONSENT_FOR,
    NOTE_REQUIRED,
    PROSECUTOR_TRANSITIONS,
    TRANSITIONS,
    _next_statuses,
    _of_track,
    _suspect_roles,
    allowed_transitions,
    case_transition,
    challan_items,
    track_firs,
    transition_problems,
)

__all__ = [
    "AGENCY_FIR_ACTS",
    "AGENCY_START",
    "CHALLAN_CONSENT",
    "CONSENT_FOR",
    "NOTE_REQUIRED",
    "PROSECUTOR_TRANSITIONS",
    "TRANSITIONS",
    "CaseError",
    "CaseSummary",
    "EvidenceFile",
    "S",
    "active_consents",
    "agency_fir_add",
    "agency_fir_provisions",
    "allowed_transitions",
    "arrest_add",
    "case_link_reports",
    "case_open",
    "case_route",
    "case_share",
    "case_summary",
    "case_transition",
    "challan_io_done",
    "challan_items",
    "challan_prosecutor_answer",
    "classification_decide",
    "compensation_paid",
    "consent_record",
    "consent_withdraw",
    "custody_add",
    "event_add",
    "evidence_add",
    "fir_add",
    "first_fir_date",
    "handover_answer",
    "handover_create",
    "hearing_add",
    "may_answer",
    "missing_consent",
    "offered_provisions",
    "party_add",
    "party_mark_warned",
    "saved_search_save",
    "share_revoke",
    "task_add",
    "task_done",
    "track_firs",
    "transition_problems",
    "verdict_add",
    "victims",
]
# The private helpers too: `s._name` works as it did when this was one module.
__all__ += [
    "_accepting_agency",
    "_audit",
    "_challan_open",
    "_check_date",
    "_consent_gate",
    "_evidence_bytes",
    "_evidence_too_large",
    "_evidence_upload",
    "_is_split",
    "_next_number",
    "_next_statuses",
    "_of_track",
    "_recorded_by",
    "_recording_agency",
    "_refused_as_case_error",
    "_suspect_roles",
    "_verdict_date_check",
]
