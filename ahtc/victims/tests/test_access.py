"""Who sees a protection record, and what a service provider sees of a referral."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import Organisation, User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, PartyRole
from ahtc.cases.tests.conftest import Flow
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.services import identifier_add
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord, Referral, ReferralStatus, ServiceType
from ahtc.victims.selectors import (
    provider_referrals_for_user,
    provider_sees_identity,
    records_for_user,
)

from .conftest import GiveConsent, MakeRecord

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
MakePerson = Callable[..., Person]

NAME = "Shahnaz Parveen"
PHONE = "0300-4445556"
PHONE_DIGITS = "4445556"
ADDRESS = "House 7, Mohalla Qadirabad"


@pytest.fixture
def victim(
    make_person: MakePerson, make_record: MakeRecord, officer_mbdin: User
) -> ProtectionRecord:
    """An adult victim with a name, a phone and an address."""
    person = make_person(NAME)
    identifier_add(person=person, kind=IdentifierKind.PHONE, raw=PHONE, by=officer_mbdin)
    return make_record(person, address=ADDRESS)


def record_url(record: ProtectionRecord) -> str:
    return reverse("cell:victim", args=[record.number])


def provider_url(referral: Referral) -> str:
    return reverse("cell:provider_referral", args=[referral.pk])


def send(
    record: ProtectionRecord,
    by: User,
    provider: Organisation,
    service: str = ServiceType.HEALTH,
    **kwargs: object,
) -> Referral:
    return s.referral_create(
        record=record,
        by=by,
        provider=provider,
        service=service,
        needs="Check-up and treatment of injuries",
        **kwargs,  # type: ignore[arg-type]
    )


# --- cell staff --------------------------------------------------------------------------------


class TestCellStaff:
    def test_officer_of_the_district_sees_the_record_and_name(
        self, victim: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        assert list(records_for_user(officer_mbdin)) == [victim]
        response = login_as(officer_mbdin).get(record_url(victim))
        assert response.status_code == 200
        assert NAME.encode() in response.content
        assert PHONE_DIGITS.encode() in response.content
        assert ADDRESS.encode() in response.content
        assert AuditEvent.objects.filter(
            actor=officer_mbdin,
            action=AuditAction.VIEW,
            outcome=AuditOutcome.ALLOWED,
            object_type="victims.protectionrecord",
            object_id=str(victim.pk),
            reason="protection record with identity",
        ).exists()

    def test_officer_of_the_district_sees_it_in_the_list(
        self, victim: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        response = login_as(officer_mbdin).get(reverse("cell:victims"))
        assert response.status_code == 200
        assert victim.number.encode() in response.content
        assert NAME.encode() in response.content  # names shown, audited (issue 10)

    def test_officer_of_another_district_gets_404_and_an_audit_row(
        self, victim: ProtectionRecord, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        assert not records_for_user(officer_gujrat).exists()
        client = login_as(officer_gujrat)
        response = client.get(record_url(victim))
        assert response.status_code == 404
        assert NAME.encode() not in response.content
        assert AuditEvent.objects.filter(
            actor=officer_gujrat,
            outcome=AuditOutcome.REFUSED,
            object_type="victims.protectionrecord",
            object_id=str(victim.pk),
        ).exists()
        listing = client.get(reverse("cell:victims"))
        assert listing.status_code == 200
        assert victim.number.encode() not in listing.content

    def test_officer_of_another_district_cannot_act_on_the_record(
        self, victim: ProtectionRecord, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_gujrat)
        for name in ("cell:victim_edit", "cell:victim_consent", "cell:victim_risk"):
            assert client.get(reverse(name, args=[victim.number])).status_code == 404
        response = client.post(
            reverse("cell:victim_risk", args=[victim.number]), {"factors": ["threats"]}
        )
        assert response.status_code == 404
        assert not victim.risks.exists()

    def test_investigating_officer_sees_victims_of_cases_they_lead(
        self,
        flow: Flow,
        case: Case,
        make_person: MakePerson,
        make_record: MakeRecord,
        io_mbdin: User,
        officer_mbdin: User,
        login_as: LoginAs,
    ) -> None:
        in_case = make_person("In The Case")
        case_services.party_add(case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=in_case)
        led = make_record(in_case)
        other = make_record(make_person("Not In The Case"))
        client = login_as(io_mbdin)
        # Not yet leading the case: nothing.
        assert not records_for_user(io_mbdin).exists()
        assert client.get(record_url(led)).status_code == 404
        flow.assign(case)
        assert case.lead_officer == io_mbdin
        assert list(records_for_user(io_mbdin)) == [led]
        response = client.get(record_url(led))
        assert response.status_code == 200
        assert b"In The Case" in response.content
        assert client.get(record_url(other)).status_code == 404
        listing = client.get(reverse("cell:victims"))
        assert listing.status_code == 200
        assert led.number.encode() in listing.content
        assert other.number.encode() not in listing.content


@pytest.mark.parametrize(
    "persona",
    ["provincial_monitor", "admin_user", "committee_member", "fia_liaison", "health_user"],
)
class TestOutsideTheCell:
    def test_no_record_page_and_no_list(
        self,
        request: pytest.FixtureRequest,
        persona: str,
        victim: ProtectionRecord,
        login_as: LoginAs,
    ) -> None:
        user: User = request.getfixturevalue(persona)
        assert not records_for_user(user).exists()
        client = login_as(user)
        response = client.get(record_url(victim))
        assert response.status_code == 404
        assert NAME.encode() not in response.content
        assert client.get(reverse("cell:victims")).status_code == 403
        assert client.get(reverse("cell:victims") + "?export=csv").status_code == 403
        assert client.get(reverse("cell:families")).status_code == 403
        assert client.get(reverse("cell:victim_risk", args=[victim.number])).status_code == 404

    def test_record_page_refusal_is_audited(
        self,
        request: pytest.FixtureRequest,
        persona: str,
        victim: ProtectionRecord,
        login_as: LoginAs,
    ) -> None:
        user: User = request.getfixturevalue(persona)
        login_as(user).get(record_url(victim))
        assert AuditEvent.objects.filter(
            actor=user, outcome=AuditOutcome.REFUSED, object_id=str(victim.pk)
        ).exists()


# --- providers ---------------------------------------------------------------------------------


class TestProviderAccess:
    @pytest.fixture
    def referral(
        self,
        victim: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> Referral:
        give_consent(victim, ServiceType.HEALTH)
        return send(victim, officer_mbdin, health_org)

    def test_provider_sees_a_referral_to_its_organisation(
        self, referral: Referral, health_user: User, login_as: LoginAs
    ) -> None:
        client = login_as(health_user)
        response = client.get(provider_url(referral))
        assert response.status_code == 200
        assert referral.record.number.encode() in response.content
        assert b"Check-up and treatment of injuries" in response.content
        inbox = client.get(reverse("cell:referrals"))
        assert inbox.status_code == 200
        assert provider_url(referral).encode() in inbox.content
        assert AuditEvent.objects.filter(
            actor=health_user,
            action=AuditAction.VIEW,
            object_type="victims.protectionrecord",
            object_id=str(referral.record_id),
            reason=f"referral {referral.pk} by provider",
        ).exists()

    def test_another_provider_gets_404(
        self, referral: Referral, ngo_user: User, login_as: LoginAs
    ) -> None:
        assert not provider_referrals_for_user(ngo_user).exists()
        client = login_as(ngo_user)
        assert client.get(provider_url(referral)).status_code == 404
        assert AuditEvent.objects.filter(
            actor=ngo_user, outcome=AuditOutcome.REFUSED, object_type="victims.referral"
        ).exists()
        assert provider_url(referral).encode() not in client.get(reverse("cell:referrals")).content

    def test_provider_cannot_answer_a_referral_it_cannot_see(
        self, referral: Referral, ngo_user: User, login_as: LoginAs
    ) -> None:
        response = login_as(ngo_user).post(provider_url(referral), {"accept": "1"})
        assert response.status_code == 404
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT

    def test_provider_never_sees_the_record(
        self, referral: Referral, health_user: User, login_as: LoginAs
    ) -> None:
        client = login_as(health_user)
        assert client.get(record_url(referral.record)).status_code == 404
        assert client.get(reverse("cell:victims")).status_code == 403

    def test_provider_never_sees_a_draft(
        self, make_record: MakeRecord, cpb_user: User, login_as: LoginAs
    ) -> None:
        draft = Referral.objects.get(record=make_record(child=True))
        assert draft.status == ReferralStatus.DRAFT
        assert draft.provider_id == cpb_user.organisation_id
        assert not provider_referrals_for_user(cpb_user).exists()
        client = login_as(cpb_user)
        assert client.get(provider_url(draft)).status_code == 404
        assert provider_url(draft).encode() not in client.get(reverse("cell:referrals")).content

    def test_access_ends_when_the_referral_is_closed(
        self, referral: Referral, officer_mbdin: User, health_user: User, login_as: LoginAs
    ) -> None:
        client = login_as(health_user)
        assert client.get(provider_url(referral)).status_code == 200
        s.referral_close(referral=referral, by=officer_mbdin)
        assert client.get(provider_url(referral)).status_code == 404

    def test_access_ends_when_the_provider_rejects(
        self, referral: Referral, health_user: User, login_as: LoginAs
    ) -> None:
        s.referral_answer(referral=referral, by=health_user, accept=False, reason="No capacity")
        assert login_as(health_user).get(provider_url(referral)).status_code == 404

    def test_access_stays_after_delivery(
        self, referral: Referral, health_user: User, login_as: LoginAs
    ) -> None:
        s.referral_answer(referral=referral, by=health_user, accept=True)
        referral.refresh_from_db()
        s.referral_deliver(
            referral=referral,
            by=health_user,
            delivered_on=referral.created_at.date(),
            outcome="Treated",
        )
        assert login_as(health_user).get(provider_url(referral)).status_code == 200

    def test_access_ends_when_consent_is_withdrawn(
        self, referral: Referral, officer_mbdin: User, health_user: User, login_as: LoginAs
    ) -> None:
        client = login_as(health_user)
        s.referral_answer(referral=referral, by=health_user, accept=True)
        assert client.get(provider_url(referral)).status_code == 200
        consent = referral.record.consents.get()
        s.consent_withdraw(consent=consent, by=officer_mbdin)
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.CLOSED
        assert client.get(provider_url(referral)).status_code == 404

    def test_provider_page_shows_no_address_and_no_case_reference(
        self,
        victim: ProtectionRecord,
        make_case: Callable[..., Case],
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        # Another year, so the case reference is no part of the victim number.
        case = make_case(opened_on=dt.date(2024, 3, 6))
        assert case.reference not in victim.number
        case_services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=victim.person
        )
        give_consent(victim, ServiceType.HEALTH, identity=True)
        referral = send(victim, officer_mbdin, health_org, identity_needed=True)
        response = login_as(health_user).get(provider_url(referral))
        assert response.status_code == 200
        assert NAME.encode() in response.content  # identity shared, as consented ...
        assert ADDRESS.encode() not in response.content  # ... but never the address
        assert case.reference.encode() not in response.content
        assert b"Mohalla" not in response.content
        inbox = login_as(health_user).get(reverse("cell:referrals"))
        assert victim.number.encode() in inbox.content
        assert ADDRESS.encode() not in inbox.content
        assert NAME.encode() not in inbox.content
        assert case.reference.encode() not in inbox.content


class TestProviderIdentity:
    """The name shows only when the referral needs it, consent covers it and the
    record is not identity-withheld."""

    def test_needed_and_consented_shows_the_name_and_phone(
        self,
        victim: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        give_consent(victim, ServiceType.HEALTH, health_org, identity=True)
        referral = send(victim, officer_mbdin, health_org, identity_needed=True)
        assert provider_sees_identity(referral)
        response = login_as(health_user).get(provider_url(referral))
        assert NAME.encode() in response.content
        assert PHONE_DIGITS.encode() in response.content
        assert AuditEvent.objects.filter(
            actor=health_user, reason=f"referral {referral.pk} by provider with identity"
        ).exists()

    def test_not_needed_hides_it_even_with_consent(
        self,
        victim: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        give_consent(victim, ServiceType.HEALTH, identity=True)
        referral = send(victim, officer_mbdin, health_org, identity_needed=False)
        assert not provider_sees_identity(referral)
        response = login_as(health_user).get(provider_url(referral))
        assert response.status_code == 200
        assert NAME.encode() not in response.content
        assert PHONE_DIGITS.encode() not in response.content

    def test_needed_without_identity_consent_hides_it(
        self,
        victim: ProtectionRecord,
        dpo_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        # Consent by number only; the DPO overrides to send it as needing identity.
        give_consent(victim, ServiceType.HEALTH, identity=False)
        referral = send(
            victim,
            dpo_mbdin,
            health_org,
            identity_needed=True,
            override_consent=True,
            reason="Hospital admission needs the name",
        )
        assert referral.identity_needed
        assert referral.consent_overridden
        assert not provider_sees_identity(referral)
        response = login_as(health_user).get(provider_url(referral))
        assert response.status_code == 200
        assert NAME.encode() not in response.content
        assert PHONE_DIGITS.encode() not in response.content

    def test_identity_consent_for_another_provider_hides_it(
        self,
        victim: ProtectionRecord,
        dpo_mbdin: User,
        health_org: Organisation,
        ngo_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        give_consent(victim, ServiceType.PSYCHOSOCIAL, ngo_org, identity=True)
        give_consent(victim, ServiceType.PSYCHOSOCIAL, identity=False)
        referral = send(
            victim,
            dpo_mbdin,
            health_org,
            ServiceType.PSYCHOSOCIAL,
            identity_needed=True,
            override_consent=True,
            reason="Needs the name",
        )
        assert not provider_sees_identity(referral)
        assert NAME.encode() not in login_as(health_user).get(provider_url(referral)).content

    def test_withheld_record_hides_it(
        self,
        victim: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        give_consent(victim, ServiceType.HEALTH, identity=True)
        referral = send(victim, officer_mbdin, health_org, identity_needed=True)
        client = login_as(health_user)
        assert NAME.encode() in client.get(provider_url(referral)).content
        # Marked media-sensitive after the referral went out: the name goes at once.
        s.record_update(record=victim, by=officer_mbdin, identity_withheld=True)
        referral.refresh_from_db()
        assert referral.identity_needed
        assert not provider_sees_identity(referral)
        response = client.get(provider_url(referral))
        assert response.status_code == 200
        assert NAME.encode() not in response.content
        assert PHONE_DIGITS.encode() not in response.content

    def test_withdrawn_identity_consent_hides_it(
        self,
        victim: ProtectionRecord,
        dpo_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        consent = give_consent(victim, ServiceType.HEALTH, identity=True)
        referral = send(
            victim,
            dpo_mbdin,
            health_org,
            identity_needed=True,
            override_consent=True,
            reason="unused",
        )
        assert not referral.consent_overridden  # the consent covered it
        assert provider_sees_identity(referral)
        s.consent_withdraw(consent=consent, by=dpo_mbdin)
        assert login_as(health_user).get(provider_url(referral)).status_code == 404


def test_review_fixes_withheld_case_district_and_investigator_limits(
    login_as: Any,
    officer_mbdin: User,
    io_mbdin: User,
    make_case: Any,
    make_person: Any,
) -> None:
    """A record opened from an identity-withheld case is withheld; it belongs to the
    case's district; an investigating officer cannot change privacy settings."""
    from django.urls import reverse

    from ahtc.cases import services as cases
    from ahtc.cases.models import PartyRole
    from ahtc.victims import services as vs

    case = make_case()
    case.identity_withheld = True
    case.save()
    person = make_person("Withheld Person")
    party = cases.party_add(case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=person)
    record = vs.record_create(person=person, by=officer_mbdin, child=False, district=case.district)
    assert record.identity_withheld
    assert record.district == case.district
    handover = cases.handover_create(
        case=case, by=officer_mbdin, kind="assign", to_user=io_mbdin, reason="lead"
    )
    cases.handover_answer(handover=handover, by=io_mbdin, accept=True)
    client = login_as(io_mbdin)
    assert client.get(reverse("cell:victim", args=[record.number])).status_code == 200
    assert client.get(reverse("cell:victim_edit", args=[record.number])).status_code == 403
    assert client.get(reverse("cell:victim_consent", args=[record.number])).status_code == 403
    assert client.get(reverse("cell:victim_referral", args=[record.number])).status_code == 403
    assert party.pk
