"""Writes on victim protection: numbering, follow-ups, the child-protection
draft, the consent gate on referrals, the provider's answer and delivery,
withdrawal, SLA, risk, compensation, families and the re-trafficking alerts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.utils import timezone

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, PartyRole
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.geography.models import Area
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.services import identifier_add
from ahtc.portal.models import Tip
from ahtc.portal.services import tip_submit
from ahtc.victims import services as s
from ahtc.victims.models import (
    AlertSource,
    Compensation,
    CompensationSource,
    FamilySupport,
    FamilySupportKind,
    FollowUp,
    MissingMigrantFamily,
    PlanStatus,
    ProtectionRecord,
    ReappearanceAlert,
    Referral,
    ReferralStatus,
    RiskFactor,
    RiskLevel,
    ServiceType,
)
from ahtc.victims.services import VictimError

from .conftest import GiveConsent, MakeRecord

pytestmark = pytest.mark.django_db

MakePerson = Callable[..., Person]
MakeCase = Callable[..., Case]


def refer(
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
        needs="Medical check after rescue",
        **kwargs,  # type: ignore[arg-type]
    )


# --- records ---------------------------------------------------------------------------------


class TestRecordCreate:
    def test_numbers_run_per_district_and_year(
        self,
        make_record: MakeRecord,
        make_person: MakePerson,
        gujrat: Area,
        officer_gujrat: User,
    ) -> None:
        first = make_record(opened_on=dt.date(2025, 2, 1))
        second = make_record(opened_on=dt.date(2025, 9, 30))
        next_year = make_record(opened_on=dt.date(2026, 1, 2))
        elsewhere = s.record_create(
            person=make_person("Gujrat Victim", source_district=gujrat, by=officer_gujrat),
            by=officer_gujrat,
            child=False,
            opened_on=dt.date(2025, 5, 5),
        )
        assert first.number == "VIC-MBD-2025-0001"
        assert second.number == "VIC-MBD-2025-0002"
        assert next_year.number == "VIC-MBD-2026-0001"
        assert elsewhere.number == "VIC-GRT-2025-0001"
        assert elsewhere.district == gujrat
        first.refresh_from_db()
        assert first.created_at.date() == dt.date(2025, 2, 1)

    def test_opening_is_audited(self, record: ProtectionRecord, officer_mbdin: User) -> None:
        assert AuditEvent.objects.filter(
            actor=officer_mbdin,
            action=AuditAction.CREATE,
            object_type="victims.protectionrecord",
            object_id=str(record.pk),
            area_code="PK620",
        ).exists()

    def test_second_record_for_the_same_person_is_refused(
        self, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        with pytest.raises(VictimError, match="already has a protection record"):
            s.record_create(person=record.person, by=officer_mbdin, child=False)
        assert ProtectionRecord.objects.filter(person=record.person).count() == 1

    def test_four_follow_ups_at_one_three_six_twelve_months(self, make_record: MakeRecord) -> None:
        record = make_record(opened_on=dt.date(2025, 1, 31))
        dues = list(FollowUp.objects.filter(record=record).values_list("due", flat=True))
        assert dues == [
            dt.date(2025, 2, 28),  # no 31 February: the month's last day
            dt.date(2025, 4, 30),
            dt.date(2025, 7, 31),
            dt.date(2026, 1, 31),
        ]
        assert not FollowUp.objects.filter(record=record, done_on__isnull=False).exists()

    def test_month_end_in_a_leap_year(self, make_record: MakeRecord) -> None:
        record = make_record(opened_on=dt.date(2023, 11, 30))
        dues = list(FollowUp.objects.filter(record=record).values_list("due", flat=True))
        assert dues == [
            dt.date(2023, 12, 30),
            dt.date(2024, 2, 29),
            dt.date(2024, 5, 30),
            dt.date(2024, 11, 30),
        ]

    def test_child_gets_a_draft_referral_to_the_child_protection_bureau(
        self, make_record: MakeRecord, cpb_org: Organisation
    ) -> None:
        record = make_record(child=True)
        referral = Referral.objects.get(record=record)
        assert referral.provider == cpb_org
        assert referral.status == ReferralStatus.DRAFT
        assert referral.service == ServiceType.SOCIAL_CARE
        assert referral.identity_needed is True
        assert referral.sent_at is None

    def test_no_draft_without_a_bureau_in_the_district(
        self, make_record: MakeRecord, make_org: Callable[..., Organisation]
    ) -> None:
        make_org(kind=OrganisationKind.CHILD_PROTECTION, area="PK610")  # Gujrat's, not ours
        record = make_record(child=True)
        assert not Referral.objects.filter(record=record).exists()

    def test_no_draft_for_an_adult(self, make_record: MakeRecord, cpb_org: Organisation) -> None:
        record = make_record(child=False)
        assert not Referral.objects.filter(record=record).exists()

    def test_update_refuses_fields_outside_the_profile(
        self, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        with pytest.raises(VictimError):
            s.record_update(record=record, by=officer_mbdin, number="VIC-X")
        s.record_update(
            record=record,
            by=officer_mbdin,
            exploitation=["SexualExploitation", "ForcedLabour", "ForcedLabour"],
        )
        record.refresh_from_db()
        assert record.exploitation == ["ForcedLabour", "SexualExploitation"]


# --- the consent gate -------------------------------------------------------------------------


class TestConsentGate:
    def test_no_consent_refuses_and_leaves_nothing(
        self, record: ProtectionRecord, officer_mbdin: User, health_org: Organisation
    ) -> None:
        with pytest.raises(VictimError, match="consent does not cover"):
            refer(record, officer_mbdin, health_org)
        assert not Referral.objects.exists()

    def test_consent_for_another_service_does_not_cover(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.PSYCHOSOCIAL, identity=True)
        with pytest.raises(VictimError):
            refer(record, officer_mbdin, health_org, ServiceType.HEALTH)
        assert not Referral.objects.exists()

    def test_consent_for_another_provider_does_not_cover(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        ngo_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.PSYCHOSOCIAL, ngo_org, identity=True)
        with pytest.raises(VictimError):
            refer(record, officer_mbdin, health_org, ServiceType.PSYCHOSOCIAL)
        assert not Referral.objects.exists()
        # ...but it covers the provider it names.
        referral = refer(record, officer_mbdin, ngo_org, ServiceType.PSYCHOSOCIAL)
        assert referral.status == ReferralStatus.SENT

    def test_consent_to_any_provider_sends(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        referral = refer(record, officer_mbdin, health_org)
        assert referral.status == ReferralStatus.SENT
        assert referral.sent_at is not None
        assert referral.consent_overridden is False
        assert AuditEvent.objects.filter(
            object_type="victims.protectionrecord",
            object_id=str(record.pk),
            reason=f"referral {referral.pk} sent to organisation {health_org.pk}",
        ).exists()

    def test_withdrawn_consent_does_not_cover(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        consent = give_consent(record, ServiceType.HEALTH)
        s.consent_withdraw(consent=consent, by=officer_mbdin)
        with pytest.raises(VictimError):
            refer(record, officer_mbdin, health_org)

    def test_identity_needs_a_consent_to_share_it(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH, identity=False)
        with pytest.raises(VictimError):
            refer(record, officer_mbdin, health_org, identity_needed=True)
        assert not Referral.objects.exists()
        # By number only is covered.
        by_number = refer(record, officer_mbdin, health_org, identity_needed=False)
        s.referral_close(referral=by_number, by=officer_mbdin)
        give_consent(record, ServiceType.HEALTH, health_org, identity=True)
        referral = refer(record, officer_mbdin, health_org, identity_needed=True)
        assert referral.identity_needed is True
        assert referral.status == ReferralStatus.SENT

    def test_identity_withheld_record_never_asks_for_identity(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        record = make_record(identity_withheld=True)
        give_consent(record, ServiceType.HEALTH, identity=True)
        referral = refer(record, officer_mbdin, health_org, identity_needed=True)
        assert referral.identity_needed is False

    def test_officer_cannot_override(
        self, record: ProtectionRecord, officer_mbdin: User, health_org: Organisation
    ) -> None:
        with pytest.raises(VictimError, match="allowed to override"):
            refer(record, officer_mbdin, health_org, override_consent=True, reason="Urgent care")
        assert not Referral.objects.exists()
        assert not AuditEvent.objects.filter(reason__startswith="consent override").exists()

    def test_override_needs_a_reason(
        self, record: ProtectionRecord, dpo_mbdin: User, health_org: Organisation
    ) -> None:
        with pytest.raises(VictimError, match="reason"):
            refer(record, dpo_mbdin, health_org, override_consent=True, reason="   ")
        assert not Referral.objects.exists()

    def test_dpo_override_is_marked_and_audited(
        self, record: ProtectionRecord, dpo_mbdin: User, health_org: Organisation
    ) -> None:
        referral = refer(
            record,
            dpo_mbdin,
            health_org,
            override_consent=True,
            reason="Unconscious, needs care now",
        )
        assert referral.status == ReferralStatus.SENT
        assert referral.consent_overridden is True
        event = AuditEvent.objects.get(reason__startswith="consent override")
        assert event.actor == dpo_mbdin
        assert event.object_type == "victims.protectionrecord"
        assert event.object_id == str(record.pk)
        assert "Unconscious, needs care now" in event.reason

    def test_override_is_not_used_when_consent_covers(
        self,
        record: ProtectionRecord,
        dpo_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        referral = refer(record, dpo_mbdin, health_org, override_consent=True, reason="x")
        assert referral.consent_overridden is False

    def test_child_draft_is_sent_once_the_guardian_consents(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        cpb_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        record = make_record(child=True)
        draft = Referral.objects.get(record=record)
        with pytest.raises(VictimError):
            s.referral_send(referral=draft, by=officer_mbdin)
        draft.refresh_from_db()
        assert draft.status == ReferralStatus.DRAFT
        give_consent(record, ServiceType.SOCIAL_CARE, identity=True)
        s.referral_send(referral=draft, by=officer_mbdin)
        draft.refresh_from_db()
        assert draft.status == ReferralStatus.SENT
        with pytest.raises(VictimError, match="Only a draft"):
            s.referral_send(referral=draft, by=officer_mbdin)

    def test_consent_date_in_the_future_is_refused(
        self, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        with pytest.raises(VictimError):
            s.consent_record(
                record=record,
                by=officer_mbdin,
                service=ServiceType.HEALTH,
                method="thumbprint",
                given_on=timezone.localdate() + dt.timedelta(days=1),
            )


# --- the provider -----------------------------------------------------------------------------


class TestProviderChecks:
    def test_organisation_outside_the_directory_is_refused(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        make_org: Callable[..., Organisation],
        give_consent: GiveConsent,
    ) -> None:
        labour = make_org(kind=OrganisationKind.LABOUR)
        give_consent(record, ServiceType.LIVELIHOOD)
        with pytest.raises(VictimError, match="does not offer"):
            refer(record, officer_mbdin, labour, ServiceType.LIVELIHOOD)

    def test_provider_must_offer_the_service(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        ngo_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        with pytest.raises(VictimError, match="does not offer"):
            refer(record, officer_mbdin, ngo_org, ServiceType.HEALTH)
        assert not Referral.objects.exists()

    def test_adults_only_provider_refuses_children(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        ngo_org: Organisation,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        child = make_record(child=True)
        give_consent(child, ServiceType.PSYCHOSOCIAL)
        with pytest.raises(VictimError, match="children"):
            refer(child, officer_mbdin, ngo_org, ServiceType.PSYCHOSOCIAL)
        assert refer(child, officer_mbdin, health_org, ServiceType.PSYCHOSOCIAL).pk

    def test_inactive_provider_is_refused(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        health_org.is_active = False
        health_org.save()
        give_consent(record, ServiceType.HEALTH)
        with pytest.raises(VictimError, match="not active"):
            refer(record, officer_mbdin, health_org)

    def test_needs_must_be_given(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        with pytest.raises(VictimError, match="needs"):
            s.referral_create(
                record=record,
                by=officer_mbdin,
                provider=health_org,
                service=ServiceType.HEALTH,
                needs="  ",
            )

    def test_duplicate_open_referral_is_refused(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        first = refer(record, officer_mbdin, health_org)
        with pytest.raises(VictimError, match="already exists"):
            refer(record, officer_mbdin, health_org)
        s.referral_answer(referral=first, by=health_user, accept=True)
        with pytest.raises(VictimError, match="already exists"):
            refer(record, officer_mbdin, health_org)
        assert Referral.objects.count() == 1
        # Another service to the same provider is a different referral.
        give_consent(record, ServiceType.PSYCHOSOCIAL)
        refer(record, officer_mbdin, health_org, ServiceType.PSYCHOSOCIAL)
        # Once closed, the provider may be asked again.
        s.referral_close(referral=first, by=officer_mbdin)
        assert refer(record, officer_mbdin, health_org).status == ReferralStatus.SENT


class TestAnswerAndDelivery:
    @pytest.fixture
    def referral(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> Referral:
        give_consent(record, ServiceType.HEALTH)
        return refer(record, officer_mbdin, health_org)

    def test_only_the_provider_answers(
        self, referral: Referral, officer_mbdin: User, ngo_user: User, health_user: User
    ) -> None:
        for outsider in (officer_mbdin, ngo_user):
            with pytest.raises(VictimError, match="Only the provider"):
                s.referral_answer(referral=referral, by=outsider, accept=True)
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT
        s.referral_answer(referral=referral, by=health_user, accept=True)
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED
        assert referral.answered_by == health_user
        assert referral.answered_at is not None
        with pytest.raises(VictimError, match="not waiting"):
            s.referral_answer(referral=referral, by=health_user, accept=False, reason="Full")

    def test_rejecting_needs_a_reason(self, referral: Referral, health_user: User) -> None:
        with pytest.raises(VictimError, match="why"):
            s.referral_answer(referral=referral, by=health_user, accept=False, reason=" ")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT
        s.referral_answer(referral=referral, by=health_user, accept=False, reason="No bed free")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.REJECTED
        assert referral.reject_reason == "No bed free"

    def test_a_draft_cannot_be_answered(
        self, make_record: MakeRecord, cpb_org: Organisation, cpb_user: User
    ) -> None:
        draft = Referral.objects.get(record=make_record(child=True))
        with pytest.raises(VictimError):
            s.referral_answer(referral=draft, by=cpb_user, accept=True)

    def test_delivery_only_after_acceptance(self, referral: Referral, health_user: User) -> None:
        today = timezone.localdate()
        with pytest.raises(VictimError, match="Accept the referral"):
            s.referral_deliver(
                referral=referral, by=health_user, delivered_on=today, outcome="Treated"
            )

    def test_delivery_rules(self, referral: Referral, health_user: User, ngo_user: User) -> None:
        s.referral_answer(referral=referral, by=health_user, accept=True)
        referral.refresh_from_db()
        today = timezone.localdate()
        with pytest.raises(VictimError, match="Only the provider"):
            s.referral_deliver(referral=referral, by=ngo_user, delivered_on=today, outcome="x")
        with pytest.raises(VictimError, match="future"):
            s.referral_deliver(
                referral=referral,
                by=health_user,
                delivered_on=today + dt.timedelta(days=1),
                outcome="Treated",
            )
        with pytest.raises(VictimError, match="Describe"):
            s.referral_deliver(referral=referral, by=health_user, delivered_on=today, outcome=" ")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED
        s.referral_deliver(
            referral=referral, by=health_user, delivered_on=today, outcome="Wounds treated"
        )
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.DELIVERED
        assert referral.delivered_on == today
        assert referral.outcome == "Wounds treated"

    def test_closing_twice_is_refused(self, referral: Referral, officer_mbdin: User) -> None:
        s.referral_close(referral=referral, by=officer_mbdin, outcome="Done elsewhere")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.CLOSED
        assert referral.outcome == "Done elsewhere"
        with pytest.raises(VictimError):
            s.referral_close(referral=referral, by=officer_mbdin)


class TestWithdrawal:
    def test_withdrawal_closes_referrals_that_relied_on_it(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        health_user: User,
        give_consent: GiveConsent,
    ) -> None:
        consent = give_consent(record, ServiceType.HEALTH)
        referral = refer(record, officer_mbdin, health_org)
        s.referral_answer(referral=referral, by=health_user, accept=True)
        closed = s.consent_withdraw(consent=consent, by=officer_mbdin)
        referral.refresh_from_db()
        assert closed == [referral]
        assert referral.status == ReferralStatus.CLOSED
        assert "withdrew consent" in referral.outcome
        consent.refresh_from_db()
        assert consent.withdrawn_at is not None
        assert consent.withdrawn_by == officer_mbdin
        with pytest.raises(VictimError, match="already withdrawn"):
            s.consent_withdraw(consent=consent, by=officer_mbdin)

    def test_withdrawal_leaves_overridden_referrals(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        dpo_mbdin: User,
        health_org: Organisation,
        ngo_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        overridden = refer(
            record,
            dpo_mbdin,
            ngo_org,
            ServiceType.PSYCHOSOCIAL,
            override_consent=True,
            reason="At risk of self-harm",
        )
        consent = give_consent(record, ServiceType.PSYCHOSOCIAL)
        relied = refer(record, officer_mbdin, health_org, ServiceType.PSYCHOSOCIAL)
        closed = s.consent_withdraw(consent=consent, by=officer_mbdin)
        overridden.refresh_from_db()
        relied.refresh_from_db()
        assert closed == [relied]
        assert relied.status == ReferralStatus.CLOSED
        assert overridden.status == ReferralStatus.SENT

    def test_referral_still_covered_by_another_consent_stays_open(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        any_provider = give_consent(record, ServiceType.HEALTH)
        give_consent(record, ServiceType.HEALTH, health_org)
        referral = refer(record, officer_mbdin, health_org)
        assert s.consent_withdraw(consent=any_provider, by=officer_mbdin) == []
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT

    def test_withdrawing_one_service_leaves_another(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        health = give_consent(record, ServiceType.HEALTH)
        give_consent(record, ServiceType.PSYCHOSOCIAL)
        refer(record, officer_mbdin, health_org, ServiceType.HEALTH)
        other = refer(record, officer_mbdin, health_org, ServiceType.PSYCHOSOCIAL)
        s.consent_withdraw(consent=health, by=officer_mbdin)
        other.refresh_from_db()
        assert other.status == ReferralStatus.SENT


class TestResponseTime:
    def test_adult_referral_is_answered_within_three_days(
        self,
        record: ProtectionRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        give_consent(record, ServiceType.HEALTH)
        referral = refer(record, officer_mbdin, health_org)
        assert referral.sent_at is not None
        assert referral.respond_by is not None
        assert referral.respond_by - referral.sent_at == dt.timedelta(days=3)

    def test_child_referral_is_answered_within_a_day(
        self,
        make_record: MakeRecord,
        officer_mbdin: User,
        health_org: Organisation,
        give_consent: GiveConsent,
    ) -> None:
        child = make_record(child=True)
        give_consent(child, ServiceType.HEALTH)
        referral = refer(child, officer_mbdin, health_org)
        assert referral.sent_at is not None
        assert referral.respond_by is not None
        assert referral.respond_by - referral.sent_at == dt.timedelta(days=1)


# --- plan, follow-up, risk, compensation -----------------------------------------------------


class TestPlanFollowUpRisk:
    def test_plan_item_done_sets_the_actual_end(
        self, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        item = s.plan_item_add(
            record=record,
            by=officer_mbdin,
            service=ServiceType.EDUCATION,
            objective="Enrol in school",
            planned_end=dt.date(2026, 3, 1),
        )
        s.plan_item_set_status(item=item, by=officer_mbdin, status=PlanStatus.IN_PROGRESS)
        assert item.actual_end is None
        s.plan_item_set_status(item=item, by=officer_mbdin, status=PlanStatus.DONE)
        item.refresh_from_db()
        assert item.status == PlanStatus.DONE
        assert item.actual_end == timezone.localdate()

    def test_follow_up_rules(self, record: ProtectionRecord, officer_mbdin: User) -> None:
        follow_up = record.follow_ups.first()
        assert follow_up is not None
        today = timezone.localdate()
        with pytest.raises(VictimError, match="future"):
            s.follow_up_done(
                follow_up=follow_up,
                by=officer_mbdin,
                done_on=today + dt.timedelta(days=1),
                outcome="Well",
            )
        with pytest.raises(VictimError):
            s.follow_up_done(follow_up=follow_up, by=officer_mbdin, done_on=today, outcome=" ")
        s.follow_up_done(follow_up=follow_up, by=officer_mbdin, done_on=today, outcome="Working")
        follow_up.refresh_from_db()
        assert follow_up.done_on == today
        assert follow_up.by == officer_mbdin
        with pytest.raises(VictimError, match="already recorded"):
            s.follow_up_done(follow_up=follow_up, by=officer_mbdin, done_on=today, outcome="x")

    @pytest.mark.parametrize(
        ("factors", "level"),
        [
            (set(), RiskLevel.LOW),
            ({RiskFactor.DEBT}, RiskLevel.MEDIUM),
            ({RiskFactor.DEBT, RiskFactor.NO_INCOME}, RiskLevel.MEDIUM),
            ({RiskFactor.DEBT, RiskFactor.NO_INCOME, RiskFactor.AT_LARGE}, RiskLevel.HIGH),
            ({RiskFactor.THREATS}, RiskLevel.HIGH),
            ({RiskFactor.PREVIOUSLY_TRAFFICKED}, RiskLevel.HIGH),
        ],
    )
    def test_risk_level(self, factors: set[str], level: RiskLevel) -> None:
        assert s.risk_level(set(factors)) == level

    def test_risk_assessment_stores_the_level_and_refuses_unknown_factors(
        self, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        with pytest.raises(VictimError, match="Unknown"):
            s.risk_assess(record=record, by=officer_mbdin, factors=["debt", "bad_luck"])
        assessment = s.risk_assess(
            record=record, by=officer_mbdin, factors=["wants_to_migrate", "debt"]
        )
        assert assessment.level == RiskLevel.MEDIUM
        assert assessment.factors == ["debt", "wants_to_migrate"]

    def test_compensation_paid_more_than_ordered_is_refused(
        self, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        with pytest.raises(VictimError, match="More is paid"):
            s.compensation_record(
                record=record,
                by=officer_mbdin,
                source=CompensationSource.COURT,
                ordered_pkr=100_000,
                paid_pkr=150_000,
                paid_on=dt.date(2025, 5, 1),
            )
        with pytest.raises(VictimError, match="date of the payment"):
            s.compensation_record(
                record=record,
                by=officer_mbdin,
                source=CompensationSource.COURT,
                ordered_pkr=100_000,
                paid_pkr=50_000,
            )
        assert not Compensation.objects.exists()
        item = s.compensation_record(
            record=record,
            by=officer_mbdin,
            source=CompensationSource.COURT,
            ordered_pkr=100_000,
            paid_pkr=100_000,
            paid_on=dt.date(2025, 5, 1),
        )
        assert item.paid_pkr == 100_000


class TestFamilies:
    def test_family_needs_a_contact_and_relation(self, case: Case, officer_mbdin: User) -> None:
        for contact, relation in ((" ", "brother"), ("Bilal Ahmed", " ")):
            with pytest.raises(VictimError):
                s.family_add(case=case, by=officer_mbdin, contact_name=contact, relation=relation)
        assert not MissingMigrantFamily.objects.exists()

    def test_family_and_support_are_recorded_and_audited(
        self, case: Case, officer_mbdin: User
    ) -> None:
        family = s.family_add(
            case=case,
            by=officer_mbdin,
            contact_name=" Bilal Ahmed ",
            relation="brother",
            phone="0300-5556667",
            migrant_fate="deceased",
        )
        family.refresh_from_db()
        assert family.contact_name == "Bilal Ahmed"
        assert family.migrant_fate == "deceased"
        assert AuditEvent.objects.filter(
            object_type="cases.case",
            object_id=str(case.pk),
            reason="family of a missing migrant added",
        ).exists()
        with pytest.raises(VictimError, match="future"):
            s.family_support_add(
                family=family,
                by=officer_mbdin,
                kind=FamilySupportKind.DNA,
                date=timezone.localdate() + dt.timedelta(days=1),
            )
        assert not FamilySupport.objects.exists()
        support = s.family_support_add(
            family=family, by=officer_mbdin, kind=FamilySupportKind.DNA, date=dt.date(2025, 2, 2)
        )
        assert list(family.support.all()) == [support]


# --- re-trafficking alerts --------------------------------------------------------------------


def submit_tip(involved: str) -> Tip:
    return tip_submit(
        client_token=uuid.uuid4().hex,
        category="forced_labour",
        district=Area.objects.get(code="PK620"),
        tehsil=None,
        description="A young woman is kept in a house and not allowed out.",
        child_involved="no",
        involved=involved,
    ).tip


class TestAlerts:
    def test_victim_named_in_a_second_case_raises_an_alert(
        self,
        make_case: MakeCase,
        make_person: MakePerson,
        make_record: MakeRecord,
        officer_mbdin: User,
    ) -> None:
        person = make_person("Nasreen Bibi")
        first = make_case()
        case_services.party_add(case=first, by=officer_mbdin, role=PartyRole.VICTIM, person=person)
        record = make_record(person)
        second = make_case(title="Girl taken to a house in Lahore")
        case_services.party_add(
            case=second, by=officer_mbdin, role=PartyRole.WITNESS, person=person
        )
        alert = ReappearanceAlert.objects.get(record=record)
        assert alert.source == AlertSource.CASE
        assert alert.case == second
        assert alert.seen_at is None

    def test_another_role_in_the_same_case_is_no_alert(
        self,
        case: Case,
        make_person: MakePerson,
        make_record: MakeRecord,
        officer_mbdin: User,
    ) -> None:
        person = make_person("Nasreen Bibi")
        case_services.party_add(case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=person)
        make_record(person)
        case_services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.COMPLAINANT, person=person
        )
        assert not ReappearanceAlert.objects.exists()

    def test_first_case_of_a_recorded_person_is_no_alert(
        self, case: Case, record: ProtectionRecord, officer_mbdin: User
    ) -> None:
        case_services.party_add(
            case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=record.person
        )
        assert not ReappearanceAlert.objects.exists()

    def test_person_without_a_record_is_no_alert(
        self, make_case: MakeCase, make_person: MakePerson, officer_mbdin: User
    ) -> None:
        person = make_person("No Record")
        for title in ("One", "Two"):
            case_services.party_add(
                case=make_case(title=title),
                by=officer_mbdin,
                role=PartyRole.VICTIM,
                person=person,
            )
        assert not ReappearanceAlert.objects.exists()

    def test_victim_phone_in_a_citizen_report_raises_an_alert(
        self, make_person: MakePerson, make_record: MakeRecord, officer_mbdin: User
    ) -> None:
        person = make_person("Nasreen Bibi")
        identifier_add(
            person=person, kind=IdentifierKind.PHONE, raw="0300-1234567", by=officer_mbdin
        )
        record = make_record(person)
        tip = submit_tip("The girl's own number is +92 300 1234567, the agent has it now")
        alert = ReappearanceAlert.objects.get(record=record)
        assert alert.source == AlertSource.TIP
        assert alert.tip == tip
        assert alert.case is None

    def test_another_phone_is_no_alert(
        self, make_person: MakePerson, make_record: MakeRecord, officer_mbdin: User
    ) -> None:
        person = make_person("Nasreen Bibi")
        identifier_add(
            person=person, kind=IdentifierKind.PHONE, raw="0300-1234567", by=officer_mbdin
        )
        make_record(person)
        submit_tip("Agent Kamran, phone 0311-7654321")
        assert not ReappearanceAlert.objects.exists()


def test_phone_added_after_the_record_opened_is_matched_in_new_reports(
    officer_mbdin: User, make_person: Callable[..., Person]
) -> None:
    from ahtc.geography.models import Area
    from ahtc.people.models import IdentifierKind
    from ahtc.people.services import identifier_add
    from ahtc.portal.services import tip_submit
    from ahtc.victims import services
    from ahtc.victims.models import ReappearanceAlert

    person = make_person("Later Phone")
    record = services.record_create(person=person, by=officer_mbdin, child=False)
    identifier_add(person=person, kind=IdentifierKind.PHONE, raw="0301 7654321", by=officer_mbdin)
    tip_submit(
        client_token="t-later-phone-0001",
        category="fake_agent",
        district=Area.objects.get(code="PK620"),
        tehsil=None,
        description="An agent is calling again.",
        child_involved="no",
        involved="He calls 03017654321 every day.",
    )
    assert ReappearanceAlert.objects.filter(record=record, source="tip").exists()


def test_needs_assessment_starts_a_plan_item_per_new_need(
    officer_mbdin: User, make_person: Callable[..., Person]
) -> None:
    from ahtc.victims import services
    from ahtc.victims.models import ServiceType

    record = services.record_create(person=make_person("Needs"), by=officer_mbdin, child=False)
    services.plan_item_add(
        record=record,
        by=officer_mbdin,
        service=ServiceType.HEALTH,
        objective="Already planned",
        planned_end=dt.date(2026, 1, 1),
    )
    _assessment, items = services.needs_assess(
        record=record,
        by=officer_mbdin,
        needs=[ServiceType.HEALTH, ServiceType.SHELTER, ServiceType.LEGAL],
    )
    assert sorted(i.service for i in items) == [ServiceType.LEGAL, ServiceType.SHELTER]
    assert record.plan.count() == 3
    with pytest.raises(services.VictimError):
        services.needs_assess(record=record, by=officer_mbdin, needs=[])
