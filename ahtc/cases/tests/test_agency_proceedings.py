"""Agencies act on what they receive (issue 10): after FIA accepts a transferred
case it records its own proceedings, the cell follows them read-only, and the
agencies that investigate or prosecute see whom they act on (audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.cases import services
from ahtc.cases.models import (
    Case,
    ChallanItem,
    ConsentMethod,
    ConsentPurpose,
    HandoverKind,
    LegalProvision,
    Party,
    Status,
    VerdictOutcome,
)
from ahtc.cases.selectors import case_access, partner_identified_parties
from ahtc.cases.services import CaseError
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.people.models import IdentifierKind
from ahtc.people.services import identifier_add

if TYPE_CHECKING:
    from .conftest import Flow

pytestmark = pytest.mark.django_db

FIA_FIR_DATE = dt.date(2024, 4, 2)
FIA_STATION = "FIA AHT Circle police station (test)"
SUSPECT_PHONE = "0300 0012345"


@pytest.fixture
def transferred(flow: Flow, case: Case) -> Case:
    """A case the cell referred to FIA, FIA accepted, and the cell transferred."""
    flow.victim(
        case,
        consents=(ConsentPurpose.STATEMENT, ConsentPurpose.SHARING, ConsentPurpose.MEDICAL),
    )
    suspect = flow.suspect(case)
    assert suspect.person is not None
    identifier_add(
        person=suspect.person, kind=IdentifierKind.PHONE, raw=SUSPECT_PHONE, by=flow.officer
    )
    flow.prepare(case, Status.TRANSFERRED_FIA)
    return flow.move(case, Status.TRANSFERRED_FIA, note="FIA accepted the referral")


def fia_fir(case: Case, fia: User) -> None:
    services.agency_fir_add(
        case=case,
        by=fia,
        number="7/2024",
        date=FIA_FIR_DATE,
        station=FIA_STATION,
        provision_codes=["PTPA-3-1"],
    )


def suspect_of(case: Case) -> Party:
    return next(p for p in case.parties.all() if p.is_suspect)


def victim_of(case: Case) -> Party:
    return next(p for p in case.parties.all() if p.is_protected)


def page(client: Client, case: Case, name: str = "case") -> str:
    response = client.get(reverse(f"cell:{name}", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


# --- the agency runs the proceedings ------------------------------------------------------


class TestAgencyProceedings:
    def test_transfer_hands_the_proceedings_to_the_accepting_agency(
        self, transferred: Case, fia_liaison: User, officer_mbdin: User
    ) -> None:
        assert transferred.proceedings_organisation == fia_liaison.organisation
        assert case_access(fia_liaison, transferred).proceedings
        cell = case_access(officer_mbdin, transferred)
        assert cell.manage
        assert not cell.proceedings

    def test_fia_goes_through_the_same_stages_to_a_verdict(
        self, flow: Flow, transferred: Case, fia_liaison: User, prosecutor: User
    ) -> None:
        case = transferred
        assert services.allowed_transitions(case) == [Status.FIR_REGISTERED]
        with pytest.raises(CaseError, match="Record the FIR first"):
            flow.move(case, Status.FIR_REGISTERED, by=fia_liaison)
        fia_fir(case, fia_liaison)
        flow.move(case, Status.FIR_REGISTERED, by=fia_liaison)
        services.arrest_add(party=suspect_of(case), by=fia_liaison, date=FIA_FIR_DATE)
        # FIA's own investigating officer: no cell IO is assigned.
        flow.move(case, Status.INVESTIGATION, by=fia_liaison)
        items = list(services.challan_items(case))
        assert len(items) == 6
        assert {i.organisation_id for i in items} == {fia_liaison.organisation_id}
        for item in items:
            services.challan_io_done(item=item, by=fia_liaison)
        flow.move(case, Status.CHALLAN_SUBMITTED, by=fia_liaison)
        assert flow.prosecutor.organisation is not None
        services.case_share(
            case=case, organisation=flow.prosecutor.organisation, by=flow.officer, reason="Trial"
        )
        flow.prosecutor_accept_challan(case)
        flow.move(case, Status.TRIAL, by=prosecutor, as_prosecutor=True)
        services.hearing_add(case=case, by=fia_liaison, court="Sessions Court", date=FIA_FIR_DATE)
        services.verdict_add(
            party=suspect_of(case),
            by=fia_liaison,
            provision=flow.fir_provision(case),
            date=dt.date(2025, 1, 10),
            outcome=VerdictOutcome.CONVICTED,
            prison_months=36,
        )
        flow.move(case, Status.CONVICTED, by=fia_liaison)
        fir = case.firs.get()
        assert (fir.organisation, fir.agency_station, fir.police_station) == (
            fia_liaison.organisation,
            FIA_STATION,
            None,
        )
        assert suspect_of(case).arrests.get().organisation == fia_liaison.organisation
        assert case.hearings.get().organisation == fia_liaison.organisation
        assert AuditEvent.objects.filter(
            actor=fia_liaison, reason__startswith="FIR recorded by organisation"
        ).exists()

    def test_agency_fir_takes_only_its_laws_and_its_station(
        self, transferred: Case, fia_liaison: User
    ) -> None:
        with pytest.raises(CaseError, match="PTPA, PSMA or the Emigration Ordinance"):
            services.agency_fir_add(
                case=transferred,
                by=fia_liaison,
                number="8/2024",
                date=FIA_FIR_DATE,
                station=FIA_STATION,
                provision_codes=["PPC-371A"],
            )
        with pytest.raises(CaseError, match="police station"):
            services.agency_fir_add(
                case=transferred,
                by=fia_liaison,
                number="8/2024",
                date=FIA_FIR_DATE,
                station="  ",
                provision_codes=["PTPA-3-1"],
            )
        assert not transferred.firs.exists()

    def test_cell_cannot_record_on_the_agency_proceedings(
        self, flow: Flow, transferred: Case, officer_mbdin: User
    ) -> None:
        with pytest.raises(CaseError, match="agency running the proceedings") as refused:
            services.fir_add(
                case=transferred,
                by=officer_mbdin,
                number="9/2024",
                date=FIA_FIR_DATE,
                police_station=flow.station,
                provision_codes=["PTPA-3-1"],
            )
        assert refused.value.refusal
        with pytest.raises(CaseError, match="agency running the proceedings"):
            services.arrest_add(party=suspect_of(transferred), by=officer_mbdin, date=FIA_FIR_DATE)
        with pytest.raises(CaseError, match="agency running the proceedings"):
            flow.move(transferred, Status.FIR_REGISTERED, by=officer_mbdin)

    def test_cell_checklist_of_earlier_investigation_stays_as_it_was(
        self, flow: Flow, case: Case, fia_liaison: User
    ) -> None:
        flow.victim(
            case,
            consents=(ConsentPurpose.STATEMENT, ConsentPurpose.SHARING, ConsentPurpose.MEDICAL),
        )
        flow.reach(case, Status.INVESTIGATION)
        flow.prepare(case, Status.TRANSFERRED_FIA)
        flow.move(case, Status.TRANSFERRED_FIA)
        old = ChallanItem.objects.filter(case=case, organisation__isnull=True).first()
        assert old is not None
        assert not services.challan_items(case).exists()
        with pytest.raises(CaseError, match="earlier proceedings"):
            services.challan_io_done(item=old, by=fia_liaison)


# --- who may do what on an agency-run case (fail closed) ---------------------------------


class TestAccess:
    def test_cell_sees_the_agency_progress_read_only(
        self,
        flow: Flow,
        transferred: Case,
        fia_liaison: User,
        officer_mbdin: User,
        login_as: Callable[[User], Client],
    ) -> None:
        fia_fir(transferred, fia_liaison)
        flow.move(transferred, Status.FIR_REGISTERED, by=fia_liaison)
        services.arrest_add(party=suspect_of(transferred), by=fia_liaison, date=FIA_FIR_DATE)
        client = login_as(officer_mbdin)
        html = page(client, transferred)
        assert FIA_STATION in html
        assert "7/2024" in html
        assert "by the agency" in html
        assert "runs the proceedings since the transfer" in html
        assert reverse("cell:case_fir", args=[transferred.reference]) not in html
        assert reverse("cell:case_transition", args=[transferred.reference]) not in html
        response = client.post(
            reverse("cell:case_arrest", args=[transferred.reference]),
            {"party": suspect_of(transferred).pk, "date": "2024-04-03"},
        )
        assert response.status_code == 403
        assert suspect_of(transferred).arrests.count() == 1
        assert AuditEvent.objects.filter(
            actor=officer_mbdin, outcome=AuditOutcome.REFUSED, reason__contains="proceedings"
        ).exists()

    def test_fia_records_its_fir_through_the_page(
        self, transferred: Case, fia_liaison: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(fia_liaison)
        url = reverse("cell:case_fir", args=[transferred.reference])
        form = client.get(url).content.decode()
        assert "Circle" in form
        assert "PSMA" in form
        ptpa = LegalProvision.objects.get(code="PTPA-3-1", valid_to__isnull=True)
        data = {"number": "11/2024", "date": "2024-04-02", "station": "", "provisions": [ptpa.pk]}
        refused = client.post(url, data)
        assert refused.status_code == 200  # kept: the number typed is still there
        assert 'value="11/2024"' in refused.content.decode()
        data["station"] = FIA_STATION
        assert client.post(url, data).status_code == 302
        assert transferred.firs.get().agency_station == FIA_STATION

    def test_agency_before_acceptance_records_nothing_and_sees_pseudonyms(
        self,
        flow: Flow,
        case: Case,
        fia_liaison: User,
        login_as: Callable[[User], Client],
    ) -> None:
        flow.victim(case, consents=(ConsentPurpose.SHARING,))
        suspect = flow.suspect(case)
        assert fia_liaison.organisation is not None
        services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Route abroad",
            to_organisation=fia_liaison.organisation,
        )
        access = case_access(fia_liaison, case)
        assert not access.proceedings
        assert not access.partner_identity
        client = login_as(fia_liaison)
        html = page(client, case)
        assert suspect.pseudonym in html
        assert "Suspect" not in html  # the test person's name
        response = client.get(reverse("cell:case_fir", args=[case.reference]))
        assert response.status_code == 403

    def test_after_revocation_the_agency_gets_404_audited(
        self,
        transferred: Case,
        fia_liaison: User,
        officer_mbdin: User,
        login_as: Callable[[User], Client],
    ) -> None:
        share = transferred.shares.get(organisation=fia_liaison.organisation)
        services.share_revoke(share=share, by=officer_mbdin)
        client = login_as(fia_liaison)
        for name in ("case", "case_fir"):
            response = client.get(reverse(f"cell:{name}", args=[transferred.reference]))
            assert response.status_code == 404
        assert AuditEvent.objects.filter(
            actor=fia_liaison, outcome=AuditOutcome.REFUSED, object_id=str(transferred.pk)
        ).exists()
        with pytest.raises(CaseError):
            fia_fir(transferred, fia_liaison)

    @pytest.mark.parametrize("persona", ["officer_gujrat", "provincial_monitor", "prosecutor"])
    def test_others_get_404(
        self,
        transferred: Case,
        persona: str,
        request: pytest.FixtureRequest,
        login_as: Callable[[User], Client],
    ) -> None:
        user: User = request.getfixturevalue(persona)
        response = login_as(user).get(reverse("cell:case", args=[transferred.reference]))
        assert response.status_code == 404
        assert AuditEvent.objects.filter(
            actor=user, outcome=AuditOutcome.REFUSED, object_id=str(transferred.pk)
        ).exists()

    def test_another_fia_circle_does_not_run_it(
        self, transferred: Case, make_user: Callable[..., User], make_org: Callable[..., object]
    ) -> None:
        other = make_user(
            "fia_other", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.FIA, org_area="PK610"
        )
        assert other.organisation_id != transferred.proceedings_organisation_id
        with pytest.raises(CaseError, match="agency running the proceedings"):
            fia_fir(transferred, other)


# --- identities for the agencies that act on the accused ----------------------------------


def identity_views(user: User, party: Party) -> int:
    assert party.person is not None
    return AuditEvent.objects.filter(
        actor=user,
        object_type="people.person",
        object_id=str(party.person.pk),
        reason__startswith="identity shown to a partner agency",
    ).count()


class TestIdentities:
    def test_investigating_agency_sees_suspects_audited_on_each_view(
        self, transferred: Case, fia_liaison: User, login_as: Callable[[User], Client]
    ) -> None:
        suspect, victim = suspect_of(transferred), victim_of(transferred)
        client = login_as(fia_liaison)
        html = page(client, transferred)
        assert "Suspect" in html  # the suspect's name
        assert "+923000012345" in html  # and phone
        assert victim.pseudonym in html
        assert "Victim" not in html  # the victim stays a number
        assert identity_views(fia_liaison, suspect) == 1
        assert identity_views(fia_liaison, victim) == 0
        page(client, transferred)
        assert identity_views(fia_liaison, suspect) == 2

    def test_victim_identity_only_with_identity_consent_to_that_agency(
        self, flow: Flow, transferred: Case, fia_liaison: User, labour_liaison: User
    ) -> None:
        victim = victim_of(transferred)
        access = case_access(fia_liaison, transferred)
        assert victim.pk not in partner_identified_parties(fia_liaison, transferred, access)
        assert labour_liaison.organisation is not None
        consent = services.consent_record(
            case=transferred,
            party=victim,
            by=flow.officer,
            purpose=ConsentPurpose.IDENTITY,
            method=ConsentMethod.WRITTEN,
            given_on=dt.date(2024, 3, 10),
            organisation=labour_liaison.organisation,
        )
        assert victim.pk not in partner_identified_parties(fia_liaison, transferred, access)
        services.consent_withdraw(consent=consent, by=flow.officer)
        services.consent_record(
            case=transferred,
            party=victim,
            by=flow.officer,
            purpose=ConsentPurpose.IDENTITY,
            method=ConsentMethod.WRITTEN,
            given_on=dt.date(2024, 3, 10),
            organisation=fia_liaison.organisation,
        )
        assert victim.pk in partner_identified_parties(fia_liaison, transferred, access)
        Case.objects.filter(pk=transferred.pk).update(identity_withheld=True)
        transferred.refresh_from_db()
        shown = partner_identified_parties(fia_liaison, transferred, access)
        assert victim.pk not in shown
        assert suspect_of(transferred).pk in shown

    def test_prosecutor_of_a_shared_case_sees_suspects(
        self,
        flow: Flow,
        case: Case,
        prosecutor: User,
        login_as: Callable[[User], Client],
    ) -> None:
        flow.victim(case, consents=(ConsentPurpose.SHARING,))
        suspect = flow.suspect(case)
        assert prosecutor.organisation is not None
        services.case_share(
            case=case, organisation=prosecutor.organisation, by=flow.officer, reason="Trial"
        )
        html = page(login_as(prosecutor), case)
        assert "Suspect" in html
        assert identity_views(prosecutor, suspect) == 1

    def test_non_investigating_partner_sees_pseudonyms_only(
        self,
        flow: Flow,
        case: Case,
        labour_liaison: User,
        login_as: Callable[[User], Client],
    ) -> None:
        flow.victim(case, consents=(ConsentPurpose.SHARING,))
        suspect = flow.suspect(case)
        assert labour_liaison.organisation is not None
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Inspection",
            to_organisation=labour_liaison.organisation,
        )
        services.handover_answer(handover=handover, by=labour_liaison, accept=True)
        assert not case_access(labour_liaison, case).partner_identity
        html = page(login_as(labour_liaison), case)
        assert suspect.pseudonym in html
        assert "Suspect" not in html
        assert identity_views(labour_liaison, suspect) == 0


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def exported_identities(user: User, party: Party, via: str) -> int:
    assert party.person is not None
    return AuditEvent.objects.filter(
        actor=user,
        object_type="people.person",
        object_id=str(party.person.pk),
        reason__startswith="identity shown to a partner agency",
        reason__endswith=f"({via})",
    ).count()


class TestIdentitiesOutsideThePage:
    """The summary PDF and the API show the same parties as the page, audited the same way."""

    def test_prosecutor_pdf_names_the_suspect_not_the_victim(
        self, flow: Flow, case: Case, prosecutor: User, login_as: Callable[[User], Client]
    ) -> None:
        victim = flow.victim(case, consents=(ConsentPurpose.SHARING,))
        suspect = flow.suspect(case)
        assert prosecutor.organisation is not None
        services.case_share(
            case=case, organisation=prosecutor.organisation, by=flow.officer, reason="Trial"
        )
        response = login_as(prosecutor).get(reverse("cell:case_pdf", args=[case.reference]))
        assert response.status_code == 200
        text = pdf_text(response.content)
        assert f"{suspect.pseudonym}: Suspect" in text
        assert victim.pseudonym in text
        assert "Victim" not in text.replace(victim.pseudonym, "")
        assert exported_identities(prosecutor, suspect, "summary PDF") == 1
        assert exported_identities(prosecutor, victim, "summary PDF") == 0

    def test_fia_running_the_case_gets_the_suspects_name_through_the_api(
        self, transferred: Case, fia_liaison: User
    ) -> None:
        from ahtc.cases.tests.test_api import token_client

        body = token_client(fia_liaison).get(f"/api/v1/cases/{transferred.reference}/").json()
        names = {p["pseudonym"]: p["name"] for p in body["parties"]}
        suspect, victim = suspect_of(transferred), victim_of(transferred)
        assert names[suspect.pseudonym] is not None
        assert "Suspect" in names[suspect.pseudonym]
        assert names[victim.pseudonym] is None
        assert exported_identities(fia_liaison, suspect, "API") == 1
        assert exported_identities(fia_liaison, victim, "API") == 0

    def test_the_cell_and_other_partners_get_pseudonyms_through_the_api(
        self, flow: Flow, case: Case, labour_liaison: User
    ) -> None:
        from ahtc.cases.tests.test_api import token_client

        flow.victim(case, consents=(ConsentPurpose.SHARING,))
        flow.suspect(case)
        assert labour_liaison.organisation is not None
        handover = services.handover_create(
            case=case,
            by=flow.officer,
            kind=HandoverKind.REFER,
            reason="Inspection",
            to_organisation=labour_liaison.organisation,
        )
        services.handover_answer(handover=handover, by=labour_liaison, accept=True)
        for user in (labour_liaison, flow.officer):
            body = token_client(user).get(f"/api/v1/cases/{case.reference}/").json()
            assert [p["name"] for p in body["parties"]] == [None, None]
        assert not AuditEvent.objects.filter(reason__endswith="(API)").exists()


class TestAgencyAddsAccused:
    """FIA running a transferred case adds the accused it finds (issue 10)."""

    def url(self, case: Case) -> str:
        return reverse("cell:case_party", args=[case.reference])

    def test_fia_adds_an_accused_through_the_page(
        self, transferred: Case, fia_liaison: User, login_as: Callable[[User], Client]
    ) -> None:
        client = login_as(fia_liaison)
        form = client.get(self.url(transferred)).content.decode()
        assert 'value="RecruiterOrIntermediary"' in form
        assert 'value="victim"' not in form  # victims and witnesses are the cell's
        response = client.post(
            self.url(transferred),
            {"role": "BrokerTravelAgent", "name_latin": "Synthetic Sub-agent", "sex": "unknown"},
        )
        assert response.status_code == 302
        added = transferred.parties.get(role="BrokerTravelAgent")
        assert added.person is not None
        assert added.added_by == fia_liaison
        assert "Synthetic Sub-agent" in page(client, transferred)  # a suspect: named for FIA

    def test_fia_cannot_add_a_victim(
        self, transferred: Case, fia_liaison: User, login_as: Callable[[User], Client]
    ) -> None:
        response = login_as(fia_liaison).post(
            self.url(transferred), {"role": "victim", "name_latin": "Synthetic", "sex": "unknown"}
        )
        assert response.status_code == 200  # the form again, with the reason
        assert (
            not transferred.parties.filter(person__isnull=False, role="victim")
            .exclude(pk=victim_of(transferred).pk)
            .exists()
        )
        with translation.override("en"), pytest.raises(CaseError, match="accused"):
            services.party_add(
                case=transferred,
                by=fia_liaison,
                role="witness",
                organisation_name="Synthetic witness org",
            )

    def test_fia_search_shows_no_district_names(
        self,
        transferred: Case,
        fia_liaison: User,
        login_as: Callable[[User], Client],
        make_person: Callable[..., Any],
    ) -> None:
        make_person("Synthetic Districtperson")
        html = login_as(fia_liaison).get(self.url(transferred), {"name": "districtperson"})
        assert "Synthetic Districtperson" not in html.content.decode()

    def test_partners_that_do_not_run_the_case_cannot_add(
        self,
        flow: Flow,
        case: Case,
        labour_liaison: User,
        prosecutor: User,
        login_as: Callable[[User], Client],
    ) -> None:
        for user in (labour_liaison, prosecutor):
            assert user.organisation is not None
            services.case_share(
                case=case, organisation=user.organisation, by=flow.officer, reason="x"
            )
            response = login_as(user).post(
                self.url(case), {"role": "RecruiterOrIntermediary", "name_latin": "X"}
            )
            assert response.status_code in {403, 404}
        assert not case.parties.exists()


def test_fia_running_the_case_gets_the_summary_pdf_with_suspects_named(
    transferred: Case, fia_liaison: User, login_as: Callable[[User], Client]
) -> None:
    response = login_as(fia_liaison).get(reverse("cell:case_pdf", args=[transferred.reference]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert f"{suspect_of(transferred).pseudonym}: Suspect" in text
    assert "Victim" not in text.replace(victim_of(transferred).pseudonym, "")
