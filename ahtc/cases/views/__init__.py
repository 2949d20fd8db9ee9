"""Case workspace pages (under /cell/cases/). Thin: access, forms, services.

One module per stage of a case, each readable in one sitting:

- `lists`: the case list (filters, saved searches, exports) and the due list;
- `file`: opening a case, the case page, the route and the summary PDF;
- `parties`: people and organisations in a case, with the person search;
- `classification`, `consent`, `proceedings` (status, FIR, arrests, challan,
  hearings, verdicts, compensation), `sharing` (shares and handovers),
  `evidence` (with custody) and `tasks`;
- `_common`: what they share (loading a case with its access, `_action`).

The URL patterns (cell/urls.py) and tests import the views from here.
"""

from __future__ import annotations

from ahtc.cases.views.classification import classify
from ahtc.cases.views.consent import consent_add, consent_withdraw
from ahtc.cases.views.evidence import custody_add, evidence_add, evidence_download
from ahtc.cases.views.file import case_detail, case_open, event_add, summary_pdf
from ahtc.cases.views.lists import case_list, due, saved_search
from ahtc.cases.views.parties import _pick_token, party_add
from ahtc.cases.views.proceedings import (
    arrest_add,
    challan_action,
    challan_answer,
    compensation_update,
    fir_add,
    hearing_add,
    transition,
    verdict_add,
)
from ahtc.cases.views.sharing import handover_add, handover_answer, share_add, share_revoke
from ahtc.cases.views.tasks import task_add, task_done

__all__ = [
    "_pick_token",
    "arrest_add",
    "case_detail",
    "case_list",
    "case_open",
    "challan_action",
    "challan_answer",
    "classify",
    "compensation_update",
    "consent_add",
    "consent_withdraw",
    "custody_add",
    "due",
    "event_add",
    "evidence_add",
    "evidence_download",
    "fir_add",
    "handover_add",
    "handover_answer",
    "hearing_add",
    "party_add",
    "saved_search",
    "share_add",
    "share_revoke",
    "summary_pdf",
    "task_add",
    "task_done",
    "transition",
    "verdict_add",
]
