"""Fixtures for the cases app: places, people, a case factory and `Flow`, which
drives a case through the workflow meeting each step's prerequisites."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.cases import services
from ahtc.cases.classification import legacy_answers, suggest
from ahtc.cases.models import (
    Case,
    ConsentMethod,
    HandoverKind,
    LegalProvision,
    Origin,
    Party,
    PartyRole,
    Status,
    VerdictOutcome,
)
from ahtc.geography.models import Area, PoliceStation
from ahtc.people.models import Person
from ahtc.people.services import person_create

OFFENCE_DATE = dt.date(2024, 3, 1)
FIR_DATE = dt.date(2024, 3, 5)
CONSENT_DATE = dt.date(2024, 3, 4)

# An adult man recruited by fraud for labour: rule 2, trafficking (adult), police.
ADULT_LABOUR = legacy_answers(
    acts={"recruit", "transport"},
    means={"fraud"},
    purposes={"labour"},
    age_years=30,
    age_evidence="document",
)


@pytest.fixture
def mbdin(db: Any) -> Area:
    return Area.objects.get(code="PK620")


@pytest.fixture
def gujrat(db: Any) -> Area:
    return Area.objects.get(code="PK610")


@pytest.fixture
def station(db: Any) -> PoliceStation:
    return PoliceStation.objects.create(
        code="PS-TEST-MBD",
        tehsil=Area.objects.get(code="PK62002"),
        name_en="City Mandi Bahauddin",
        name_ur="سٹی منڈی بہاؤالدین",
    )


@pytest.fixture
def station_gujrat(db: Any) -> PoliceStation:
    return PoliceStation.objects.create(
        code="PS-TEST-GRT",
        tehsil=Area.objects.get(code="PK61001"),
        name_en="City Gujrat",
        name_ur="سٹی گجرات",
    )


@pytest.fixture
def io_mbdin(make_user: Callable[..., User]) -> User:
    return make_user("io_mbdin", Role.INVESTIGATING_OFFICER, "PK620")


@pytest.fixture
def prosecutor(make_user: Callable[..., User]) -> User:
    return make_user(
        "prosecutor_mbdin", Role.PROSECUTOR, "PK620", kind=OrganisationKind.PROSECUTION
    )


@pytest.fixture
def fia_org(fia_liaison: User) -> Organisation:
    assert fia_liaison.organisation is not None
    return fia_liaison.organisation


@pytest.fixture
def make_case(officer_mbdin: User, mbdin: Area) -> Callable[..., Case]:
    def make(**changes: Any) -> Case:
        values: dict[str, Any] = {
            "district": mbdin,
            "by": officer_mbdin,
            "title": "Kiln family held for an advance",
            "origin": Origin.WALK_IN,
            "offence_date": OFFENCE_DATE,
        }
        values.update(changes)
        return services.case_open(**values)

    return make


@pytest.fixture
def case(make_case: Callable[..., Case]) -> Case:
    return make_case()


@pytest.fixture
def make_person(officer_mbdin: User, mbdin: Area) -> Callable[..., Person]:
    def make(name: str = "Test Person", **changes: Any) -> Person:
        values: dict[str, Any] = {
            "source_district": mbdin,
            "by": officer_mbdin,
            "name_latin": name,
        }
        values.update(changes)
        return person_create(**values)

    return make


@dataclass
class Flow:
    """Moves a case along the workflow, meeting the prerequisites of each step."""

    officer: User
    io: User
    prosecutor: User
    fia_liaison: User
    station: PoliceStation
    make_person: Callable[..., Person]

    # What to pass through, from a new case, to reach each status.
    PATHS = {
        Status.REPORTED: [],
        Status.INQUIRY: [Status.INQUIRY],
        Status.FIR_REGISTERED: [Status.FIR_REGISTERED],
        Status.INVESTIGATION: [Status.FIR_REGISTERED, Status.INVESTIGATION],
        Status.CHALLAN_SUBMITTED: [
            Status.FIR_REGISTERED,
            Status.INVESTIGATION,
            Status.CHALLAN_SUBMITTED,
        ],
        Status.TRIAL: [
            Status.FIR_REGISTERED,
            Status.INVESTIGATION,
            Status.CHALLAN_SUBMITTED,
            Status.TRIAL,
        ],
    }

    def victim(self, case: Case, *, consents: tuple[str, ...] = ()) -> Party:
        party = services.party_add(
            case=case, by=self.officer, role=PartyRole.VICTIM, person=self.make_person("Victim")
        )
        for purpose in consents:
            services.consent_record(
                case=case,
                party=party,
                by=self.officer,
                purpose=purpose,
                method=ConsentMethod.THUMBPRINT,
                given_on=CONSENT_DATE,
            )
        return party

    def suspect(self, case: Case, role: str = PartyRole.RECRUITER) -> Party:
        return services.party_add(
            case=case, by=self.officer, role=role, person=self.make_person("Suspect")
        )

    def classify(self, case: Case) -> None:
        suggestion = suggest(ADULT_LABOUR)
        services.classification_decide(
            case=case,
            by=self.officer,
            answers=ADULT_LABOUR,
            classification=suggestion.classification,
            agency=suggestion.agency,
            provision_codes=["PTPA-3-1"],
        )

    def fir(self, case: Case, number: str = "101/2024") -> None:
        services.fir_add(
            case=case,
            by=self.officer,
            number=number,
            date=FIR_DATE,
            police_station=self.station,
            provision_codes=["PTPA-3-1"],
        )

    def assign(self, case: Case) -> None:
        handover = services.handover_create(
            case=case,
            by=self.officer,
            kind=HandoverKind.ASSIGN,
            reason="Lead the investigation",
            to_user=self.io,
        )
        services.handover_answer(handover=handover, by=self.io, accept=True)
        case.refresh_from_db()

    def refer_to_fia(self, case: Case) -> None:
        assert self.fia_liaison.organisation is not None
        handover = services.handover_create(
            case=case,
            by=self.officer,
            kind=HandoverKind.REFER,
            reason="Victims were taken abroad",
            to_organisation=self.fia_liaison.organisation,
        )
        services.handover_answer(handover=handover, by=self.fia_liaison, accept=True)

    def io_complete_challan(self, case: Case) -> None:
        for item in services.challan_items(case).filter(io_done_at__isnull=True):
            answer = "Attached as asked" if item.returned else ""
            services.challan_io_done(item=item, by=self.io, answer=answer)

    def prosecutor_accept_challan(self, case: Case) -> None:
        for item in case.challan_items.filter(prosecutor_ok_at__isnull=True):
            services.challan_prosecutor_answer(item=item, by=self.prosecutor, accept=True)

    def fir_provision(self, case: Case) -> LegalProvision:
        fir = case.firs.first()
        assert fir is not None
        provision = fir.provisions.first()
        assert provision is not None
        return provision

    def verdict(self, case: Case, outcome: str, party: Party | None = None) -> None:
        accused = party or next(p for p in case.parties.all() if p.is_suspect)
        services.verdict_add(
            party=accused,
            by=self.prosecutor,
            provision=self.fir_provision(case),
            date=dt.date(2025, 1, 10),
            outcome=outcome,
            prison_months=24 if outcome == VerdictOutcome.CONVICTED else None,
        )

    def prepare(self, case: Case, to: str) -> str:
        """Meet the prerequisites of moving `case` to `to`; returns a note to give."""
        case.refresh_from_db()
        if to == Status.FIR_REGISTERED:
            if not case.firs.exists():
                self.fir(case)
            if not case.classification:
                self.classify(case)
        elif to == Status.INVESTIGATION and case.lead_officer_id is None:
            self.assign(case)
        elif to == Status.CHALLAN_SUBMITTED:
            if not any(p.is_suspect for p in case.parties.all()):
                self.suspect(case)
            self.io_complete_challan(case)
        elif to == Status.TRIAL:
            self.prosecutor_accept_challan(case)
        elif to == Status.CONVICTED:
            self.verdict(case, VerdictOutcome.CONVICTED)
        elif to == Status.ACQUITTED:
            self.verdict(case, VerdictOutcome.ACQUITTED)
        elif to == Status.COMPOUNDED:
            self.verdict(case, VerdictOutcome.COMPOUNDED)
        elif to == Status.TRANSFERRED_FIA:
            self.refer_to_fia(case)
        return "Reason given in writing" if to in services.NOTE_REQUIRED else ""

    def move(self, case: Case, to: str, **kwargs: Any) -> Case:
        kwargs.setdefault("by", self.officer)
        services.case_transition(case=case, to=to, **kwargs)
        case.refresh_from_db()
        return case

    def reach(self, case: Case, status: str) -> Case:
        for step in self.PATHS[Status(status)]:
            note = self.prepare(case, step)
            self.move(case, step, note=note)
        assert case.status == status
        return case


@pytest.fixture
def flow(
    officer_mbdin: User,
    io_mbdin: User,
    prosecutor: User,
    fia_liaison: User,
    station: PoliceStation,
    make_person: Callable[..., Person],
) -> Flow:
    return Flow(
        officer=officer_mbdin,
        io=io_mbdin,
        prosecutor=prosecutor,
        fia_liaison=fia_liaison,
        station=station,
        make_person=make_person,
    )
