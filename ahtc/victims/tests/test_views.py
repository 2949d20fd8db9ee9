"""The pages, end to end: opening a record from a case, consent and referrals,
the provider's answer and delivery, follow-up, risk, plan, alerts, families
and the service directory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ahtc.accounts.models import Organisation, User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, Party, PartyRole
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.people.models import Person
from ahtc.victims import services as s
from ahtc.victims.models import (
    FamilySupport,
    FamilySupportKind,
    MissingMigrantFamily,
    PlanStatus,
    ProtectionRecord,
    ReappearanceAlert,
    Referral,
    ReferralStatus,
    RiskLevel,
    ServiceConsent,
    ServiceType,
)

from .conftest import GiveConsent, MakeRecord

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
MakePerson = Callable[..., Person]


def record_url(record: ProtectionRecord, anchor: str = "") -> str:
    url = reverse("cell:victim", args=[record.number])
    return f"{url}#{anchor}" if anchor else url


def today() -> str:
    return timezone.localdate().isoformat()


@pytest.fixture
def victim_party(case: Case, make_person: MakePerson, officer_mbdin: User) -> Party:
    return case_services.party_add(
        case=case,
        by=officer_mbdin,
        role=PartyRole.VICTIM,
        person=make_person("Rukhsana Kausar", age_years=15),
    )


class TestOpenRecord:
    def test_open_from_a_case_victim_then_redirect(
        self,
        case: Case,
        victim_party: Party,
        officer_mbdin: User,
        cpb_org: Organisation,
        login_as: LoginAs,
    ) -> None:
        client = login_as(officer_mbdin)
        url = reverse("cell:victim_open", args=[case.reference, victim_party.pk])
        form = client.get(url)
        assert form.status_code == 200
        # A 15-year-old: the form suggests a child.
        assert b'name="child" id="id_child" checked' in form.content
        response = client.post(
            url,
            {
                "trafficking_status": "ActualVictimOfTrafficking",
                "status_decided_by": "Police",
                "exploitation": ["ChildLabour", "Servitude"],
                "control_methods": ["DebtBondage"],
                "recruitment_method": "ThroughFamilyOrFamilyEvents",
                "relationship": "Familial",
                "child": "on",
                "age_evidence": "document",
                "address": "Street 3, Phalia",
            },
        )
        record = ProtectionRecord.objects.get(person=victim_party.person)
        assert response.status_code == 302
        assert response["Location"] == record_url(record)
        assert record.trafficking_status == "ActualVictimOfTrafficking"
        assert record.status_decided_by == "Police"
        assert record.exploitation == ["ChildLabour", "Servitude"]
        assert record.child is True
        assert record.address == "Street 3, Phalia"
        assert record.created_by == officer_mbdin
        assert record.follow_ups.count() == 4
        # The child's draft to the Child Protection Bureau.
        assert Referral.objects.get(record=record).status == ReferralStatus.DRAFT
        # A second visit goes to the record.
        again = client.get(url)
        assert again.status_code == 302
        assert again["Location"] == record_url(record)
        assert ProtectionRecord.objects.count() == 1
        page = client.get(record_url(record))
        assert page.status_code == 200
        assert record.number.encode() in page.content
        assert case.reference.encode() in page.content

    def test_status_decided_by_is_kept(
        self, case: Case, victim_party: Party, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        client.post(
            reverse("cell:victim_open", args=[case.reference, victim_party.pk]),
            {"trafficking_status": "ActualVictimOfTrafficking", "status_decided_by": "NGO"},
        )
        record = ProtectionRecord.objects.get(person=victim_party.person)
        assert record.status_decided_by == "NGO"
        assert record.child is False

    def test_only_victims_get_a_record(
        self, case: Case, make_person: MakePerson, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        witness = case_services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.WITNESS, person=make_person("Witness")
        )
        url = reverse("cell:victim_open", args=[case.reference, witness.pk])
        assert login_as(officer_mbdin).get(url).status_code == 404

    def test_other_district_cannot_open(
        self, case: Case, victim_party: Party, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        url = reverse("cell:victim_open", args=[case.reference, victim_party.pk])
        response = login_as(officer_gujrat).post(
            url,
            {"trafficking_status": "PossibleVictimOfTrafficking", "status_decided_by": "Police"},
        )
        assert response.status_code == 404
        assert not ProtectionRecord.objects.exists()


class TestReferralPages:
    def test_consent_then_referral_form_sends(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        login_as: LoginAs,
    ) -> None:
        client = login_as(officer_mbdin)
        refer_url = reverse("cell:victim_referral", args=[record.number])
        data = {
            "service": ServiceType.HEALTH,
            "provider": health_org.pk,
            "needs": "Treatment of burns on both hands",
            "identity_needed": "on",
        }
        # Without consent: the form says so and nothing is sent.
        refused = client.post(refer_url, data)
        assert refused.status_code == 200
        assert b"consent does not cover" in refused.content
        assert not Referral.objects.exists()
        # The officer has no override: the form does not offer it.
        assert b'name="override_consent"' not in refused.content
        consent = client.post(
            reverse("cell:victim_consent", args=[record.number]),
            {
                "service": ServiceType.HEALTH,
                "organisation": health_org.pk,
                "identity": "on",
                "method": "thumbprint",
                "given_on": today(),
            },
        )
        assert consent.status_code == 302
        assert ServiceConsent.objects.get(record=record).identity is True
        response = client.post(refer_url, data)
        assert response.status_code == 302
        assert response["Location"] == record_url(record, "referrals")
        referral = Referral.objects.get(record=record)
        assert referral.status == ReferralStatus.SENT
        assert referral.provider == health_org
        assert referral.identity_needed is True
        assert referral.needs == "Treatment of burns on both hands"
        assert referral.referred_by == officer_mbdin
        outgoing = client.get(reverse("cell:referrals"))
        assert record.number.encode() in outgoing.content

    def test_dpo_form_offers_the_override(
        self, record: ProtectionRecord, dpo_mbdin: User, health_org: Organisation, login_as: LoginAs
    ) -> None:
        client = login_as(dpo_mbdin)
        url = reverse("cell:victim_referral", args=[record.number])
        assert b'name="override_consent"' in client.get(url).content
        response = client.post(
            url,
            {
                "service": ServiceType.HEALTH,
                "provider": health_org.pk,
                "needs": "Emergency surgery",
                "override_consent": "on",
                "reason": "Unconscious on arrival",
            },
        )
        assert response.status_code == 302
        assert Referral.objects.get(record=record).consent_overridden is True

    def test_provider_accepts_then_records_the_service(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        referral = s.referral_create(
            record=record,
            by=officer_mbdin,
            provider=health_org,
            service=ServiceType.HEALTH,
            needs="Check-up",
        )
        client = login_as(health_user)
        url = reverse("cell:provider_referral", args=[referral.pk])
        page = client.get(url)
        assert b"Send the answer" in page.content
        # Rejecting needs a reason: the page says so.
        refused = client.post(url, {"accept": "0", "reason": ""})
        assert refused.status_code == 200
        assert b"Say why you reject it." in refused.content
        accepted = client.post(url, {"accept": "1", "reason": ""})
        assert accepted.status_code == 302
        assert accepted["Location"] == reverse("cell:referrals")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED
        assert referral.answered_by == health_user
        assert b"Record the service given" in client.get(url).content
        future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
        too_early = client.post(url, {"delivered_on": future, "outcome": "Treated"})
        assert too_early.status_code == 200
        assert b"The date is in the future." in too_early.content
        delivered = client.post(url, {"delivered_on": today(), "outcome": "Burns dressed"})
        assert delivered.status_code == 302
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.DELIVERED
        assert referral.outcome == "Burns dressed"
        # The cell sees the outcome on the record.
        assert b"Burns dressed" in login_as(officer_mbdin).get(record_url(record)).content

    def test_send_a_draft_and_close_it(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        cpb_org: Organisation,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        record = make_record(child=True)
        draft = Referral.objects.get(record=record)
        give_consent(record, ServiceType.SOCIAL_CARE, identity=True)
        client = login_as(officer_mbdin)
        sent = client.post(reverse("cell:victim_referral_send", args=[record.number, draft.pk]))
        assert sent.status_code == 302
        draft.refresh_from_db()
        assert draft.status == ReferralStatus.SENT
        closed = client.post(
            reverse("cell:victim_referral_close", args=[record.number, draft.pk]),
            {"outcome": "Family reunited"},
        )
        assert closed.status_code == 302
        draft.refresh_from_db()
        assert draft.status == ReferralStatus.CLOSED
        assert draft.outcome == "Family reunited"

    def test_consent_withdrawal_page_closes_referrals(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
        login_as: LoginAs,
    ) -> None:
        consent = give_consent(record, ServiceType.HEALTH)
        referral = s.referral_create(
            record=record,
            by=officer_mbdin,
            provider=health_org,
            service=ServiceType.HEALTH,
            needs="Check-up",
        )
        client = login_as(officer_mbdin)
        url = reverse("cell:victim_consent_withdraw", args=[record.number, consent.pk])
        assert client.get(url).status_code == 405
        response = client.post(url, {"confirm": "yes"})
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.CLOSED


class TestRecordPages:
    def test_follow_up_is_recorded(
        self, record: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        follow_up = record.follow_ups.first()
        assert follow_up is not None
        client = login_as(officer_mbdin)
        url = reverse("cell:victim_follow_up", args=[record.number, follow_up.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"done_on": today(), "outcome": "Back at school"})
        assert response.status_code == 302
        assert response["Location"] == record_url(record, "follow-up")
        follow_up.refresh_from_db()
        assert follow_up.done_on == timezone.localdate()
        assert follow_up.outcome == "Back at school"
        assert follow_up.by == officer_mbdin

    def test_risk_form(
        self, record: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        response = client.post(
            reverse("cell:victim_risk", args=[record.number]),
            {"factors": ["threats"], "note": "Agent called the family"},
        )
        assert response.status_code == 302
        risk = record.risks.get()
        assert risk.level == RiskLevel.HIGH
        assert risk.factors == ["threats"]
        assert risk.by == officer_mbdin
        assert b"Agent called the family" in client.get(record_url(record)).content

    def test_plan_item_added_then_done(
        self, record: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        added = client.post(
            reverse("cell:victim_plan", args=[record.number]),
            {
                "service": ServiceType.EDUCATION,
                "objective": "Enrol in grade 5",
                "planned_end": "2026-04-01",
            },
        )
        assert added.status_code == 302
        item = record.plan.get()
        assert item.status == PlanStatus.PLANNED
        status_url = reverse("cell:victim_plan_status", args=[record.number, item.pk])
        assert client.post(status_url, {"status": "nonsense"}).status_code == 404
        response = client.post(status_url, {"status": PlanStatus.DONE})
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == PlanStatus.DONE
        assert item.actual_end == timezone.localdate()

    def test_plan_items_from_needs_name_the_service_in_the_readers_language(
        self, record: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        """Issue 18: an item opened by a needs assessment stored the service's
        English label as its objective, so Urdu pages showed English."""
        _assessment, (item,) = s.needs_assess(
            record=record, by=officer_mbdin, needs=[ServiceType.LEGAL]
        )
        assert item.objective == ""
        client = login_as(officer_mbdin)
        client.cookies["ahtc_lang"] = "ur"
        page = client.get(record_url(record)).content.decode()
        with translation.override("en"):
            english = str(dict(ServiceType.choices)[ServiceType.LEGAL])
        with translation.override("ur"):
            urdu = str(dict(ServiceType.choices)[ServiceType.LEGAL])
        assert urdu != english
        assert f"<strong>{urdu}</strong></p>" in page
        assert english not in page

    def test_edit_and_compensation(
        self, record: ProtectionRecord, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        edited = client.post(
            reverse("cell:victim_edit", args=[record.number]),
            {
                "trafficking_status": "ActualVictimOfTrafficking",
                "status_decided_by": "CourtOrProsecution",
                "identity_withheld": "on",
            },
        )
        assert edited.status_code == 302
        record.refresh_from_db()
        assert record.trafficking_status == "ActualVictimOfTrafficking"
        assert record.status_decided_by == "CourtOrProsecution"
        assert record.identity_withheld is True
        url = reverse("cell:victim_compensation", args=[record.number])
        refused = client.post(
            url, {"source": "court", "ordered_pkr": "1000", "paid_pkr": "5000", "paid_on": today()}
        )
        assert refused.status_code == 200
        assert b"More is paid than was ordered." in refused.content
        done = client.post(
            url, {"source": "court", "ordered_pkr": "5000", "paid_pkr": "5000", "paid_on": today()}
        )
        assert done.status_code == 302
        assert record.compensation.get().paid_pkr == 5000

    def test_alert_mark_as_seen(
        self,
        make_case: Callable[..., Case],
        record: ProtectionRecord,
        officer_mbdin: User,
        login_as: LoginAs,
    ) -> None:
        for title in ("First", "Second"):
            case_services.party_add(
                case=make_case(title=title),
                by=officer_mbdin,
                role=PartyRole.VICTIM,
                person=record.person,
            )
        alert = ReappearanceAlert.objects.get(record=record)
        client = login_as(officer_mbdin)
        page = client.get(record_url(record))
        assert b"Mark as seen" in page.content
        listing = client.get(reverse("cell:victims") + "?show=alerts")
        assert record.number.encode() in listing.content
        url = reverse("cell:victim_alert_seen", args=[record.number, alert.pk])
        assert client.get(url).status_code == 405
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"] == record_url(record, "alerts")
        alert.refresh_from_db()
        assert alert.seen_at is not None
        assert alert.seen_by == officer_mbdin
        assert b"Mark as seen" not in client.get(record_url(record)).content
        listing = client.get(reverse("cell:victims") + "?show=alerts")
        assert record.number.encode() not in listing.content


class TestFamilies:
    def test_add_a_family_and_record_support(
        self, case: Case, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        client = login_as(officer_mbdin)
        url = reverse("cell:families")
        assert client.get(url).status_code == 200
        response = client.post(
            url,
            {
                "case": case.pk,
                "migrant_fate": "deceased",
                "contact_name": "Muhammad Aslam",
                "relation": "father",
                "phone": "0301-2223334",
            },
        )
        assert response.status_code == 302
        family = MissingMigrantFamily.objects.get()
        assert family.case == case
        assert family.contact_name == "Muhammad Aslam"
        assert family.added_by == officer_mbdin
        page = client.get(url)
        assert b"Muhammad Aslam" in page.content
        assert AuditEvent.objects.filter(
            actor=officer_mbdin, action=AuditAction.VIEW, reason="families list"
        ).exists()
        support_url = reverse("cell:family_support", args=[family.pk])
        assert client.get(support_url).status_code == 200
        done = client.post(
            support_url, {"kind": FamilySupportKind.DNA, "date": today(), "note": "Sample taken"}
        )
        assert done.status_code == 302
        support = FamilySupport.objects.get(family=family)
        assert support.kind == FamilySupportKind.DNA
        assert b"Sample taken" in client.get(url).content

    def test_other_district_cannot_see_or_support_the_family(
        self, case: Case, officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
    ) -> None:
        family = s.family_add(
            case=case, by=officer_mbdin, contact_name="Muhammad Aslam", relation="father"
        )
        client = login_as(officer_gujrat)
        assert b"Muhammad Aslam" not in client.get(reverse("cell:families")).content
        response = client.post(
            reverse("cell:family_support", args=[family.pk]),
            {"kind": FamilySupportKind.MEETING, "date": today()},
        )
        assert response.status_code == 404
        assert not FamilySupport.objects.exists()
        # Nor add a family to a case it does not run.
        client.post(
            reverse("cell:families"),
            {"case": case.pk, "migrant_fate": "missing", "contact_name": "X", "relation": "y"},
        )
        assert MissingMigrantFamily.objects.count() == 1


class TestDirectory:
    def test_filter_by_service(
        self,
        officer_mbdin: User,
        health_org: Organisation,
        ngo_org: Organisation,
        login_as: LoginAs,
    ) -> None:
        client = login_as(officer_mbdin)
        everyone = client.get(reverse("cell:directory"))
        assert everyone.status_code == 200
        assert health_org.name.encode() in everyone.content
        assert ngo_org.name.encode() in everyone.content
        health = client.get(reverse("cell:directory"), {"service": ServiceType.HEALTH})
        assert health.status_code == 200
        assert health_org.name.encode() in health.content
        assert ngo_org.name.encode() not in health.content
        legal = client.get(reverse("cell:directory"), {"service": ServiceType.LEGAL})
        assert ngo_org.name.encode() in legal.content
        assert health_org.name.encode() not in legal.content
        assert b"adults only" in legal.content
        # An unknown service is ignored, not an error.
        bogus = client.get(reverse("cell:directory"), {"service": "Astrology"})
        assert bogus.status_code == 200
        assert health_org.name.encode() in bogus.content

    def test_referral_form_offers_only_providers(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        labour_liaison: User,
        login_as: LoginAs,
    ) -> None:
        assert labour_liaison.organisation is not None
        page = login_as(officer_mbdin).get(reverse("cell:victim_referral", args=[record.number]))
        assert f'value="{health_org.pk}"'.encode() in page.content
        assert f'value="{labour_liaison.organisation.pk}"'.encode() not in page.content


def test_cell_officer_lists_a_provider_and_it_appears_in_the_directory(
    login_as: Callable[[User], Client], officer_mbdin: User, make_org: Callable[..., Organisation]
) -> None:
    from ahtc.accounts.models import OrganisationKind

    school = make_org(kind=OrganisationKind.EDUCATION, area="PK620", name="Test School")
    client = login_as(officer_mbdin)
    response = client.post(
        reverse("cell:provider_profile", args=[school.pk]),
        {"services": ["Education"], "contact_person": "Head teacher", "accepts_children": "on"},
    )
    assert response.status_code == 302
    page = client.get(reverse("cell:directory") + "?service=Education").content.decode()
    assert "Test School" in page
    cell = make_org(kind=OrganisationKind.POLICE_AHTC, area="PK610", name="Other cell")
    assert client.get(reverse("cell:provider_profile", args=[cell.pk])).status_code == 404


def test_provider_staff_cannot_edit_the_directory(
    login_as: Callable[[User], Client], health_user: User, health_org: Organisation
) -> None:
    response = login_as(health_user).get(reverse("cell:provider_profile", args=[health_org.pk]))
    assert response.status_code == 403
