"""The challan checklist between the investigating officer and the prosecutor."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.cases.models import ChallanItem, ChallanItemKind, ConsentPurpose
from ahtc.cases.services._common import CaseError, S, _audit
from ahtc.cases.services.agency import _recording_agency
from ahtc.cases.services.gates import _consent_gate

CHALLAN_CONSENT = {
    ChallanItemKind.VICTIM_STATEMENT: ConsentPurpose.STATEMENT,
    ChallanItemKind.MEDICAL: ConsentPurpose.MEDICAL,
}


def _challan_open(item: ChallanItem) -> None:
    case = item.case
    if case.is_closed and not (case.run_by_agency and case.status == S.TRANSFERRED_FIA):
        raise CaseError(_("The case is closed; its checklist can no longer change."))
    if item.organisation_id != case.proceedings_organisation_id:
        raise CaseError(_("This checklist belongs to earlier proceedings; it is kept as it was."))


@transaction.atomic
def challan_io_done(
    *,
    item: ChallanItem,
    by: Any,
    override_consent: bool = False,
    reason: str = "",
    answer: str = "",
) -> ChallanItem:
    """The IO completes an item, or answers one the prosecutor returned: in
    any status of the case while it is open (a returned item is answered
    without moving the case back to investigation)."""
    case = item.case
    _challan_open(item)
    _recording_agency(case, by)
    if item.returned and not answer.strip():
        raise CaseError(_("Answer the prosecutor's objection: say what was done."))
    if item.kind in CHALLAN_CONSENT:
        _consent_gate(
            case=case,
            by=by,
            purpose=CHALLAN_CONSENT[ChallanItemKind(item.kind)],
            organisation=None,
            override=override_consent,
            reason=reason,
        )
    answered = item.returned
    item.io_done_at = timezone.now()
    item.io_done_by = by
    if answered:
        item.answer = answer.strip()[:500]
    item.save(update_fields=["io_done_at", "io_done_by", "answer"])
    what = "objection answered" if answered else "done"
    _audit(by, case, f"challan item {item.kind} {what} by IO")
    return item


@transaction.atomic
def challan_prosecutor_answer(
    *, item: ChallanItem, by: Any, accept: bool, objection: str = ""
) -> ChallanItem:
    _challan_open(item)
    if item.io_done_at is None:
        raise CaseError(_("The IO has not completed this item yet."))
    if accept:
        item.prosecutor_ok_at = timezone.now()
        item.prosecutor_ok_by = by
        item.objection = ""
    else:
        if not objection.strip():
            raise CaseError(_("Say what is missing."))
        item.prosecutor_ok_at = None
        item.prosecutor_ok_by = None
        item.io_done_at = None
        item.io_done_by = None
        item.objection = objection.strip()[:500]
        item.answer = ""
    item.save()
    _audit(by, item.case, f"challan item {item.kind} {'accepted' if accept else 'returned'}")
    return item
