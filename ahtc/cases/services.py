"""Writes for cases. Every function is keyword-only, atomic and audited.

Rules a user can break raise `CaseError` with a translated message the view
shows as it is; nothing half-done is left behind (each call is one transaction).
Access (may this user touch this case at all?) is checked by the caller with
`selectors.case_access`; these functions check the rules of the case itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.classification import (
    ENGINE_VERSION,
    Answers,
    Classification,
    Flag,
    suggest,
)
from ahtc.cases.legal import provisions_in_force
from ahtc.cases.models import (
    Arrest,
    Case,
    CaseCounter,
    CaseEvent,
    CaseShare,
    ChallanItem,
    ChallanItemKind,
    ClassificationDecision,
    Consent,
    ConsentPurpose,
    CustodyEntry,
    Evidence,
    Fir,
    Handover,
    HandoverKind,
    HandoverStatus,
    Hearing,
    LegalProvision,
    Origin,
    Party,
    PartyRole,
    SavedSearch,
    Status,
    StatusChange,
    Task,
    Verdict,
    VerdictOutcome,
)
from ahtc.cases.references import case_reference
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.core.scan import ScanStatus
from ahtc.core.sequence import next_in_sequence
from ahtc.core.storage import file_store
from ahtc.core.uploads import SealedUpload
from ahtc.geography.models import Area, PoliceStation
from ahtc.notifications.services import notify_handover, notify_task_assigned
from ahtc.people.models import Person
from ahtc.portal.files import (
    EDGE_BYTES,
    FileRejectedError,
    check_evidence_edges,
    scan_received,
    scan_stored,
)


class CaseError(RuleError):
    """A rule of the case was broken; the message is for the user."""


def _audit(by: Any, case: Case, reason: str, action: AuditAction = AuditAction.UPDATE) -> None:
    audit_record(actor=by, action=action, target=case, area_code=case.district.code, reason=reason)


# --- opening a case -----------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    district: Area,
    by: Any,
    title: str,
    origin: str,
    summary: str = "",
    tip: Any = None,
    referred_by: Organisation | None = None,
    offence_date: dt.date | None = None,
    lead_officer: Any = None,
    opened_on: dt.date | None = None,
    split_reason: str = "",
) -> Case:
    """A report leads to one case; a second case is opened from it only as a
    deliberate split, with `split_reason` (the report stays with its case)."""
    if origin == Origin.TIP and tip is None:
        raise CaseError(_("Choose the citizen report this case comes from."))
    if tip is not None and tip.district_id and tip.district_id != district.pk:
        raise CaseError(_("The citizen report belongs to another district."))
    split = _is_split(tip, split_reason)
    if origin == Origin.REFERRAL and referred_by is None:
        raise CaseError(_("Say which agency referred the case."))
    year = (opened_on or timezone.localdate()).year
    number = next_in_sequence(CaseCounter, district=district, year=year)
    case = Case.objects.create(
        reference=case_reference(district.code, year, number),
        district=district,
        year=year,
        number=number,
        title=title,
        summary=summary,
        origin=origin,
        tip=tip,
        referred_by=referred_by,
        offence_date=offence_date,
        lead_officer=lead_officer,
        opened_by=by,
        tip_split=split,
        split_reason=split_reason.strip() if split else "",
    )
    if opened_on is not None:
        Case.objects.filter(pk=case.pk).update(
            created_at=timezone.make_aware(dt.datetime.combine(opened_on, dt.time(10)))
        )
    _audit(by, case, f"opened from {origin}{' (split)' if split else ''}", AuditAction.CREATE)
    if tip is not None and not split:
        from ahtc.portal.services import tip_link

        tip_link(tip=tip, case=case, by=by)
    return case


def _is_split(tip: Any, split_reason: str) -> bool:
    """Whether a case from `tip` would be a second one (refused without a
    reason). The report row is locked, so two officers cannot both open the
    'first' case from it at once."""
    if tip is None:
        return False
    from ahtc.portal.models import Tip

    locked = Tip.objects.select_for_update().get(pk=tip.pk)
    existing = (locked.case if locked.case_id else None) or Case.objects.filter(
        tip=tip, tip_split=False
    ).first()
    if existing is None:
        return False
    if not split_reason.strip():
        raise CaseError(
            _(
                "Report %(report)s already belongs to case %(case)s. Open it there, or say "
                "why this report needs a second case."
            )
            % {"report": tip.reference, "case": existing.reference}
        )
    return True


@transaction.atomic
def case_link_reports(*, case: Case, tips: Iterable[Any], by: Any) -> list[Any]:
    """Link citizen reports to `case` ("linked to a case"): all or none. A
    report of another district, or already part of another case, is refused."""
    from ahtc.portal.services import tip_link

    tips = list(tips)
    wrong_district = [t.reference for t in tips if t.district_id != case.district_id]
    if wrong_district:
        raise CaseError(
            _("Not in the district of case %(case)s: %(reports)s")
            % {"case": case.reference, "reports": ", ".join(wrong_district)}
        )
    elsewhere = [t.reference for t in tips if t.case_id not in (None, case.pk)]
    if elsewhere:
        raise CaseError(
            _("Already part of another case: %(reports)s") % {"reports": ", ".join(elsewhere)}
        )
    linked = [tip_link(tip=tip, case=case, by=by) for tip in tips]
    _audit(by, case, f"{len(linked)} citizen report(s) linked")
    return linked


# --- parties --------------------------------------------------------------------


@transaction.atomic
def party_add(
    *,
    case: Case,
    by: Any,
    role: str,
    person: Person | None = None,
    organisation_name: str = "",
    note: str = "",
) -> Party:
    """Guard rails: a victim or smuggled migrant is never also a suspect in the
    same case (PTPA: victims are not liable; Smuggling Protocol Art. 5)."""
    if person is None and not organisation_name.strip():
        raise CaseError(_("Choose a person or give the organisation's name."))
    if person is not None:
        roles = set(case.parties.filter(person=person).values_list("role", flat=True))
        if role in roles:
            raise CaseError(_("This person already has that role in the case."))
        new_is_suspect = Party(role=role).is_suspect
        protected = {PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT}
        if new_is_suspect and roles & protected:
            raise CaseError(
                _(
                    "A victim or smuggled migrant cannot be made a suspect in the same case: "
                    "the law does not punish them for what was done to them."
                )
            )
        if role in protected and any(Party(role=r).is_suspect for r in roles):
            raise CaseError(_("This person is a suspect in the case; remove that role first."))
    number = _next_number(case.parties)
    party = Party.objects.create(
        case=case,
        person=person,
        organisation_name=organisation_name.strip(),
        role=role,
        number=number,
        note=note,
        added_by=by,
    )
    _audit(by, case, f"party added ({role})")
    return party


def _next_number(queryset: Any) -> int:
    from django.db.models import Max

    return int(queryset.aggregate(m=Max("number"))["m"] or 0) + 1


@transaction.atomic
def party_mark_warned(*, party: Party, by: Any) -> Party:
    if not party.is_suspect:
        raise CaseError(_("Only a suspect can be questioned and warned."))
    party.questioned_and_warned = True
    party.save(update_fields=["questioned_and_warned", "updated_at"])
    _audit(by, party.case, "suspect questioned and warned")
    return party


# --- timeline --------------------------------------------------------------------


@transaction.atomic
def event_add(
    *,
    case: Case,
    by: Any,
    kind: str,
    date: dt.date | None = None,
    country: str = "PK",
    place: str = "",
    area: Area | None = None,
    amount_pkr: int | None = None,
    description: str = "",
) -> CaseEvent:
    if date is not None and date > timezone.localdate():
        raise CaseError(_("The date is in the future."))
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        date=date,
        country=country.upper(),
        place=place,
        area=area if country.upper() == "PK" else None,
        amount_pkr=amount_pkr,
        description=description,
        added_by=by,
    )
    _audit(by, case, f"timeline event {kind}")
    return event


def case_route(case: Case) -> list[str]:
    """Countries in the order the case passed through them, repeats collapsed."""
    route: list[str] = []
    for country in case.events.exclude(kind="Payment").values_list("country", flat=True):
        if not route or route[-1] != country:
            route.append(country)
    return route


# --- classification ----------------------------------------------------------------


def offered_provisions(case: Case) -> Any:
    return provisions_in_force(case.offence_date or timezone.localdate())


@transaction.atomic
def classification_decide(
    *,
    case: Case,
    by: Any,
    answers: Answers,
    classification: str,
    agency: str,
    provision_codes: Iterable[str],
    override_reason: str = "",
) -> ClassificationDecision:
    suggestion = suggest(answers)
    in_force = {p.code: p for p in offered_provisions(case)}
    codes = list(dict.fromkeys(provision_codes))
    unknown = [c for c in codes if c not in in_force]
    if unknown:
        raise CaseError(
            _("Not in force on the offence date: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    reason = override_reason.strip()
    departs = classification != suggestion.classification or agency != suggestion.agency
    if (
        classification == Classification.LABOUR_VIOLATION
        and Flag.POSSIBLE_FORCED_LABOUR in suggestion.flags
        and not reason
    ):
        raise CaseError(
            _("Forced-labour indicators were found: say why this is only a labour-law violation.")
        )
    if departs and not reason:
        raise CaseError(_("You chose differently from the suggestion: give the reason."))
    decision = ClassificationDecision.objects.create(
        case=case,
        engine_version=ENGINE_VERSION,
        answers=answers.to_json(),
        rules=suggestion.rules,
        suggested_classification=suggestion.classification,
        suggested_provisions=suggestion.provisions,
        suggested_agency=suggestion.agency,
        flags=suggestion.flags,
        classification=classification,
        agency=agency,
        override_reason=reason,
        decided_by=by,
    )
    decision.provisions.set([in_force[c] for c in codes])
    case.classification = classification
    case.agency = agency
    case.save(update_fields=["classification", "agency", "updated_at"])
    rules = ",".join(str(r) for r in suggestion.rules) or "none"
    _audit(by, case, f"classified {classification} (rules {rules}; override={bool(reason)})")
    return decision


# --- consent ------------------------------------------------------------------------


def victims(case: Case) -> list[Party]:
    return [p for p in case.parties.all() if p.is_protected]


def active_consents(case: Case) -> Any:
    return Consent.objects.filter(case=case, withdrawn_at__isnull=True)


def missing_consent(
    case: Case, purpose: str, organisation: Organisation | None = None
) -> list[Party]:
    """Victims without active consent for `purpose` (for sharing: with this organisation
    or with any partner)."""
    consents = active_consents(case).filter(purpose=purpose)
    if organisation is not None:
        consents = consents.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
    consented = set(consents.values_list("party_id", flat=True))
    return [p for p in victims(case) if p.pk not in consented]


def _consent_gate(
    *,
    case: Case,
    by: Any,
    purpose: str,
    organisation: Organisation | None,
    override: bool,
    reason: str,
) -> bool:
    """True when the step went ahead by override. Raises when consent is missing."""
    missing = missing_consent(case, purpose, organisation)
    if not missing:
        return False
    if not override:
        raise CaseError(
            _("The victim's consent is not recorded for this step: %(who)s")
            % {"who": ", ".join(p.pseudonym for p in missing)}
        )
    if not user_scope(by).permits(Perm.CONSENT_OVERRIDE, case.district):
        raise CaseError(
            _("Only a user allowed to override consent may go ahead without it."),
            refusal=f"consent override refused ({purpose}): lacks permission",
        )
    if not reason.strip():
        raise CaseError(_("Going ahead without consent needs a written reason."))
    _audit(by, case, f"consent override ({purpose}): {reason.strip()[:300]}")
    return True


@transaction.atomic
def consent_record(
    *,
    case: Case,
    party: Party,
    by: Any,
    purpose: str,
    method: str,
    given_on: dt.date,
    organisation: Organisation | None = None,
) -> Consent:
    if party.case_id != case.pk or not party.is_protected:
        raise CaseError(_("Consent is recorded for a victim or smuggled migrant of this case."))
    if given_on > timezone.localdate():
        raise CaseError(_("The date is in the future."))
    with_whom = {ConsentPurpose.SHARING, ConsentPurpose.IDENTITY}
    if organisation is not None and purpose not in with_whom:
        organisation = None
    consent = Consent.objects.create(
        case=case,
        party=party,
        purpose=purpose,
        method=method,
        given_on=given_on,
        organisation=organisation,
        recorded_by=by,
    )
    _audit(by, case, f"consent recorded ({purpose})")
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by: Any) -> list[CaseShare]:
    """Withdrawal takes effect at once: shares that relied on it are revoked."""
    if consent.withdrawn_at is not None:
        raise CaseError(_("This consent was already withdrawn."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    case = consent.case
    _audit(by, case, f"consent withdrawn ({consent.purpose})")
    revoked: list[CaseShare] = []
    if consent.purpose == ConsentPurpose.SHARING:
        for share in case.shares.filter(revoked_at__isnull=True).select_related("organisation"):
            if missing_consent(case, ConsentPurpose.SHARING, share.organisation):
                revoked.append(share_revoke(share=share, by=by, why="consent withdrawn"))
    return revoked


# --- status workflow ---------------------------------------------------------------

S = Status
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


# --- proceedings ----------------------------------------------------------------------


def _check_date(
    date: dt.date,
    *,
    not_before: dt.date | None = None,
    before_what: Promise | str = "",
    future_ok: bool = False,
) -> None:
    """Proceedings are recorded after they happen, in order (offence, FIR,
    arrest, hearing, verdict): a date in the future or before the step it
    follows is a typing error, refused with the date it may not precede."""
    if not future_ok and date > timezone.localdate():
        raise CaseError(_("The date is in the future."))
    if not_before is not None and date < not_before:
        raise CaseError(
            _("The date is before %(what)s (%(date)s).")
            % {"what": before_what, "date": not_before.isoformat()}
        )


def first_fir_date(case: Case) -> dt.date | None:
    first: dt.date | None = case.firs.aggregate(first=Min("date"))["first"]
    return first


def _verdict_date_check(party: Party, date: dt.date) -> None:
    case = party.case
    _check_date(date, not_before=first_fir_date(case), before_what=_("the first FIR"))
    arrested: dt.date | None = party.arrests.aggregate(last=Max("date"))["last"]
    _check_date(date, not_before=arrested, before_what=_("the arrest of this accused"))
    heard: dt.date | None = case.hearings.aggregate(first=Min("date"))["first"]
    _check_date(date, not_before=heard, before_what=_("the first hearing"))


def _accepting_agency(case: Case) -> Organisation | None:
    """The FIA office that accepted the referral (share still active): it runs
    the proceedings once the case is transferred."""
    handover = (
        case.handovers.filter(
            kind=HandoverKind.REFER,
            status=HandoverStatus.ACCEPTED,
            to_organisation__kind=OrganisationKind.FIA,
            to_organisation__in=case.shares.filter(revoked_at__isnull=True).values("organisation"),
        )
        .select_related("to_organisation")
        .order_by("-answered_at", "-pk")
        .first()
    )
    return handover.to_organisation if handover else None


def _recording_agency(case: Case, by: Any) -> Organisation | None:
    """Who records a step of the proceedings: None for the cell; the agency
    once it runs them, and then only its users (the cell reads)."""
    if case.proceedings_organisation_id is None:
        return None
    if getattr(by, "organisation_id", None) != case.proceedings_organisation_id:
        raise CaseError(
            _("The agency running the proceedings records them; the cell follows them here."),
            refusal="proceedings refused: run by another agency",
        )
    if not case.shares.filter(
        organisation_id=case.proceedings_organisation_id, revoked_at__isnull=True
    ).exists():
        raise CaseError(
            _("The case is no longer shared with your agency; ask the cell."),
            refusal="proceedings refused: share ended",
        )
    return case.proceedings_organisation


def _recorded_by(case: Case, by: Any) -> Organisation | None:
    """The agency a row is recorded for (hearings and verdicts may also come
    from the prosecutor, who records them for the court, not for an agency)."""
    if case.proceedings_organisation_id == getattr(by, "organisation_id", None):
        return case.proceedings_organisation
    return None


# FIA registers its FIRs under the laws it enforces (FIA Act schedule).
AGENCY_FIR_ACTS = ("PTPA 2018", "PSMA 2018", "Emigration Ordinance 1979")


def agency_fir_provisions(case: Case, date: dt.date | None = None) -> Any:
    on = case.offence_date or date or timezone.localdate()
    return provisions_in_force(on).filter(act__in=AGENCY_FIR_ACTS)


@transaction.atomic
def agency_fir_add(
    *,
    case: Case,
    by: Any,
    number: str,
    date: dt.date,
    station: str,
    provision_codes: Iterable[str],
) -> Fir:
    """The FIR of the agency running the proceedings: its circle (the agency
    itself) and its own police station, named as the agency writes it."""
    organisation = _recording_agency(case, by)
    if organisation is None:
        raise CaseError(_("The case is not run by an agency; record the cell's FIR."))
    if not station.strip():
        raise CaseError(_("Name the agency's police station."))
    _check_date(date, not_before=case.offence_date, before_what=_("the offence"))
    codes = list(dict.fromkeys(provision_codes))
    if not codes:
        raise CaseError(_("Choose at least one section."))
    in_force = {p.code: p for p in agency_fir_provisions(case, date)}
    unknown = [c for c in codes if c not in in_force]
    if unknown:
        raise CaseError(
            _("Not a section of PTPA, PSMA or the Emigration Ordinance in force: %(codes)s")
            % {"codes": ", ".join(unknown)}
        )
    try:
        with transaction.atomic():
            fir = Fir.objects.create(
                case=case,
                number=number.strip(),
                date=date,
                organisation=organisation,
                agency_station=station.strip()[:200],
                added_by=by,
            )
    except IntegrityError as exc:
        raise CaseError(_("This police station already has that FIR number on that date.")) from exc
    fir.provisions.set([in_force[c] for c in codes])
    _audit(by, case, f"FIR recorded by organisation {organisation.pk}", AuditAction.CREATE)
    return fir


@transaction.atomic
def fir_add(
    *,
    case: Case,
    by: Any,
    number: str,
    date: dt.date,
    police_station: PoliceStation,
    provision_codes: Iterable[str],
) -> Fir:
    if _recording_agency(case, by) is not None:
        raise CaseError(_("Record the agency's FIR with the agency's own police station."))
    _check_date(date, not_before=case.offence_date, before_what=_("the offence"))
    if not police_station.tehsil.path.startswith(case.district.path):
        raise CaseError(_("The police station is not in the case's district."))
    codes = list(dict.fromkeys(provision_codes))
    if not codes:
        raise CaseError(_("Choose at least one section."))
    in_force = {p.code: p for p in provisions_in_force(case.offence_date or date)}
    unknown = [c for c in codes if c not in in_force]
    if unknown:
        raise CaseError(
            _("Not in force on the offence date: %(codes)s") % {"codes": ", ".join(unknown)}
        )
    try:
        with transaction.atomic():
            fir = Fir.objects.create(
                case=case,
                number=number.strip(),
                date=date,
                police_station=police_station,
                added_by=by,
            )
    except IntegrityError as exc:
        raise CaseError(_("This police station already has that FIR number on that date.")) from exc
    fir.provisions.set([in_force[c] for c in codes])
    _audit(by, case, "FIR recorded", AuditAction.CREATE)
    return fir


@transaction.atomic
def arrest_add(*, party: Party, by: Any, date: dt.date, bail_granted: bool = False) -> Arrest:
    if not party.is_suspect:
        raise CaseError(_("Only an accused can be arrested."))
    _check_date(date, not_before=party.case.offence_date, before_what=_("the offence"))
    _check_date(date, not_before=first_fir_date(party.case), before_what=_("the first FIR"))
    arrest = Arrest.objects.create(
        party=party,
        date=date,
        bail_granted=bail_granted,
        organisation=_recording_agency(party.case, by),
        added_by=by,
    )
    _audit(by, party.case, "arrest recorded")
    return arrest


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


@transaction.atomic
def hearing_add(
    *, case: Case, by: Any, court: str, date: dt.date, purpose: str = "", outcome: str = ""
) -> Hearing:
    if case.status not in {S.CHALLAN_SUBMITTED, S.TRIAL}:
        raise CaseError(_("Hearings are recorded once the challan is in court."))
    # A hearing may be scheduled ahead; what happened at it cannot be.
    _check_date(
        date,
        not_before=first_fir_date(case),
        before_what=_("the first FIR"),
        future_ok=not outcome.strip(),
    )
    hearing = Hearing.objects.create(
        case=case,
        court=court,
        date=date,
        purpose=purpose,
        outcome=outcome,
        organisation=_recorded_by(case, by),
        added_by=by,
    )
    _audit(by, case, "hearing recorded")
    return hearing


@transaction.atomic
def verdict_add(
    *,
    party: Party,
    by: Any,
    provision: LegalProvision,
    date: dt.date,
    outcome: str,
    prison_months: int | None = None,
    fine_pkr: int | None = None,
    compensation_ordered_pkr: int | None = None,
    compensation_paid_pkr: int | None = None,
) -> Verdict:
    case = party.case
    if case.status != S.TRIAL:
        raise CaseError(_("Verdicts are recorded while the case is on trial."))
    if not party.is_suspect:
        raise CaseError(_("A verdict is recorded for an accused only."))
    if not Fir.objects.filter(case=case, provisions=provision).exists():
        raise CaseError(_("That section is not in the case's FIR."))
    if outcome != VerdictOutcome.CONVICTED and (prison_months or fine_pkr):
        raise CaseError(_("A sentence is recorded only with a conviction."))
    if (compensation_paid_pkr or 0) > (compensation_ordered_pkr or 0):
        raise CaseError(_("More compensation is paid than was ordered."))
    _verdict_date_check(party, date)
    try:
        with transaction.atomic():
            verdict = Verdict.objects.create(
                party=party,
                provision=provision,
                date=date,
                outcome=outcome,
                prison_months=prison_months,
                fine_pkr=fine_pkr,
                compensation_ordered_pkr=compensation_ordered_pkr,
                compensation_paid_pkr=compensation_paid_pkr,
                organisation=_recorded_by(case, by),
                added_by=by,
            )
    except IntegrityError as exc:
        raise CaseError(_("A verdict for this accused and section is already recorded.")) from exc
    _audit(by, case, f"verdict {outcome}")
    return verdict


@transaction.atomic
def compensation_paid(*, verdict: Verdict, by: Any, amount_pkr: int) -> Verdict:
    if amount_pkr > (verdict.compensation_ordered_pkr or 0):
        raise CaseError(_("More compensation is paid than was ordered."))
    verdict.compensation_paid_pkr = amount_pkr
    verdict.save(update_fields=["compensation_paid_pkr", "updated_at"])
    _audit(by, verdict.party.case, "compensation payment recorded")
    return verdict


# --- sharing and handovers ------------------------------------------------------------


@transaction.atomic
def case_share(
    *,
    case: Case,
    organisation: Organisation,
    by: Any,
    reason: str,
    override_consent: bool = False,
) -> CaseShare:
    if organisation.kind == OrganisationKind.POLICE_AHTC:
        raise CaseError(_("Use a transfer to hand a case to another cell."))
    if not reason.strip():
        raise CaseError(_("Say why the agency needs the case."))
    existing = case.shares.filter(organisation=organisation, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    _consent_gate(
        case=case,
        by=by,
        purpose=ConsentPurpose.SHARING,
        organisation=organisation,
        override=override_consent,
        reason=reason,
    )
    share = CaseShare.objects.create(
        case=case, organisation=organisation, reason=reason.strip()[:300], shared_by=by
    )
    _audit(by, case, f"shared with organisation {organisation.pk}")
    return share


@transaction.atomic
def share_revoke(*, share: CaseShare, by: Any, why: str = "revoked") -> CaseShare:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.revoked_by = by
        share.save(update_fields=["revoked_at", "revoked_by"])
        _audit(by, share.case, f"share with organisation {share.organisation_id} {why}")
    return share


@transaction.atomic
def handover_create(
    *,
    case: Case,
    by: Any,
    kind: str,
    reason: str,
    to_user: Any = None,
    to_organisation: Organisation | None = None,
    override_consent: bool = False,
) -> Handover:
    if not reason.strip():
        raise CaseError(_("Give a reason."))
    if case.handovers.filter(status=HandoverStatus.PENDING, kind=kind).exists():
        raise CaseError(_("A handover of this kind is already waiting for an answer."))
    overridden = False
    if kind == HandoverKind.ASSIGN:
        scope = user_scope(to_user) if to_user is not None else None
        if scope is None or not (
            scope.permits(Perm.INVESTIGATE, case.district)
            or scope.permits(Perm.MANAGE_CASES, case.district)
        ):
            raise CaseError(_("Choose an officer who may investigate in this district."))
        to_organisation = None
    elif kind == HandoverKind.TRANSFER:
        if (
            to_organisation is None
            or to_organisation.kind != OrganisationKind.POLICE_AHTC
            or to_organisation.area.level != "district"
            or to_organisation.area_id == case.district_id
        ):
            raise CaseError(_("Choose the anti-trafficking cell of another district."))
        to_user = None
    else:
        if to_organisation is None or to_organisation.kind == OrganisationKind.POLICE_AHTC:
            raise CaseError(_("Choose a partner agency."))
        overridden = _consent_gate(
            case=case,
            by=by,
            purpose=ConsentPurpose.SHARING,
            organisation=to_organisation,
            override=override_consent,
            reason=reason,
        )
        to_user = None
    handover = Handover.objects.create(
        case=case,
        consent_overridden=kind == HandoverKind.REFER and overridden,
        kind=kind,
        to_user=to_user,
        to_organisation=to_organisation,
        reason=reason.strip()[:500],
        by=by,
    )
    _audit(by, case, f"handover {kind} proposed")
    notify_handover(handover=handover, by=by)
    return handover


def may_answer(handover: Handover, user: Any) -> bool:
    if handover.status != HandoverStatus.PENDING:
        return False
    if handover.kind == HandoverKind.ASSIGN:
        return bool(handover.to_user_id == user.pk)
    if handover.to_organisation_id != user.organisation_id:
        return False
    scope = user_scope(user)
    if handover.kind == HandoverKind.TRANSFER:
        return scope.has_perm_anywhere(Perm.MANAGE_CASES)
    return scope.has_perm_anywhere(Perm.VIEW_SHARED) or scope.has_perm_anywhere(Perm.PROSECUTE)


@transaction.atomic
def handover_answer(*, handover: Handover, by: Any, accept: bool, reason: str = "") -> Handover:
    handover = Handover.objects.select_for_update().get(pk=handover.pk)
    if not may_answer(handover, by):
        raise CaseError(_("This handover is not waiting for your answer."))
    if not accept and not reason.strip():
        raise CaseError(_("Say why you reject it."))
    if (
        accept
        and handover.kind == HandoverKind.REFER
        and not handover.consent_overridden
        and missing_consent(handover.case, ConsentPurpose.SHARING, handover.to_organisation)
    ):
        raise CaseError(
            _(
                "The victim's consent to share was withdrawn after this referral was sent; "
                "it cannot be accepted. Ask the cell."
            )
        )
    handover.status = HandoverStatus.ACCEPTED if accept else HandoverStatus.REJECTED
    handover.answer_reason = reason.strip()[:500]
    handover.answered_by = by
    handover.answered_at = timezone.now()
    handover.save()
    case = Case.objects.select_for_update().select_related("district").get(pk=handover.case_id)
    if accept and handover.kind == HandoverKind.ASSIGN:
        case.lead_officer = by
        case.save(update_fields=["lead_officer", "updated_at"])
    elif accept and handover.kind == HandoverKind.TRANSFER:
        assert handover.to_organisation is not None  # noqa: S101 - checked on create
        case.district = handover.to_organisation.area
        case.lead_officer = None
        case.save(update_fields=["district", "lead_officer", "updated_at"])
    elif accept and handover.kind == HandoverKind.REFER:
        assert handover.to_organisation is not None  # noqa: S101 - checked on create
        if not case.shares.filter(
            organisation=handover.to_organisation, revoked_at__isnull=True
        ).exists():
            CaseShare.objects.create(
                case=case,
                organisation=handover.to_organisation,
                reason=handover.reason[:300],
                shared_by=handover.by,
            )
    _audit(by, case, f"handover {handover.kind} {handover.status}")
    return handover


# --- evidence and tasks ----------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceFile:
    """A checked evidence file, stored (sealed) under `stored_name`."""

    stored_name: str
    kind: str
    size: int
    sha256: str
    scan: ScanStatus


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    by: Any,
    kind: str,
    description: str,
    holder: str,
    data: bytes | None = None,
    upload: SealedUpload | None = None,
) -> Evidence:
    """Files pass the checks citizens' files pass (type by content, no
    polyglot, no virus: portal/files.py) but are stored encrypted and never
    re-encoded: the SHA-256 is of the bytes as received, so the chain of
    custody can prove they did not change. `upload` is a file sealed to
    storage as it arrived (any size up to AHTC_MAX_EVIDENCE_BYTES, video
    included), `data` one held in memory (small files: demo, imports)."""
    if not description.strip():
        raise CaseError(_("Describe the item."))
    stored = _evidence_upload(upload) if upload else _evidence_bytes(data) if data else None
    evidence = Evidence.objects.create(
        case=case,
        number=_next_number(case.evidence),
        kind=kind,
        description=description,
        stored_name=stored.stored_name if stored else "",
        content_type=stored.kind if stored else "",
        size=stored.size if stored else None,
        sha256=stored.sha256 if stored else "",
        original_sha256=stored.sha256 if stored else "",
        scan_status=stored.scan if stored else ScanStatus.NOT_SCANNED,
        added_by=by,
    )
    if upload:
        upload.claim()
    CustodyEntry.objects.create(evidence=evidence, action="collected", holder=holder, by=by)
    _audit(by, case, "evidence added", AuditAction.CREATE)
    return evidence


def _evidence_upload(upload: SealedUpload) -> EvidenceFile:
    """Checked by its first and last bytes; scanned by streaming it back from
    storage (after arrival: see docs/storage.md). A refused file is never
    claimed, so it is deleted at the end of the request (core/uploads.py)."""
    if upload.sealed is None:
        raise CaseError(_evidence_too_large(), refusal="evidence file refused: too large")
    with _refused_as_case_error():
        kind = check_evidence_edges(upload.head, upload.tail)
        scan = scan_stored(upload.sealed.name)
    sealed = upload.sealed
    return EvidenceFile(sealed.name, kind, sealed.size, sealed.sha256, scan)


def _evidence_bytes(data: bytes) -> EvidenceFile:
    if len(data) > settings.AHTC_MAX_EVIDENCE_BYTES:
        raise CaseError(_evidence_too_large(), refusal="evidence file refused: too large")
    with _refused_as_case_error():
        kind = check_evidence_edges(data, data[-EDGE_BYTES:])
        scan = scan_received(data)
    stored = file_store().save_bytes(data)
    return EvidenceFile(stored.name, kind, stored.size, stored.sha256, scan)


def _evidence_too_large() -> str:
    limit = filesizeformat(settings.AHTC_MAX_EVIDENCE_BYTES)
    return _("Evidence files can be up to %(limit)s; this one is larger.") % {"limit": limit}


@contextmanager
def _refused_as_case_error() -> Iterator[None]:
    try:
        yield
    except FileRejectedError as exc:
        # Audited by the view as a refused attempt: an officer sent a bad file.
        refusal = f"evidence file refused: {exc.reason or 'file checks'}"
        raise CaseError(str(exc), refusal=refusal) from exc


@transaction.atomic
def custody_add(
    *, evidence: Evidence, by: Any, action: str, holder: str, note: str = ""
) -> CustodyEntry:
    if not holder.strip():
        raise CaseError(_("Say who holds the item now."))
    entry = CustodyEntry.objects.create(
        evidence=evidence, action=action, holder=holder.strip(), note=note.strip(), by=by
    )
    _audit(by, evidence.case, f"custody {action}")
    return entry


@transaction.atomic
def task_add(*, case: Case, by: Any, title: str, assignee: Any, due: dt.date) -> Task:
    scope = user_scope(assignee)
    if not any(
        scope.permits(p, case.district)
        for p in (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED, Perm.PROSECUTE)
    ):
        raise CaseError(_("Choose someone who works on cases in this district."))
    task = Task.objects.create(case=case, title=title, assignee=assignee, due=due, added_by=by)
    _audit(by, case, "task added")
    notify_task_assigned(task=task, by=by)
    return task


@transaction.atomic
def task_done(*, task: Task, by: Any) -> Task:
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = by
        task.save(update_fields=["done_at", "done_by", "updated_at"])
        _audit(by, task.case, "task done")
    return task


@transaction.atomic
def saved_search_save(*, user: Any, name: str, query: str) -> SavedSearch:
    name = name.strip()[:80]
    if not name:
        raise CaseError(_("Give the search a name."))
    search, _created = SavedSearch.objects.update_or_create(
        user=user, name=name, defaults={"query": query[:500]}
    )
    return search
