"""Services: a finding is its own record, its dates follow the child's path,
and it becomes a victim record once, only when the classification says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.geography.models import Area
from ahtc.labour import services as s
from ahtc.labour.models import ChildLabourFinding, NextStep
from ahtc.victims.models import ProtectionRecord

from .conftest import FOUND, MakeFinding

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


class TestCreate:
    def test_numbered_by_district_and_year_with_the_child_as_a_person(
        self, make_finding: MakeFinding, officer_mbdin: User
    ) -> None:
        first = make_finding("Synthetic One")
        second = make_finding("Synthetic Two")
        assert (first.reference, second.reference) == ("MBD-CL-2025-0001", "MBD-CL-2025-0002")
        assert first.person.name_latin == "Synthetic One"
        assert first.person.age_years == 11
        assert first.hazards == ["heat", "heavy_loads"]
        assert first.next_step == NextStep.WITHDRAW
        assert first.victim_record is None
        assert not ProtectionRecord.objects.exists()  # a finding is not a victim record
        assert AuditEvent.objects.filter(
            actor=officer_mbdin,
            action=AuditAction.CREATE,
            object_type="labour.childlabourfinding",
            object_id=str(first.pk),
            area_code="PK620",
        ).exists()

    def test_the_name_is_encrypted_at_rest(self, make_finding: MakeFinding) -> None:
        finding = make_finding("Synthetic Cipher")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name_latin FROM people_person WHERE id = %s", [finding.person_id]
            )
            stored = cursor.fetchone()[0]
        assert "Synthetic Cipher" not in stored
        assert stored.startswith("enc1:")

    def test_a_found_day_in_the_future_is_refused(self, make_finding: MakeFinding) -> None:
        with pytest.raises(s.FindingError, match="in the future"):
            make_finding(found_on=TOMORROW)
        assert not ChildLabourFinding.objects.exists()

    def test_an_adult_is_refused(self, make_finding: MakeFinding) -> None:
        with pytest.raises(s.FindingError, match="under 18"):
            make_finding(age_years=18)

    def test_a_tehsil_of_another_district_is_refused(self, make_finding: MakeFinding) -> None:
        elsewhere = Area.objects.filter(level="tehsil").exclude(parent__code="PK620").first()
        with pytest.raises(s.FindingError, match="not in the district"):
            make_finding(tehsil=elsewhere)


class TestPath:
    def test_withdraw_refer_enrol_in_order(
        self,
        referred: ChildLabourFinding,
        officer_mbdin: User,
    ) -> None:
        assert referred.next_step == NextStep.ENROL
        enrolled = s.finding_enrol(
            finding=referred,
            by=officer_mbdin,
            school_name="Government Primary School (synthetic)",
            school_grade="3",
            enrolled_on=FOUND + dt.timedelta(days=9),
        )
        assert enrolled.next_step == NextStep.DONE
        reasons = set(
            AuditEvent.objects.filter(object_id=str(referred.pk)).values_list("reason", flat=True)
        )
        assert {"withdrawn from work", "school enrolment recorded"} <= reasons

    def test_withdrawal_before_the_child_was_found_is_refused(
        self, make_finding: MakeFinding, officer_mbdin: User
    ) -> None:
        finding = make_finding()
        with pytest.raises(s.FindingError, match="before the day the child was found"):
            s.finding_withdraw(
                finding=finding, by=officer_mbdin, withdrawn_on=FOUND - dt.timedelta(days=1)
            )
        finding.refresh_from_db()
        assert not finding.withdrawn

    def test_withdrawal_in_the_future_is_refused(
        self, make_finding: MakeFinding, officer_mbdin: User
    ) -> None:
        with pytest.raises(s.FindingError, match="in the future"):
            s.finding_withdraw(finding=make_finding(), by=officer_mbdin, withdrawn_on=TOMORROW)

    def test_referral_needs_the_withdrawal_first(
        self, make_finding: MakeFinding, officer_mbdin: User, cpb_mbdin: Organisation
    ) -> None:
        with pytest.raises(s.FindingError, match="withdrawal from work first"):
            s.finding_refer(
                finding=make_finding(),
                by=officer_mbdin,
                referred_on=FOUND,
                child_protection=cpb_mbdin,
            )

    def test_referral_to_an_office_of_another_district_is_refused(
        self,
        make_finding: MakeFinding,
        officer_mbdin: User,
        make_org: object,
    ) -> None:
        gujrat_cpb = make_org(kind=OrganisationKind.CHILD_PROTECTION, area="PK610")  # type: ignore[operator]
        finding = s.finding_withdraw(finding=make_finding(), by=officer_mbdin, withdrawn_on=FOUND)
        with pytest.raises(s.FindingError, match="does not serve this district"):
            s.finding_refer(
                finding=finding, by=officer_mbdin, referred_on=FOUND, child_protection=gujrat_cpb
            )

    def test_enrolment_before_the_referral_is_refused(
        self, referred: ChildLabourFinding, officer_mbdin: User
    ) -> None:
        with pytest.raises(s.FindingError, match="before the referral"):
            s.finding_enrol(
                finding=referred,
                by=officer_mbdin,
                school_name="School (synthetic)",
                school_grade="2",
                enrolled_on=FOUND,
            )

    def test_correcting_the_found_day_after_the_withdrawal_is_refused(
        self, referred: ChildLabourFinding, officer_mbdin: User
    ) -> None:
        with pytest.raises(s.FindingError, match="before the next step"):
            s.finding_update(
                finding=referred,
                by=officer_mbdin,
                changes={"found_on": FOUND + dt.timedelta(days=5)},
            )

    def test_an_edit_changes_the_facts_and_names_them_in_the_audit(
        self, make_finding: MakeFinding, officer_mbdin: User
    ) -> None:
        finding = make_finding()
        s.finding_update(
            finding=finding, by=officer_mbdin, changes={"hours_per_day": 12, "hazards": ["abuse"]}
        )
        finding.refresh_from_db()
        assert (finding.hours_per_day, finding.hazards) == (12, ["abuse"])
        assert AuditEvent.objects.filter(
            object_id=str(finding.pk), reason="edited hours_per_day,hazards"
        ).exists()


class TestRecordAsVictim:
    def test_creates_exactly_one_linked_record_and_refuses_a_second(
        self, make_finding: MakeFinding, dpo_mbdin: User
    ) -> None:
        finding = make_finding()
        linked = s.record_as_victim(
            finding=finding,
            by=dpo_mbdin,
            reason=s.CLASSIFIED_TRAFFICKING,
            control_methods=["DebtBondage"],
        )
        record = ProtectionRecord.objects.get()
        assert linked.victim_record == record
        assert record.person_id == finding.person_id
        assert record.child
        assert record.exploitation == ["ChildLabour"]
        assert record.control_methods == ["DebtBondage"]
        assert AuditEvent.objects.filter(
            object_id=str(finding.pk), reason="recorded as victim: classification says trafficking"
        ).exists()
        with pytest.raises(s.FindingError, match="already has a protection record") as again:
            s.record_as_victim(finding=finding, by=dpo_mbdin, reason=s.CLASSIFIED_TRAFFICKING)
        assert again.value.refusal
        assert ProtectionRecord.objects.count() == 1

    @pytest.mark.parametrize("reason", ["", "child labour", "the officer thinks so"])
    def test_refused_without_a_trafficking_classification(
        self, make_finding: MakeFinding, dpo_mbdin: User, reason: str
    ) -> None:
        finding = make_finding()
        with pytest.raises(s.FindingError, match="classification says trafficking"):
            s.record_as_victim(finding=finding, by=dpo_mbdin, reason=reason)
        assert not ProtectionRecord.objects.exists()
        finding.refresh_from_db()
        assert finding.victim_record is None
