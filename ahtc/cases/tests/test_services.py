"""Writes on cases: numbering, parties, classification, the status workflow and
its prerequisites, the consent gate, handovers, proceedings, evidence, tasks."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.cases import services
from ahtc.cases.classification import Agency, Answers, Classification, Flag, legacy_answers, suggest
from ahtc.cases.models import (
    Case,
    CaseShare,
    ChallanItemKind,
    ClassificationDecision,
    ConsentMethod,
    ConsentPurpose,
    CustodyEntry,
    HandoverKind,
    HandoverStatus,
    LegalProvision,
    Origin,
    PartyRole,
    Status,
    StatusChange,
    VerdictOutcome,
)
from ahtc.cases.services import TRANSITIONS, CaseError
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area, PoliceStation
from ahtc.people.models import Person
from ahtc.portal.files import read_decrypted
from ahtc.portal.models import TipStatus
from ahtc.portal.services import tip_submit

from .conftest import ADULT_LABOUR, CONSENT_DATE, FIR_DATE, Flow

if TYPE_CHECKING:
    from ahtc.portal.models import Tip

    from .conftest import Flow

pytestmark = pytest.mark.django_db

MakeCase = Callable[..., Case]
MakePerson = Callable[..., Person]


def make_tip(district: str = "PK620") -> Tip:
    return tip_submit(
        client_token=uuid.uuid4().hex,
        category="forced_labour",
        district=Area.objects.get(code=district),
        tehsil=None,
        description="A family is kept at a kiln to repay an advance.",
        child_involved="unknown",
    ).tip


# --- opening and numbering -------------------------------------------------------------------


class TestCaseOpen:
    def test_numbers_run_per_district_and_year(
        self, make_case: MakeCase, gujrat: Area, officer_gujrat: User
    ) -> None:
        first = make_case(opened_on=dt.date(2025, 1, 5))
        second = make_case(opened_on=dt.date(2025, 6, 5))
        elsewhere = make_case(district=gujrat, by=officer_gujrat, opened_on=dt.date(2025, 7, 1))
        next_year = make_case(opened_on=dt.date(2026, 1, 2))
        assert first.reference == "MBD-2025-0001"
        assert second.reference == "MBD-2025-0002"
        assert elsewhere.reference == "GRT-2025-0001"
        assert next_year.reference == "MBD-2026-0001"
        assert (second.district.code, second.year, second.number) == ("PK620", 2025, 2)
        first.refresh_from_db()
        assert timezone.localtime(first.created_at).date() == dt.date(2025, 1, 5)

    def test_year_defaults_to_today(self, make_case: MakeCase) -> None:
        case = make_case()
        assert case.reference == f"MBD-{timezone.localdate().year}-0001"
        assert case.status == Status.REPORTED
        assert AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk), reason="opened from walk_in"
        ).exists()

    def test_reference_is_unique(self, case: Case, officer_mbdin: User) -> None:
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.create(
                reference=case.reference,
                district=case.district,
                year=case.year,
                number=case.number + 1,
                title="Copy",
                origin=Origin.WALK_IN,
                opened_by=officer_mbdin,
            )

    def test_tip_origin_requires_a_tip(self, make_case: MakeCase) -> None:
        with pytest.raises(CaseError, match="citizen report"):
            make_case(origin=Origin.TIP)
        assert not Case.objects.exists()

    def test_tip_of_another_district_is_refused(self, make_case: MakeCase) -> None:
        with pytest.raises(CaseError, match="another district"):
            make_case(origin=Origin.TIP, tip=make_tip("PK610"))

    def test_tip_is_linked(self, make_case: MakeCase) -> None:
        tip = make_tip()
        case = make_case(origin=Origin.TIP, tip=tip)
        tip.refresh_from_db()
        assert case.tip == tip
        assert tip.status == TipStatus.LINKED

    def test_referral_names_the_agency(
        self, make_case: MakeCase, make_org: Callable[..., Organisation]
    ) -> None:
        with pytest.raises(CaseError, match="referred"):
            make_case(origin=Origin.REFERRAL)
        ngo = make_org(kind=OrganisationKind.NGO)
        assert make_case(origin=Origin.REFERRAL, referred_by=ngo).referred_by == ngo


# --- parties ------------------------------------------------------------------------------------


class TestParties:
    def test_victim_cannot_become_a_suspect(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        person = make_person()
        services.party_add(case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=person)
        with pytest.raises(CaseError, match="cannot be made a suspect"):
            services.party_add(case=case, by=officer_mbdin, role=PartyRole.RECRUITER, person=person)
        assert case.parties.count() == 1

    def test_smuggled_migrant_cannot_become_a_smuggler(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        person = make_person()
        services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.SMUGGLED_MIGRANT, person=person
        )
        with pytest.raises(CaseError, match="cannot be made a suspect"):
            services.party_add(case=case, by=officer_mbdin, role=PartyRole.SMUGGLER, person=person)

    def test_suspect_cannot_become_a_victim(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        person = make_person()
        services.party_add(case=case, by=officer_mbdin, role=PartyRole.EXPLOITER, person=person)
        for role in (PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT):
            with pytest.raises(CaseError, match="is a suspect"):
                services.party_add(case=case, by=officer_mbdin, role=role, person=person)

    def test_same_role_twice_is_refused(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        person = make_person()
        services.party_add(case=case, by=officer_mbdin, role=PartyRole.WITNESS, person=person)
        with pytest.raises(CaseError, match="already has that role"):
            services.party_add(case=case, by=officer_mbdin, role=PartyRole.WITNESS, person=person)

    def test_victim_may_also_be_witness_and_complainant(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        person = make_person()
        for role in (PartyRole.VICTIM, PartyRole.COMPLAINANT, PartyRole.WITNESS):
            services.party_add(case=case, by=officer_mbdin, role=role, person=person)
        assert case.parties.count() == 3

    def test_same_person_may_be_victim_in_one_case_and_suspect_in_another(
        self, make_case: MakeCase, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        person = make_person()
        services.party_add(case=make_case(), by=officer_mbdin, role=PartyRole.VICTIM, person=person)
        party = services.party_add(
            case=make_case(), by=officer_mbdin, role=PartyRole.RECRUITER, person=person
        )
        assert party.is_suspect

    def test_numbers_and_pseudonyms(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        victim = services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person()
        )
        agency = services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.BROKER, organisation_name=" Star Travels "
        )
        witness = services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.WITNESS, person=make_person()
        )
        assert (victim.number, agency.number, witness.number) == (1, 2, 3)
        assert victim.pseudonym == f"{case.reference}-V1"
        assert agency.pseudonym == f"{case.reference}-S2"
        assert witness.pseudonym == f"{case.reference}-W3"
        assert agency.organisation_name == "Star Travels"

    def test_person_or_organisation_is_needed(self, case: Case, officer_mbdin: User) -> None:
        with pytest.raises(CaseError):
            services.party_add(
                case=case, by=officer_mbdin, role=PartyRole.BROKER, organisation_name="  "
            )

    def test_only_a_suspect_is_warned_or_arrested(
        self, case: Case, officer_mbdin: User, make_person: MakePerson
    ) -> None:
        victim = services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person()
        )
        with pytest.raises(CaseError):
            services.party_mark_warned(party=victim, by=officer_mbdin)
        with pytest.raises(CaseError):
            services.arrest_add(party=victim, by=officer_mbdin, date=dt.date(2024, 3, 6))
        suspect = services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.TRANSPORTER, person=make_person()
        )
        assert services.party_mark_warned(party=suspect, by=officer_mbdin).questioned_and_warned
        services.arrest_add(party=suspect, by=officer_mbdin, date=dt.date(2024, 3, 6))
        assert suspect.arrests.count() == 1


# --- classification --------------------------------------------------------------------------


class TestClassificationDecide:
    def test_following_the_suggestion_stores_everything(
        self, case: Case, officer_mbdin: User
    ) -> None:
        decision = services.classification_decide(
            case=case,
            by=officer_mbdin,
            answers=ADULT_LABOUR,
            classification=Classification.TRAFFICKING_ADULT,
            agency=Agency.POLICE,
            provision_codes=["PTPA-3-1", "PTPA-3-1", "PTPA-4"],
        )
        decision.refresh_from_db()
        suggestion = suggest(ADULT_LABOUR)
        assert decision.rules == [2]
        # The case's offence date is part of what the assistant was given.
        stored = Answers.from_json(decision.answers)
        assert stored.offence_date == case.offence_date
        assert stored.facts == ADULT_LABOUR.facts
        assert decision.suggested_classification == Classification.TRAFFICKING_ADULT
        assert decision.suggested_agency == Agency.POLICE
        assert decision.suggested_provisions == suggestion.provisions
        assert decision.flags == suggestion.flags
        assert decision.engine_version
        assert not decision.overridden
        assert sorted(decision.provisions.values_list("code", flat=True)) == [
            "PTPA-3-1",
            "PTPA-4",
        ]
        case.refresh_from_db()
        assert case.classification == Classification.TRAFFICKING_ADULT
        assert case.agency == Agency.POLICE

    @pytest.mark.parametrize(
        ("classification", "agency"),
        [
            (Classification.BONDED_LABOUR, Agency.POLICE),
            (Classification.TRAFFICKING_ADULT, Agency.FIA),
        ],
    )
    def test_departing_needs_a_reason(
        self, case: Case, officer_mbdin: User, classification: str, agency: str
    ) -> None:
        def decide(reason: str) -> ClassificationDecision:
            return services.classification_decide(
                case=case,
                by=officer_mbdin,
                answers=ADULT_LABOUR,
                classification=classification,
                agency=agency,
                provision_codes=["BLSA-11"],
                override_reason=reason,
            )

        for reason in ("", "   "):
            with pytest.raises(CaseError, match="give the reason"):
                decide(reason)
        assert not ClassificationDecision.objects.exists()
        case.refresh_from_db()
        assert case.classification == ""
        decision = decide(" The debt was paid off; no restraint. ")
        assert decision.overridden
        assert decision.override_reason == "The debt was paid off; no restraint."
        assert decision.suggested_classification == Classification.TRAFFICKING_ADULT
        assert decision.classification == classification

    def test_section_not_in_force_on_the_offence_date_is_refused(
        self, case: Case, officer_mbdin: User
    ) -> None:
        with pytest.raises(CaseError, match="PPC-369A"):
            services.classification_decide(
                case=case,
                by=officer_mbdin,
                answers=ADULT_LABOUR,
                classification=Classification.TRAFFICKING_ADULT,
                agency=Agency.POLICE,
                provision_codes=["PTPA-3-1", "PPC-369A"],
            )
        assert not ClassificationDecision.objects.exists()

    def test_old_offence_gets_the_old_law(self, make_case: MakeCase, officer_mbdin: User) -> None:
        case = make_case(offence_date=dt.date(2017, 5, 1))
        with pytest.raises(CaseError, match="PTPA-3-1"):
            services.classification_decide(
                case=case,
                by=officer_mbdin,
                answers=ADULT_LABOUR,
                classification=Classification.TRAFFICKING_ADULT,
                agency=Agency.POLICE,
                provision_codes=["PTPA-3-1"],
            )
        decision = services.classification_decide(
            case=case,
            by=officer_mbdin,
            answers=ADULT_LABOUR,
            classification=Classification.TRAFFICKING_ADULT,
            agency=Agency.POLICE,
            provision_codes=["PPC-369A"],
        )
        assert list(decision.provisions.values_list("code", flat=True)) == ["PPC-369A"]

    def test_labour_violation_despite_forced_labour_flag_needs_a_reason(
        self, case: Case, officer_mbdin: User
    ) -> None:
        answers = legacy_answers(labour={"no_contract"}, ilo={"documents"})
        assert Flag.POSSIBLE_FORCED_LABOUR in suggest(answers).flags

        def decide(reason: str) -> ClassificationDecision:
            return services.classification_decide(
                case=case,
                by=officer_mbdin,
                answers=answers,
                classification=Classification.LABOUR_VIOLATION,
                agency=Agency.LABOUR,
                provision_codes=["PRECA-11"],
                override_reason=reason,
            )

        with pytest.raises(CaseError, match="Forced-labour indicators were found"):
            decide("")
        decision = decide("The employer returned the CNICs the same day.")
        assert Flag.POSSIBLE_FORCED_LABOUR in decision.flags
        assert decision.rules == [10, 11]

    def test_plain_labour_violation_needs_no_reason(self, case: Case, officer_mbdin: User) -> None:
        answers = legacy_answers(labour={"no_contract"})
        decision = services.classification_decide(
            case=case,
            by=officer_mbdin,
            answers=answers,
            classification=Classification.LABOUR_VIOLATION,
            agency=Agency.LABOUR,
            provision_codes=["PRECA-11"],
        )
        assert decision.rules == [10]
        assert not decision.overridden


# --- the status workflow -------------------------------------------------------------------

ALLOWED = sorted((start, to) for start, targets in TRANSITIONS.items() for to in targets)


def test_transition_table_reaches_every_status() -> None:
    reached = {to for _start, to in ALLOWED} | {Status.REPORTED}
    assert reached == set(Status)


@pytest.mark.parametrize(("start", "to"), ALLOWED)
def test_every_allowed_transition(flow: Flow, case: Case, start: str, to: str) -> None:
    flow.reach(case, start)
    note = flow.prepare(case, to)
    assert services.transition_problems(case, to) == []
    assert to in services.allowed_transitions(case)
    flow.move(case, to, note=note)
    assert case.status == to
    change = StatusChange.objects.filter(case=case).first()
    assert change is not None
    assert (change.from_status, change.to_status, change.by) == (start, to, flow.officer)
    assert not change.consent_override
    assert AuditEvent.objects.filter(
        object_id=str(case.pk), reason=f"status {start} -> {to}"
    ).exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.REPORTED, Status.TRIAL),
        (Status.REPORTED, Status.INVESTIGATION),
        (Status.REPORTED, Status.CONVICTED),
        (Status.REPORTED, Status.REPORTED),
        (Status.INQUIRY, Status.INVESTIGATION),
        (Status.INQUIRY, Status.REPORTED),
        (Status.FIR_REGISTERED, Status.CLOSED_NO_OFFENCE),
        (Status.FIR_REGISTERED, Status.CHALLAN_SUBMITTED),
        (Status.INVESTIGATION, Status.TRIAL),
        (Status.CHALLAN_SUBMITTED, Status.CONVICTED),
        (Status.TRIAL, Status.INVESTIGATION),
    ],
)
def test_refused_transitions(flow: Flow, case: Case, start: str, to: str) -> None:
    flow.reach(case, start)
    with pytest.raises(CaseError, match="cannot go to"):
        flow.move(case, to, note="Trying anyway")
    assert case.status == start


@pytest.mark.parametrize(
    "closed",
    [
        Status.CONVICTED,
        Status.ACQUITTED,
        Status.COMPOUNDED,
        Status.WITHDRAWN,
        Status.CLOSED_NO_OFFENCE,
        Status.TRANSFERRED_FIA,
    ],
)
def test_closed_case_goes_nowhere(flow: Flow, case: Case, closed: str) -> None:
    Case.objects.filter(pk=case.pk).update(status=closed)
    case.refresh_from_db()
    assert case.is_closed
    assert services.allowed_transitions(case) == []
    for to in Status:
        with pytest.raises(CaseError, match="cannot go to"):
            flow.move(case, to, note="Reopen")
    assert not StatusChange.objects.exists()


class TestPrerequisites:
    def test_fir_and_classification_before_fir_registered(self, flow: Flow, case: Case) -> None:
        with pytest.raises(CaseError) as caught:
            flow.move(case, Status.FIR_REGISTERED)
        assert "Record the FIR first" in str(caught.value)
        assert "Classify the case first" in str(caught.value)
        flow.fir(case)
        with pytest.raises(CaseError, match="Classify the case first"):
            flow.move(case, Status.FIR_REGISTERED)
        flow.classify(case)
        assert flow.move(case, Status.FIR_REGISTERED).status == Status.FIR_REGISTERED

    def test_classification_alone_is_not_enough(self, flow: Flow, case: Case) -> None:
        flow.classify(case)
        with pytest.raises(CaseError, match="Record the FIR first"):
            flow.move(case, Status.FIR_REGISTERED)

    def test_lead_officer_before_investigation(self, flow: Flow, case: Case) -> None:
        flow.reach(case, Status.FIR_REGISTERED)
        with pytest.raises(CaseError, match="investigating officer"):
            flow.move(case, Status.INVESTIGATION)
        flow.assign(case)
        assert case.lead_officer == flow.io
        flow.move(case, Status.INVESTIGATION)
        assert set(case.challan_items.values_list("kind", flat=True)) == set(ChallanItemKind)

    def test_accused_and_io_checklist_before_challan(self, flow: Flow, case: Case) -> None:
        flow.reach(case, Status.INVESTIGATION)
        items = list(case.challan_items.all())
        for item in items:
            services.challan_io_done(item=item, by=flow.io)
        with pytest.raises(CaseError, match="at least one accused"):
            flow.move(case, Status.CHALLAN_SUBMITTED)
        flow.suspect(case)
        services.challan_prosecutor_answer(
            item=items[0], by=flow.prosecutor, accept=False, objection="Medical report missing"
        )
        with pytest.raises(CaseError, match="challan checklist"):
            flow.move(case, Status.CHALLAN_SUBMITTED)
        flow.io_complete_challan(case)
        assert flow.move(case, Status.CHALLAN_SUBMITTED).status == Status.CHALLAN_SUBMITTED

    def test_checklist_fixed_once_the_case_is_closed(self, flow: Flow, case: Case) -> None:
        # Open cases take the IO's work in any status (issue 10: a returned item
        # is answered without moving the case back); closed ones keep their record.
        flow.reach(case, Status.INVESTIGATION)
        item = case.challan_items.first()
        assert item is not None
        flow.prepare(case, Status.WITHDRAWN)
        flow.move(case, Status.WITHDRAWN, note="Complainant withdrew")
        with pytest.raises(CaseError, match="closed"):
            services.challan_io_done(item=item, by=flow.io)

    def test_prosecutor_accepts_every_item_before_trial(self, flow: Flow, case: Case) -> None:
        flow.reach(case, Status.CHALLAN_SUBMITTED)
        first, *rest = list(case.challan_items.all())
        for item in rest:
            services.challan_prosecutor_answer(item=item, by=flow.prosecutor, accept=True)
        with pytest.raises(CaseError, match="prosecutor has not accepted"):
            flow.move(case, Status.TRIAL, by=flow.prosecutor, as_prosecutor=True)
        with pytest.raises(CaseError, match="Say what is missing"):
            services.challan_prosecutor_answer(item=first, by=flow.prosecutor, accept=False)
        services.challan_prosecutor_answer(item=first, by=flow.prosecutor, accept=True)
        flow.move(case, Status.TRIAL, by=flow.prosecutor, as_prosecutor=True)
        assert case.status == Status.TRIAL

    def test_objection_sends_the_item_back_to_the_io(self, flow: Flow, case: Case) -> None:
        flow.reach(case, Status.CHALLAN_SUBMITTED)
        item = case.challan_items.get(kind=ChallanItemKind.MEDICAL)
        services.challan_prosecutor_answer(
            item=item, by=flow.prosecutor, accept=False, objection="  Report unsigned  "
        )
        item.refresh_from_db()
        assert item.io_done_at is None
        assert item.prosecutor_ok_at is None
        assert item.objection == "Report unsigned"
        with pytest.raises(CaseError, match="not completed"):
            services.challan_prosecutor_answer(item=item, by=flow.prosecutor, accept=True)

    def test_prosecutor_moves_only_court_steps(self, flow: Flow, case: Case) -> None:
        with pytest.raises(CaseError, match="prosecutor cannot"):
            flow.move(case, Status.INQUIRY, by=flow.prosecutor, as_prosecutor=True)
        assert case.status == Status.REPORTED
        flow.reach(case, Status.CHALLAN_SUBMITTED)
        flow.move(case, Status.INVESTIGATION, by=flow.prosecutor, as_prosecutor=True)
        assert case.status == Status.INVESTIGATION

    def test_verdicts_before_conviction_or_acquittal(self, flow: Flow, case: Case) -> None:
        flow.reach(case, Status.TRIAL)
        for to in (Status.CONVICTED, Status.ACQUITTED):
            with pytest.raises(CaseError, match=r"verdict|acquittal"):
                flow.move(case, to)
        with pytest.raises(CaseError, match="compounding"):
            flow.move(case, Status.COMPOUNDED, note="Settled")
        first = next(p for p in case.parties.all() if p.is_suspect)
        second = flow.suspect(case, PartyRole.FINANCIER)
        flow.verdict(case, VerdictOutcome.ACQUITTED, party=first)
        with pytest.raises(CaseError, match="conviction"):
            flow.move(case, Status.CONVICTED)
        # One accused acquitted, the other not yet judged: not an acquittal.
        with pytest.raises(CaseError, match="every accused"):
            flow.move(case, Status.ACQUITTED)
        flow.verdict(case, VerdictOutcome.CONVICTED, party=second)
        with pytest.raises(CaseError, match="every accused"):
            flow.move(case, Status.ACQUITTED)
        assert flow.move(case, Status.CONVICTED).status == Status.CONVICTED

    def test_acquittal_of_every_accused(self, flow: Flow, case: Case) -> None:
        flow.reach(case, Status.TRIAL)
        second = flow.suspect(case, PartyRole.FINANCIER)
        flow.verdict(case, VerdictOutcome.ACQUITTED)
        flow.verdict(case, VerdictOutcome.ACQUITTED, party=second)
        assert flow.move(case, Status.ACQUITTED).status == Status.ACQUITTED

    def test_accepted_fia_referral_before_transfer(
        self, flow: Flow, case: Case, labour_liaison: User
    ) -> None:
        assert flow.fia_liaison.organisation is not None
        assert labour_liaison.organisation is not None
        with pytest.raises(CaseError, match="Refer the case to FIA"):
            flow.move(case, Status.TRANSFERRED_FIA)
        # An accepted referral to another agency does not count.
        to_labour = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Kiln inspection",
            to_organisation=labour_liaison.organisation,
        )
        services.handover_answer(handover=to_labour, by=labour_liaison, accept=True)
        to_fia = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Victims were taken abroad",
            to_organisation=flow.fia_liaison.organisation,
        )
        with pytest.raises(CaseError, match="Refer the case to FIA"):
            flow.move(case, Status.TRANSFERRED_FIA)
        services.handover_answer(
            handover=to_fia, by=flow.fia_liaison, accept=False, reason="Not our circle"
        )
        with pytest.raises(CaseError, match="Refer the case to FIA"):
            flow.move(case, Status.TRANSFERRED_FIA)
        flow.refer_to_fia(case)
        assert flow.move(case, Status.TRANSFERRED_FIA).status == Status.TRANSFERRED_FIA

    @pytest.mark.parametrize(
        ("start", "to"),
        [
            (Status.REPORTED, Status.CLOSED_NO_OFFENCE),
            (Status.INQUIRY, Status.CLOSED_NO_OFFENCE),
            (Status.INVESTIGATION, Status.WITHDRAWN),
            (Status.TRIAL, Status.WITHDRAWN),
        ],
    )
    def test_note_required_to_close(self, flow: Flow, case: Case, start: str, to: str) -> None:
        flow.reach(case, start)
        with pytest.raises(CaseError, match="reason in the note"):
            flow.move(case, to, note="  ")
        flow.move(case, to, note="Complainant traced; no offence")
        change = StatusChange.objects.filter(case=case).first()
        assert change is not None
        assert change.note == "Complainant traced; no offence"


# --- consent --------------------------------------------------------------------------------


class TestConsentGate:
    def ready(self, flow: Flow, case: Case) -> None:
        flow.fir(case)
        flow.classify(case)

    def test_fir_registration_needs_each_victims_statement_consent(
        self, flow: Flow, case: Case
    ) -> None:
        self.ready(flow, case)
        flow.victim(case, consents=(ConsentPurpose.STATEMENT,))
        second = flow.victim(case, consents=(ConsentPurpose.MEDICAL, ConsentPurpose.SHARING))
        with pytest.raises(CaseError, match=second.pseudonym):
            flow.move(case, Status.FIR_REGISTERED)
        assert case.status == Status.REPORTED
        services.consent_record(
            case=case,
            party=second,
            by=flow.officer,
            purpose=ConsentPurpose.STATEMENT,
            method=ConsentMethod.GUARDIAN,
            given_on=CONSENT_DATE,
        )
        flow.move(case, Status.FIR_REGISTERED)
        change = StatusChange.objects.get(case=case)
        assert not change.consent_override

    def test_withdrawn_consent_no_longer_counts(self, flow: Flow, case: Case) -> None:
        self.ready(flow, case)
        victim = flow.victim(case, consents=(ConsentPurpose.STATEMENT,))
        consent = victim.consents.get()
        services.consent_withdraw(consent=consent, by=flow.officer)
        with pytest.raises(CaseError, match="consent is not recorded"):
            flow.move(case, Status.FIR_REGISTERED)
        with pytest.raises(CaseError, match="already withdrawn"):
            services.consent_withdraw(consent=consent, by=flow.officer)

    def test_override_needs_the_permission_and_a_reason(
        self, flow: Flow, case: Case, dpo_mbdin: User
    ) -> None:
        self.ready(flow, case)
        flow.victim(case)
        with pytest.raises(CaseError, match="consent is not recorded"):
            flow.move(case, Status.FIR_REGISTERED, by=dpo_mbdin, note="Danger to others")
        # A cell officer may not override, whatever the reason.
        with pytest.raises(CaseError, match="allowed to override"):
            flow.move(case, Status.FIR_REGISTERED, override_consent=True, note="Danger to others")
        with pytest.raises(CaseError, match="written reason"):
            flow.move(case, Status.FIR_REGISTERED, by=dpo_mbdin, override_consent=True, note=" ")
        assert not AuditEvent.objects.filter(reason__startswith="consent override").exists()
        flow.move(
            case,
            Status.FIR_REGISTERED,
            by=dpo_mbdin,
            override_consent=True,
            note="The accused holds other children at the kiln",
        )
        assert case.status == Status.FIR_REGISTERED
        change = StatusChange.objects.get(case=case)
        assert change.consent_override
        assert change.by == dpo_mbdin
        event = AuditEvent.objects.get(reason__startswith="consent override")
        assert event.actor == dpo_mbdin
        assert event.object_id == str(case.pk)
        assert "The accused holds other children at the kiln" in event.reason

    def test_override_is_not_needed_without_victims(self, flow: Flow, case: Case) -> None:
        self.ready(flow, case)
        flow.move(case, Status.FIR_REGISTERED, override_consent=True)
        assert not StatusChange.objects.get(case=case).consent_override

    def test_challan_items_that_need_consent(self, flow: Flow, case: Case, dpo_mbdin: User) -> None:
        victim = flow.victim(case, consents=(ConsentPurpose.STATEMENT,))
        flow.reach(case, Status.INVESTIGATION)
        medical = case.challan_items.get(kind=ChallanItemKind.MEDICAL)
        with pytest.raises(CaseError, match=victim.pseudonym):
            services.challan_io_done(item=medical, by=flow.io)
        services.challan_io_done(
            item=medical, by=dpo_mbdin, override_consent=True, reason="Examined before rescue"
        )
        statement = case.challan_items.get(kind=ChallanItemKind.VICTIM_STATEMENT)
        assert services.challan_io_done(item=statement, by=flow.io).io_done_at is not None

    def test_consent_is_for_a_victim_of_this_case(
        self, flow: Flow, case: Case, make_case: MakeCase
    ) -> None:
        suspect = flow.suspect(case)
        with pytest.raises(CaseError, match="victim or smuggled migrant"):
            services.consent_record(
                case=case,
                party=suspect,
                by=flow.officer,
                purpose=ConsentPurpose.STATEMENT,
                method=ConsentMethod.WRITTEN,
                given_on=CONSENT_DATE,
            )
        victim = flow.victim(case)
        with pytest.raises(CaseError, match="victim or smuggled migrant"):
            services.consent_record(
                case=make_case(),
                party=victim,
                by=flow.officer,
                purpose=ConsentPurpose.STATEMENT,
                method=ConsentMethod.WRITTEN,
                given_on=CONSENT_DATE,
            )
        with pytest.raises(CaseError, match="future"):
            services.consent_record(
                case=case,
                party=victim,
                by=flow.officer,
                purpose=ConsentPurpose.STATEMENT,
                method=ConsentMethod.WRITTEN,
                given_on=timezone.localdate() + dt.timedelta(days=1),
            )

    def test_withdrawing_sharing_consent_revokes_shares_at_once(
        self, flow: Flow, case: Case, fia_org: Organisation, labour_liaison: User
    ) -> None:
        assert labour_liaison.organisation is not None
        victim = flow.victim(case, consents=(ConsentPurpose.STATEMENT, ConsentPurpose.SHARING))
        share = services.case_share(
            case=case, organisation=fia_org, by=flow.officer, reason="Route abroad"
        )
        other = services.case_share(
            case=case,
            organisation=labour_liaison.organisation,
            by=flow.officer,
            reason="Kiln inspection",
        )
        # Withdrawing the statement consent leaves sharing alone.
        services.consent_withdraw(
            consent=victim.consents.get(purpose=ConsentPurpose.STATEMENT), by=flow.officer
        )
        assert CaseShare.objects.filter(revoked_at__isnull=True).count() == 2
        revoked = services.consent_withdraw(
            consent=victim.consents.get(purpose=ConsentPurpose.SHARING), by=flow.officer
        )
        assert {s.pk for s in revoked} == {share.pk, other.pk}
        share.refresh_from_db()
        assert share.revoked_at is not None
        assert share.revoked_by == flow.officer
        assert not CaseShare.objects.filter(revoked_at__isnull=True).exists()

    def test_withdrawal_spares_shares_with_their_own_consent(
        self, flow: Flow, case: Case, fia_org: Organisation, labour_liaison: User
    ) -> None:
        labour = labour_liaison.organisation
        assert labour is not None
        victim = flow.victim(case)
        for org in (fia_org, labour):
            services.consent_record(
                case=case,
                party=victim,
                by=flow.officer,
                purpose=ConsentPurpose.SHARING,
                method=ConsentMethod.WRITTEN,
                given_on=CONSENT_DATE,
                organisation=org,
            )
            services.case_share(case=case, organisation=org, by=flow.officer, reason="Need")
        fia_consent = victim.consents.get(organisation=fia_org)
        revoked = services.consent_withdraw(consent=fia_consent, by=flow.officer)
        assert [s.organisation for s in revoked] == [fia_org]
        assert CaseShare.objects.get(revoked_at__isnull=True).organisation == labour

    def test_sharing_needs_consent_or_override(
        self, flow: Flow, case: Case, fia_org: Organisation, dpo_mbdin: User
    ) -> None:
        flow.victim(case)
        with pytest.raises(CaseError, match="consent is not recorded"):
            services.case_share(case=case, organisation=fia_org, by=flow.officer, reason="Need")
        share = services.case_share(
            case=case, organisation=fia_org, by=dpo_mbdin, reason="Need", override_consent=True
        )
        assert share.revoked_at is None
        # Sharing again returns the active share.
        again = services.case_share(
            case=case, organisation=fia_org, by=dpo_mbdin, reason="Need", override_consent=True
        )
        assert again == share

    def test_a_cell_is_not_shared_with(
        self, case: Case, officer_mbdin: User, officer_gujrat: User
    ) -> None:
        assert officer_gujrat.organisation is not None
        with pytest.raises(CaseError, match="transfer"):
            services.case_share(
                case=case,
                organisation=officer_gujrat.organisation,
                by=officer_mbdin,
                reason="Need",
            )


# --- handovers ------------------------------------------------------------------------------


class TestHandovers:
    def test_assign_accept_sets_the_lead_officer(self, flow: Flow, case: Case) -> None:
        handover = services.handover_create(
            case=case, by=flow.officer, kind=HandoverKind.ASSIGN, reason="Lead", to_user=flow.io
        )
        assert services.may_answer(handover, flow.io)
        assert not services.may_answer(handover, flow.officer)
        with pytest.raises(CaseError, match="already waiting"):
            services.handover_create(
                case=case,
                by=flow.officer,
                kind=HandoverKind.ASSIGN,
                reason="Again",
                to_user=flow.io,
            )
        with pytest.raises(CaseError, match="not waiting for your answer"):
            services.handover_answer(handover=handover, by=flow.officer, accept=True)
        answered = services.handover_answer(handover=handover, by=flow.io, accept=True)
        assert answered.status == HandoverStatus.ACCEPTED
        assert answered.answered_by == flow.io
        case.refresh_from_db()
        assert case.lead_officer == flow.io
        with pytest.raises(CaseError, match="not waiting for your answer"):
            services.handover_answer(handover=handover, by=flow.io, accept=False, reason="No")

    def test_reject_needs_a_reason(self, flow: Flow, case: Case) -> None:
        handover = services.handover_create(
            case=case, by=flow.officer, kind=HandoverKind.ASSIGN, reason="Lead", to_user=flow.io
        )
        with pytest.raises(CaseError, match="why you reject"):
            services.handover_answer(handover=handover, by=flow.io, accept=False, reason=" ")
        answered = services.handover_answer(
            handover=handover, by=flow.io, accept=False, reason="On leave"
        )
        assert answered.status == HandoverStatus.REJECTED
        assert answered.answer_reason == "On leave"
        case.refresh_from_db()
        assert case.lead_officer is None

    def test_assign_only_to_someone_who_may_investigate_here(
        self, case: Case, officer_mbdin: User, officer_gujrat: User, fia_liaison: User
    ) -> None:
        for user in (officer_gujrat, fia_liaison, None):
            with pytest.raises(CaseError, match="may investigate"):
                services.handover_create(
                    case=case,
                    by=officer_mbdin,
                    kind=HandoverKind.ASSIGN,
                    reason="Lead",
                    to_user=user,
                )

    def test_reason_is_required(self, flow: Flow, case: Case) -> None:
        with pytest.raises(CaseError, match="Give a reason"):
            services.handover_create(
                case=case, by=flow.officer, kind=HandoverKind.ASSIGN, reason="", to_user=flow.io
            )

    def test_refer_to_fia_needs_sharing_consent(
        self, flow: Flow, case: Case, fia_org: Organisation
    ) -> None:
        victim = flow.victim(case, consents=(ConsentPurpose.STATEMENT,))
        with pytest.raises(CaseError, match="consent is not recorded"):
            services.handover_create(
                case=case,
                by=flow.officer,
                kind=HandoverKind.REFER,
                reason="Route abroad",
                to_organisation=fia_org,
            )
        services.consent_record(
            case=case,
            party=victim,
            by=flow.officer,
            purpose=ConsentPurpose.SHARING,
            method=ConsentMethod.WRITTEN,
            given_on=CONSENT_DATE,
            organisation=fia_org,
        )
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Route abroad",
            to_organisation=fia_org,
        )
        assert not CaseShare.objects.exists()
        services.handover_answer(handover=handover, by=flow.fia_liaison, accept=True)
        share = CaseShare.objects.get()
        assert (share.case, share.organisation, share.shared_by) == (case, fia_org, flow.officer)
        assert share.revoked_at is None

    def test_only_the_addressed_agency_answers_a_referral(
        self, flow: Flow, case: Case, fia_org: Organisation, labour_liaison: User
    ) -> None:
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Route abroad",
            to_organisation=fia_org,
        )
        for outsider in (labour_liaison, flow.officer):
            with pytest.raises(CaseError, match="not waiting for your answer"):
                services.handover_answer(handover=handover, by=outsider, accept=True)
        assert not CaseShare.objects.exists()

    def test_refer_only_to_a_partner_agency(
        self, flow: Flow, case: Case, officer_gujrat: User
    ) -> None:
        for org in (officer_gujrat.organisation, None):
            with pytest.raises(CaseError, match="partner agency"):
                services.handover_create(
                    case=case,
                    by=flow.officer,
                    kind=HandoverKind.REFER,
                    reason="Route",
                    to_organisation=org,
                )

    def test_transfer_to_gujrat_moves_the_case(
        self, flow: Flow, case: Case, officer_gujrat: User, gujrat: Area
    ) -> None:
        cell = officer_gujrat.organisation
        assert cell is not None
        flow.assign(case)
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.TRANSFER,
            reason="The kiln is in Kharian",
            to_organisation=cell,
        )
        for outsider in (flow.officer, flow.io, flow.fia_liaison):
            with pytest.raises(CaseError, match="not waiting for your answer"):
                services.handover_answer(handover=handover, by=outsider, accept=True)
        services.handover_answer(handover=handover, by=officer_gujrat, accept=True)
        case.refresh_from_db()
        assert case.district == gujrat
        assert case.lead_officer is None
        # The reference stays what it was: it is printed on the file.
        assert case.reference.startswith("MBD-")

    def test_transfer_only_to_another_districts_cell(
        self,
        flow: Flow,
        case: Case,
        officer_mbdin: User,
        fia_org: Organisation,
        make_org: Callable[..., Organisation],
    ) -> None:
        tehsil_cell = make_org(kind=OrganisationKind.POLICE_AHTC, area="PK62001")
        for org in (officer_mbdin.organisation, fia_org, tehsil_cell, None):
            with pytest.raises(CaseError, match="another district"):
                services.handover_create(
                    case=case,
                    by=flow.officer,
                    kind=HandoverKind.TRANSFER,
                    reason="Move",
                    to_organisation=org,
                )


# --- proceedings --------------------------------------------------------------------------


class TestFir:
    def test_fir_is_recorded_with_sections(
        self, case: Case, officer_mbdin: User, station: PoliceStation
    ) -> None:
        fir = services.fir_add(
            case=case,
            by=officer_mbdin,
            number=" 101/2024 ",
            date=FIR_DATE,
            police_station=station,
            provision_codes=["PTPA-3-1", "PPC-374"],
        )
        assert fir.number == "101/2024"
        assert sorted(fir.provisions.values_list("code", flat=True)) == ["PPC-374", "PTPA-3-1"]

    def test_police_station_outside_the_district_is_refused(
        self, case: Case, officer_mbdin: User, station_gujrat: PoliceStation
    ) -> None:
        with pytest.raises(CaseError, match="not in the case's district"):
            services.fir_add(
                case=case,
                by=officer_mbdin,
                number="1/2024",
                date=FIR_DATE,
                police_station=station_gujrat,
                provision_codes=["PTPA-3-1"],
            )

    def test_duplicate_fir_number_is_refused(
        self, make_case: MakeCase, officer_mbdin: User, station: PoliceStation
    ) -> None:
        values: dict[str, Any] = {
            "by": officer_mbdin,
            "number": "7/2024",
            "date": FIR_DATE,
            "police_station": station,
            "provision_codes": ["PTPA-3-1"],
        }
        services.fir_add(case=make_case(), **values)
        other = make_case()
        with pytest.raises(CaseError, match="already has that FIR number"):
            services.fir_add(case=other, **values)
        # The same number on another day is another FIR.
        services.fir_add(case=other, **(values | {"date": FIR_DATE + dt.timedelta(days=1)}))
        assert other.firs.count() == 1

    @pytest.mark.parametrize(
        ("codes", "message"),
        [
            ([], "at least one section"),
            (["PPC-369A"], "PPC-369A"),
            (["NO-SUCH-CODE"], "NO-SUCH-CODE"),
        ],
    )
    def test_sections_must_be_in_force(
        self,
        case: Case,
        officer_mbdin: User,
        station: PoliceStation,
        codes: list[str],
        message: str,
    ) -> None:
        with pytest.raises(CaseError, match=message):
            services.fir_add(
                case=case,
                by=officer_mbdin,
                number="1/2024",
                date=FIR_DATE,
                police_station=station,
                provision_codes=codes,
            )
        assert not case.firs.exists()

    def test_future_date_is_refused(
        self, case: Case, officer_mbdin: User, station: PoliceStation
    ) -> None:
        with pytest.raises(CaseError, match="future"):
            services.fir_add(
                case=case,
                by=officer_mbdin,
                number="1/2024",
                date=timezone.localdate() + dt.timedelta(days=1),
                police_station=station,
                provision_codes=["PTPA-3-1"],
            )


class TestVerdicts:
    @pytest.fixture
    def on_trial(self, flow: Flow, case: Case) -> Case:
        return flow.reach(case, Status.TRIAL)

    def add(self, flow: Flow, case: Case, **changes: Any) -> Any:
        values: dict[str, Any] = {
            "party": next(p for p in case.parties.all() if p.is_suspect),
            "by": flow.prosecutor,
            "provision": flow.fir_provision(case),
            "date": dt.date(2025, 1, 10),
            "outcome": VerdictOutcome.CONVICTED,
        }
        values.update(changes)
        return services.verdict_add(**values)

    def test_section_must_be_in_the_fir(self, flow: Flow, on_trial: Case) -> None:
        other = LegalProvision.objects.get(code="PPC-374")
        with pytest.raises(CaseError, match="not in the case's FIR"):
            self.add(flow, on_trial, provision=other)

    def test_sentence_only_with_a_conviction(self, flow: Flow, on_trial: Case) -> None:
        for sentence in ({"prison_months": 12}, {"fine_pkr": 50_000}):
            with pytest.raises(CaseError, match="only with a conviction"):
                self.add(flow, on_trial, outcome=VerdictOutcome.ACQUITTED, **sentence)
        verdict = self.add(flow, on_trial, prison_months=84, fine_pkr=500_000)
        assert (verdict.prison_months, verdict.fine_pkr) == (84, 500_000)

    def test_compensation_paid_not_above_ordered(self, flow: Flow, on_trial: Case) -> None:
        with pytest.raises(CaseError, match="More compensation"):
            self.add(flow, on_trial, compensation_paid_pkr=1)
        with pytest.raises(CaseError, match="More compensation"):
            self.add(flow, on_trial, compensation_ordered_pkr=100, compensation_paid_pkr=101)
        verdict = self.add(
            flow, on_trial, compensation_ordered_pkr=100_000, compensation_paid_pkr=100_000
        )
        with pytest.raises(CaseError, match="More compensation"):
            services.compensation_paid(verdict=verdict, by=flow.officer, amount_pkr=100_001)
        assert (
            services.compensation_paid(
                verdict=verdict, by=flow.officer, amount_pkr=40_000
            ).compensation_paid_pkr
            == 40_000
        )

    def test_one_verdict_per_accused_and_section(self, flow: Flow, on_trial: Case) -> None:
        self.add(flow, on_trial)
        with pytest.raises(CaseError, match="already recorded"):
            self.add(flow, on_trial, outcome=VerdictOutcome.ACQUITTED)

    def test_only_for_an_accused_on_trial(self, flow: Flow, case: Case) -> None:
        victim = flow.victim(case, consents=(ConsentPurpose.STATEMENT, ConsentPurpose.MEDICAL))
        flow.reach(case, Status.CHALLAN_SUBMITTED)
        with pytest.raises(CaseError, match="on trial"):
            self.add(flow, case)
        flow.prepare(case, Status.TRIAL)
        flow.move(case, Status.TRIAL)
        with pytest.raises(CaseError, match="accused only"):
            self.add(flow, case, party=victim)

    def test_hearings_once_the_challan_is_in_court(self, flow: Flow, case: Case) -> None:
        with pytest.raises(CaseError, match="challan is in court"):
            services.hearing_add(
                case=case, by=flow.officer, court="ATC Gujranwala", date=dt.date(2025, 1, 3)
            )
        flow.reach(case, Status.CHALLAN_SUBMITTED)
        hearing = services.hearing_add(
            case=case, by=flow.prosecutor, court="ATC Gujranwala", date=dt.date(2025, 1, 3)
        )
        assert hearing.case == case


# --- evidence and tasks -----------------------------------------------------------------------


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (32, 24), (10, 120, 30))
    exif = Image.Exif()
    exif[0x010F] = "EvidenceCameraMake"
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


class TestEvidence:
    @pytest.fixture(autouse=True)
    def media(self, settings: Any, tmp_path: Path) -> None:
        settings.MEDIA_ROOT = tmp_path / "media"

    def test_file_is_hashed_as_received_and_not_reencoded(
        self, case: Case, officer_mbdin: User
    ) -> None:
        data = jpeg_with_exif()
        evidence = services.evidence_add(
            case=case,
            by=officer_mbdin,
            kind="photo",
            description="Photo of the kiln register",
            holder="Malkhana, PS City",
            data=data,
        )
        assert evidence.sha256 == hashlib.sha256(data).hexdigest()
        assert evidence.size == len(data)
        assert evidence.content_type == "jpeg"
        assert evidence.number == 1
        stored = read_decrypted(evidence.stored_name)
        assert stored == data
        assert b"EvidenceCameraMake" in stored

    def test_custody_chain(self, case: Case, officer_mbdin: User) -> None:
        evidence = services.evidence_add(
            case=case,
            by=officer_mbdin,
            kind="passport",
            description="Passport kept by the agent",
            holder="IO",
        )
        assert evidence.sha256 == ""
        with pytest.raises(CaseError, match="who holds"):
            services.custody_add(evidence=evidence, by=officer_mbdin, action="examined", holder="")
        services.custody_add(
            evidence=evidence, by=officer_mbdin, action="examined", holder="FIA passport cell"
        )
        assert list(
            CustodyEntry.objects.filter(evidence=evidence).values_list("action", flat=True)
        ) == ["collected", "examined"]
        second = services.evidence_add(
            case=case, by=officer_mbdin, kind="receipt", description="Receipt", holder="IO"
        )
        assert second.number == 2

    def test_description_is_required(self, case: Case, officer_mbdin: User) -> None:
        with pytest.raises(CaseError, match="Describe"):
            services.evidence_add(
                case=case, by=officer_mbdin, kind="other", description=" ", holder="IO"
            )


class TestTasks:
    def test_task_for_someone_working_in_the_district(
        self, case: Case, officer_mbdin: User, prosecutor: User, officer_gujrat: User
    ) -> None:
        due = dt.date(2024, 4, 1)
        task = services.task_add(
            case=case, by=officer_mbdin, title="Record statement", assignee=prosecutor, due=due
        )
        assert (task.assignee, task.due, task.done_at) == (prosecutor, due, None)
        with pytest.raises(CaseError, match="works on cases in this district"):
            services.task_add(
                case=case, by=officer_mbdin, title="X", assignee=officer_gujrat, due=due
            )

    def test_done_once(self, case: Case, officer_mbdin: User, dpo_mbdin: User) -> None:
        task = services.task_add(
            case=case,
            by=officer_mbdin,
            title="Visit the kiln",
            assignee=officer_mbdin,
            due=dt.date(2024, 4, 1),
        )
        services.task_done(task=task, by=officer_mbdin)
        first_done = task.done_at
        assert first_done is not None
        services.task_done(task=task, by=dpo_mbdin)
        task.refresh_from_db()
        assert (task.done_at, task.done_by) == (first_done, officer_mbdin)


def test_saved_search(officer_mbdin: User) -> None:
    with pytest.raises(CaseError):
        services.saved_search_save(user=officer_mbdin, name="  ", query="q")
    services.saved_search_save(user=officer_mbdin, name="Kilns", query="kiln")
    search = services.saved_search_save(user=officer_mbdin, name="Kilns", query="kiln 2024")
    assert search.query == "kiln 2024"
    assert officer_mbdin.saved_case_searches.count() == 1


def test_referral_cannot_be_accepted_after_consent_to_share_is_withdrawn(
    case: Case, officer_mbdin: User, fia_liaison: User, flow: Flow
) -> None:
    victim = flow.victim(case, consents=(ConsentPurpose.SHARING,))
    assert fia_liaison.organisation is not None
    handover = services.handover_create(
        case=case,
        by=officer_mbdin,
        kind=HandoverKind.REFER,
        reason="Route abroad",
        to_organisation=fia_liaison.organisation,
    )
    consent = victim.consents.get()
    services.consent_withdraw(consent=consent, by=officer_mbdin)
    with pytest.raises(CaseError, match="withdrawn after this referral"):
        services.handover_answer(handover=handover, by=fia_liaison, accept=True)
    assert not case.shares.exists()
    # Rejecting is still possible.
    services.handover_answer(handover=handover, by=fia_liaison, accept=False, reason="No consent")
