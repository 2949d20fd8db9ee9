"""The status of a case: which moves are allowed, what stops them, and the move."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import OrganisationKind
from ahtc.cases.models import (
    Case,
    ChallanItem,
    ChallanItemKind,
    ConsentPurpose,
    HandoverKind,
    HandoverStatus,
    Status,
    StatusChange,
    Verdict,
    VerdictOutcome,
)
from ahtc.cases.services._common import CaseError, S, _audit
from ahtc.cases.services.agency import _accepting_agency, _recording_agency
from ahtc.cases.services.gates import _consent_gate

TRANSITIONS: dict[str, set[str]] = {
    S.REPORTED: {S.INQUIRY, S.FIR_REGISTERED, S.CLOSED_NO_OFFENCE, S.TRANSFERRED_FIA},
    S.INQUIRY: {S.FIR_REGISTERED, S.CLOSED_NO_OFFENCE, S.TRANSFERRED_FIA},
    S.FIR_REGISTERED: {S.INVESTIGATION, S.TRANSFERRED_FIA},
    S.INVESTIGATION: {S.CHALLAN_SUBMITTED, S.TRANSFERRED_FIA, S.WITHDRAWN},
    S.CHALLAN_SUBMITTED: {S.TRIAL, S.INVESTIGATION},
    S.TRIAL: {S.CONVICTED, S.ACQUITTED, S.COMPOUNDED, S.WITHDRAWN},
}
# The agency that took a transferred case over starts its own proceedings.
AGENCY_START = {S.FIR_REGISTERED}
# What a prosecutor (on a shared case) may move; cell staff may move everything.
PROSECUTOR_TRANSITIONS = {
    (S.CHALLAN_SUBMITTED, S.TRIAL),
    (S.CHALLAN_SUBMITTED, S.INVESTIGATION),
    (S.TRIAL, S.CONVICTED),
    (S.TRIAL, S.ACQUITTED),
    (S.TRIAL, S.COMPOUNDED),
    (S.TRIAL, S.WITHDRAWN),
}
NOTE_REQUIRED = {S.CLOSED_NO_OFFENCE, S.WITHDRAWN, S.COMPOUNDED}
# Steps that need each victim's consent, and for what.
CONSENT_FOR: dict[str, str] = {S.FIR_REGISTERED: ConsentPurpose.STATEMENT}


def _next_statuses(case: Case) -> set[str]:
    """A case run by an agency (after a transfer to FIA) goes through the same
    stages, never back to the cell by a second transfer; a case transferred
    before an agency was recorded as running it moves no further."""
    if case.status == S.TRANSFERRED_FIA:
        return set(AGENCY_START) if case.run_by_agency else set()
    nexts = set(TRANSITIONS.get(case.status, set()))
    if case.run_by_agency:
        nexts.discard(S.TRANSFERRED_FIA)
    return nexts


def _of_track(rows: Any, case: Case) -> Any:
    agency = case.proceedings_organisation_id
    if agency is None:
        return rows.filter(organisation__isnull=True)
    return rows.filter(organisation_id=agency)


def track_firs(case: Case) -> Any:
    """The FIRs of whoever runs the proceedings now (the agency's, or the cell's)."""
    return _of_track(case.firs, case)


def challan_items(case: Case) -> Any:
    """The challan checklist of whoever runs the proceedings now."""
    return _of_track(case.challan_items, case)


def transition_problems(case: Case, to: str) -> list[str | Promise]:
    """Everything that stops the move, consent aside (see `_consent_gate`)."""
    if to not in _next_statuses(case):
        return [
            _("A case that is %(now)s cannot go to %(to)s.")
            % {"now": Status(case.status).label, "to": Status(to).label}
        ]
    problems: list[str | Promise] = []
    agency = case.run_by_agency  # the agency's own FIR and IO; the cell classified
    if to == S.FIR_REGISTERED:
        if not track_firs(case).exists():
            problems.append(_("Record the FIR first."))
        if not case.classification and not agency:
            problems.append(_("Classify the case first (classification assistant)."))
    if to == S.INVESTIGATION and case.lead_officer_id is None and not agency:
        problems.append(_("Assign an investigating officer first."))
    if to == S.CHALLAN_SUBMITTED:
        if not case.parties.filter(role__in=_suspect_roles()).exists():
            problems.append(_("Add at least one accused."))
        if challan_items(case).filter(io_done_at__isnull=True).exists():
            problems.append(_("The IO has not completed every item of the challan checklist."))
    if to == S.TRIAL and challan_items(case).filter(prosecutor_ok_at__isnull=True).exists():
        problems.append(_("The prosecutor has not accepted every item of the challan."))
    if to in {S.CONVICTED, S.ACQUITTED, S.COMPOUNDED}:
        outcomes = set(Verdict.objects.filter(party__case=case).values_list("outcome", flat=True))
        if to == S.CONVICTED and VerdictOutcome.CONVICTED not in outcomes:
            problems.append(_("Record the verdict of conviction first."))
        unjudged = case.parties.filter(role__in=_suspect_roles(), verdicts__isnull=True)
        if to == S.ACQUITTED and (
            not outcomes or outcomes != {VerdictOutcome.ACQUITTED} or unjudged.exists()
        ):
            problems.append(_("Record an acquittal for every accused first."))
        if to == S.COMPOUNDED and VerdictOutcome.COMPOUNDED not in outcomes:
            problems.append(_("Record the compounding in the verdicts first."))
    if (
        to == S.TRANSFERRED_FIA
        and not case.handovers.filter(
            kind=HandoverKind.REFER,
            status=HandoverStatus.ACCEPTED,
            to_organisation__kind=OrganisationKind.FIA,
        ).exists()
    ):
        problems.append(_("Refer the case to FIA and wait for FIA to accept it."))
    return problems


def _suspect_roles() -> list[str]:
    from ahtc.cases.models import SUSPECT_ROLES

    return [str(r) for r in SUSPECT_ROLES]


def allowed_transitions(case: Case) -> list[str]:
    order = [str(s) for s in Status]
    return sorted(_next_statuses(case), key=order.index)


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: str,
    by: Any,
    note: str = "",
    as_prosecutor: bool = False,
    override_consent: bool = False,
) -> Case:
    case = Case.objects.select_for_update().select_related("district").get(pk=case.pk)
    if as_prosecutor and (case.status, to) not in PROSECUTOR_TRANSITIONS:
        raise CaseError(_("A prosecutor cannot make this change; ask the cell."))
    if not as_prosecutor:
        _recording_agency(case, by)
    problems = transition_problems(case, to)
    if problems:
        raise CaseError(" ".join(str(p) for p in problems))
    if to in NOTE_REQUIRED and not note.strip():
        raise CaseError(_("Give the reason in the note."))
    overridden = False
    if to in CONSENT_FOR:
        overridden = _consent_gate(
            case=case,
            by=by,
            purpose=CONSENT_FOR[to],
            organisation=None,
            override=override_consent,
            reason=note,
        )
    previous = case.status
    case.status = to
    fields = ["status", "updated_at"]
    if to == S.TRANSFERRED_FIA:
        case.proceedings_organisation = _accepting_agency(case)
        fields.append("proceedings_organisation")
    case.save(update_fields=fields)
    StatusChange.objects.create(
        case=case,
        from_status=previous,
        to_status=to,
        note=note.strip()[:500],
        consent_override=overridden,
        by=by,
    )
    if to == S.INVESTIGATION:
        for kind in ChallanItemKind:
            ChallanItem.objects.get_or_create(
                case=case, organisation=case.proceedings_organisation, kind=kind
            )
    _audit(by, case, f"status {previous} -> {to}")
    return case
