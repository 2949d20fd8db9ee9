"""The advance cap and wage compliance, against examples worked by hand.

Reference data (migration 0003): advance limit Rs 50,000 from 2016; monthly
minimum wage Rs 37,000 (1 Jul 2024 - 30 Jun 2025) and Rs 40,000 (from 1 Jul 2025).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.labour import indicators as ind
from ahtc.labour import services as s
from ahtc.labour.models import AdvanceLimit, BrickKiln, UndertakingKind

pytestmark = pytest.mark.django_db
D = dt.date
FY25 = {"start": D(2024, 7, 1), "end": D(2025, 7, 1)}
FY26 = {"start": D(2025, 7, 1), "end": D(2026, 7, 1)}


class TestRegistry:
    def test_kiln_and_workshop_are_numbered_per_district_and_audited(
        self, kiln: BrickKiln, officer_mbdin: User, mbdin: Area
    ) -> None:
        shop = s.workshop_create(
            district=mbdin, by=officer_mbdin, kind="auto", owner_name="Synthetic", location="Bazaar"
        )
        assert kiln.reference == "MBD-BK-0001"
        assert shop.reference == "MBD-WS-0001"
        assert kiln.owner.name_latin == "Synthetic Owner"
        assert AuditEvent.objects.filter(object_type="labour.brickkiln", object_id=kiln.pk).exists()

    def test_a_tehsil_of_another_district_is_refused(
        self, officer_mbdin: User, mbdin: Area
    ) -> None:
        other = Area.objects.filter(parent__code="PK610").first()
        with pytest.raises(s.LabourError):
            s.kiln_create(
                district=mbdin,
                by=officer_mbdin,
                owner_name="X",
                location="Y",
                season="year_round",
                tehsil=other,
            )

    def test_a_worker_is_at_one_place(self, officer_mbdin: User, kiln: BrickKiln) -> None:
        with pytest.raises(s.LabourError):
            s.worker_add(by=officer_mbdin, name_latin="W", recorded_on=D(2025, 1, 1))


class TestAdvanceCap:
    def test_the_balance_including_the_new_advance_is_checked(
        self, make_worker: Callable[..., Any], officer_mbdin: User
    ) -> None:
        worker = make_worker()
        first = s.advance_record(
            worker=worker, by=officer_mbdin, amount=30000, given_on=D(2025, 1, 10)
        )
        second = s.advance_record(
            worker=worker, by=officer_mbdin, amount=25000, given_on=D(2025, 2, 10)
        )
        assert (first.balance_after, first.above_limit) == (30000, False)
        # 30,000 + 25,000 = 55,000 > 50,000: two small advances do not dodge the cap.
        assert (second.balance_after, second.above_limit) == (55000, True)
        assert s.advance_check(worker=worker, amount=0, given_on=D(2025, 2, 10)).excess == 5000
        s.repayment_record(
            worker=worker, by=officer_mbdin, amount=10000, paid_on=D(2025, 3, 1), method="deducted"
        )
        third = s.advance_record(
            worker=worker, by=officer_mbdin, amount=5000, given_on=D(2025, 3, 5)
        )
        # 55,000 - 10,000 + 5,000 = 50,000: at the limit, not above it.
        assert (third.balance_after, third.above_limit) == (50000, False)
        assert third.limit is not None
        assert third.limit.amount == 50000

    def test_the_limit_is_data_and_the_one_in_force_that_day_applies(
        self, make_worker: Callable[..., Any], officer_mbdin: User
    ) -> None:
        AdvanceLimit.objects.create(
            amount=20000, valid_from=D(2010, 1, 1), valid_to=D(2015, 12, 31), source="test row"
        )
        worker = make_worker(recorded_on=D(2014, 1, 1))
        old = s.advance_record(
            worker=worker, by=officer_mbdin, amount=25000, given_on=D(2014, 5, 1)
        )
        assert old.above_limit
        assert old.limit is not None
        assert old.limit.amount == 20000
        none = s.limit_on(D(2009, 1, 1))
        assert none is None

    def test_a_repayment_larger_than_the_debt_is_refused(
        self, make_worker: Callable[..., Any], officer_mbdin: User
    ) -> None:
        worker = make_worker()
        s.advance_record(worker=worker, by=officer_mbdin, amount=1000, given_on=D(2025, 1, 10))
        with pytest.raises(s.LabourError, match="owed Rs 1000"):
            s.repayment_record(
                worker=worker, by=officer_mbdin, amount=1500, paid_on=D(2025, 2, 1), method="cash"
            )

    def test_advances_above_the_limit_are_counted(
        self, make_worker: Callable[..., Any], officer_mbdin: User, mbdin: Area
    ) -> None:
        worker = make_worker()
        s.advance_record(worker=worker, by=officer_mbdin, amount=60000, given_on=D(2025, 1, 10))
        s.advance_record(worker=worker, by=officer_mbdin, amount=100, given_on=D(2025, 8, 10))
        assert ind.advances_above_limit(area_path=mbdin.path, **FY25) == 1
        assert ind.advances_above_limit(area_path=mbdin.path, **FY26) == 1
        assert ind.advances_above_limit(area_path="PK6/PK6DV03/PK610/", **FY25) == 0


def _wage(kiln: BrickKiln, by: User, day: dt.date, amount: int, basis: str = "monthly") -> Any:
    return s.wage_record(
        kiln=kiln,
        by=by,
        observed_on=day,
        basis=basis,
        amount=Decimal(amount),
        evidence="wage_register",
    )


class TestWages:
    def test_compliance_uses_the_rate_of_the_day(
        self, kiln: BrickKiln, officer_mbdin: User
    ) -> None:
        before = _wage(kiln, officer_mbdin, D(2025, 1, 15), 32000)
        after = _wage(kiln, officer_mbdin, D(2025, 8, 15), 38400)
        bricks = _wage(kiln, officer_mbdin, D(2025, 8, 15), 1300, basis="per_1000_bricks")
        assert before.rate.amount == 37000
        assert before.compliant is False
        # 38,400 met 2024-25's Rs 37,000 but not 2025-26's Rs 40,000.
        assert after.rate.amount == 40000
        assert after.compliant is False
        assert bricks.rate is None
        assert bricks.compliant is None

    def test_the_twenty_percent_rise_is_met_only_by_evidence_of_payment(
        self, kiln: BrickKiln, officer_mbdin: User
    ) -> None:
        _wage(kiln, officer_mbdin, D(2025, 1, 15), 32000)
        rise = s.undertaking_record(
            kiln=kiln,
            by=officer_mbdin,
            kind=UndertakingKind.RAISE_WAGES,
            given_on=D(2025, 2, 1),
            due_by=D(2025, 4, 30),
            basis="monthly",
            base_amount=Decimal(32000),
            increase_percent=20,
        )
        assert s.target_of(rise) == Decimal(38400)  # 32,000 x 1.20
        short = _wage(kiln, officer_mbdin, D(2025, 3, 15), 38000)
        rise.refresh_from_db()
        assert rise.fulfilled_on is None
        assert short.compliant is True
        paid = _wage(kiln, officer_mbdin, D(2025, 4, 15), 38400)
        rise.refresh_from_db()
        assert rise.fulfilled_on == D(2025, 4, 15)
        assert paid.undertaking == rise

    def test_target_rounds_to_the_rupee(self, kiln: BrickKiln, officer_mbdin: User) -> None:
        rise = s.undertaking_record(
            kiln=kiln,
            by=officer_mbdin,
            kind=UndertakingKind.RAISE_WAGES,
            given_on=D(2025, 2, 1),
            due_by=D(2025, 4, 30),
            basis="monthly",
            base_amount=Decimal(33333),
            increase_percent=20,
        )
        assert s.target_of(rise) == Decimal(40000)  # 39,999.6

    def test_a_wage_rise_without_its_terms_is_refused(
        self, kiln: BrickKiln, officer_mbdin: User
    ) -> None:
        with pytest.raises(s.LabourError):
            s.undertaking_record(
                kiln=kiln,
                by=officer_mbdin,
                kind=UndertakingKind.RAISE_WAGES,
                given_on=D(2025, 2, 1),
                due_by=D(2025, 4, 30),
            )

    def test_compliant_share_takes_each_kilns_last_wage_in_the_period(
        self, kiln: BrickKiln, officer_mbdin: User, mbdin: Area
    ) -> None:
        other = s.kiln_create(
            district=mbdin, by=officer_mbdin, owner_name="O", location="L", season="winter"
        )
        _wage(kiln, officer_mbdin, D(2025, 1, 15), 32000)
        _wage(kiln, officer_mbdin, D(2025, 4, 15), 38400)
        _wage(other, officer_mbdin, D(2025, 5, 1), 36999)
        _wage(kiln, officer_mbdin, D(2025, 8, 15), 38400)
        fy25 = ind.wage_compliant_share(area_path=mbdin.path, **FY25)
        assert (fy25.numerator, fy25.denominator, fy25.percent) == (1, 2, 50)
        fy26 = ind.wage_compliant_share(area_path=mbdin.path, **FY26)
        assert (fy26.numerator, fy26.denominator, fy26.percent) == (0, 1, 0)


class TestEnforcement:
    def test_inspection_notice_and_follow_up(
        self, kiln: BrickKiln, officer_mbdin: User, mbdin: Area
    ) -> None:
        first = s.inspection_record(
            by=officer_mbdin,
            kiln=kiln,
            kind="inspection",
            inspected_on=D(2025, 2, 1),
            with_labour=True,
            with_child_protection=True,
            violations=["no_contract", "below_minimum_wage"],
        )
        notice = s.notice_issue(
            inspection=first,
            by=officer_mbdin,
            issued_on=D(2025, 2, 1),
            about="Written contracts",
            comply_by=D(2025, 3, 1),
        )
        s.inspection_record(
            by=officer_mbdin,
            kiln=kiln,
            kind="follow_up",
            inspected_on=D(2025, 3, 2),
            follow_up_of=first,
        )
        s.notice_complied(notice=notice, by=officer_mbdin, complied_on=D(2025, 3, 2))
        assert first.violations == ["below_minimum_wage", "no_contract"]
        assert ind.kilns_inspected(area_path=mbdin.path, **FY25) == 1
        with pytest.raises(s.LabourError):
            s.inspection_record(
                by=officer_mbdin,
                kiln=kiln,
                kind="follow_up",
                inspected_on=D(2025, 1, 1),
                follow_up_of=first,
            )

    def test_bonded_labour_opens_a_case_with_the_facts_and_only_once(
        self, make_worker: Callable[..., Any], officer_mbdin: User
    ) -> None:
        from ahtc.cases.models import Case

        worker = make_worker("Synthetic Bonded Worker")
        s.advance_record(worker=worker, by=officer_mbdin, amount=80000, given_on=D(2025, 1, 10))
        handover = s.bonded_handover(
            worker=worker,
            by=officer_mbdin,
            handed_over_on=D(2025, 2, 1),
            facts={"works_to_repay": True, "restricted_movement": True, "threats": True},
        )
        case = Case.objects.get()
        assert handover.case == case
        assert case.district == worker.district
        assert handover.peshgi
        assert handover.restricted_movement
        assert not handover.violence
        assert "Synthetic Bonded Worker" not in case.summary + case.title
        assert "MBD-BK-0001" in case.title
        with pytest.raises(s.LabourError) as refused:
            s.bonded_handover(
                worker=worker, by=officer_mbdin, handed_over_on=D(2025, 2, 2), facts={}
            )
        assert refused.value.refusal
        assert Case.objects.count() == 1


class TestEobi:
    def test_applied_registered_card_in_order(
        self, make_worker: Callable[..., Any], officer_mbdin: User, mbdin: Area
    ) -> None:
        from ahtc.labour.models import Scheme

        eobi = Scheme.objects.get(code="eobi")
        worker = make_worker()
        enrolment = s.scheme_apply(
            worker=worker, scheme=eobi, by=officer_mbdin, applied_on=D(2025, 2, 1)
        )
        with pytest.raises(s.LabourError):
            s.scheme_advance(
                enrolment=enrolment, by=officer_mbdin, status="card_issued", on=D(2025, 3, 1)
            )
        s.scheme_advance(
            enrolment=enrolment, by=officer_mbdin, status="registered", on=D(2025, 3, 1)
        )
        with pytest.raises(s.LabourError):
            s.scheme_advance(
                enrolment=enrolment, by=officer_mbdin, status="card_issued", on=D(2025, 2, 15)
            )
        done = s.scheme_advance(
            enrolment=enrolment, by=officer_mbdin, status="card_issued", on=D(2025, 4, 1)
        )
        assert done.status == "card_issued"
        assert ind.workers_registered_eobi(area_path=mbdin.path, **FY25) == 1


class TestSurveyFigures:
    def test_figures_come_from_the_records(
        self, kiln: BrickKiln, make_worker: Callable[..., Any], officer_mbdin: User, mbdin: Area
    ) -> None:
        s.inspection_record(by=officer_mbdin, kiln=kiln, kind="survey", inspected_on=D(2025, 1, 5))
        s.kiln_create(
            district=mbdin, by=officer_mbdin, owner_name="O", location="L", season="winter"
        )
        owing = make_worker("A", literate=True)
        repaid = make_worker("B", knows_minimum_wage=True)
        make_worker("C", written_contract=True)
        s.advance_record(worker=owing, by=officer_mbdin, amount=5000, given_on=D(2024, 12, 1))
        s.advance_record(worker=repaid, by=officer_mbdin, amount=5000, given_on=D(2024, 12, 1))
        s.repayment_record(
            worker=repaid, by=officer_mbdin, amount=5000, paid_on=D(2024, 12, 20), method="cash"
        )
        figures = ind.survey_figures(area_path=mbdin.path)
        assert (figures.kilns, figures.kilns_surveyed, figures.workers) == (2, 1, 3)
        assert (figures.in_debt.numerator, figures.in_debt.percent) == (1, 33)
        assert figures.unaware_of_minimum_wage.percent == 67
        assert figures.illiterate.percent == 67
        assert figures.without_contract.numerator == 2
