"""The labour indicators in monitoring's catalogue, against hand-counted
records: wage-compliant share of kilns, advances above the limit, children
still in school six months after enrolment (and agreement with the labour
app's own query functions where they measure the same thing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from ahtc.accounts.models import Organisation, User
from ahtc.geography.models import Area
from ahtc.labour import indicators as ind
from ahtc.labour import services as s
from ahtc.labour.models import BrickKiln, ChildLabourFinding
from ahtc.monitoring.compute import ValueStatus, value
from ahtc.monitoring.indicators import CATALOGUE, IndicatorStatus
from ahtc.monitoring.periods import period_parse
from ahtc.monitoring.sources import SOURCES

pytestmark = pytest.mark.django_db
D = dt.date
CODES = ("kilns_wage_compliant", "advances_above_limit", "children_attending_six_months")


def v(code: str, period: str, where: str = "PK620", **by: str) -> Any:
    return value(code, Area.objects.get(code=where), period_parse(period), by or None)


def test_the_three_are_active_with_a_source() -> None:
    entries = {e.code: e for e in CATALOGUE}
    for code in CODES:
        assert entries[code].status == IndicatorStatus.ACTIVE
        assert code in SOURCES


def _kiln(officer: User, district: Area) -> BrickKiln:
    return s.kiln_create(
        district=district, by=officer, owner_name="Synthetic", location="Road", season="winter"
    )


def _wage(kiln: BrickKiln, by: User, day: D, amount: int, basis: str = "monthly") -> None:
    s.wage_record(
        kiln=kiln,
        by=by,
        observed_on=day,
        basis=basis,
        amount=Decimal(amount),
        evidence="statements",
    )


@pytest.fixture
def wages(officer_mbdin: User, officer_gujrat: User, mbdin: Area) -> None:
    """July 2025 (rate Rs 40,000): kiln A last paid 40,000 (met), kiln B last
    paid 39,000 (not met), kiln C seen only in June (37,000 = June's rate),
    kiln D paid per 1,000 bricks (no notified rate: not counted); Gujrat's
    kiln E paid 40,000."""
    a, b, c, d = (_kiln(officer_mbdin, mbdin) for _ in range(4))
    _wage(a, officer_mbdin, D(2025, 7, 3), 35000)
    _wage(a, officer_mbdin, D(2025, 7, 20), 40000)
    _wage(b, officer_mbdin, D(2025, 7, 5), 41000)
    _wage(b, officer_mbdin, D(2025, 7, 25), 39000)
    _wage(c, officer_mbdin, D(2025, 6, 20), 37000)
    _wage(d, officer_mbdin, D(2025, 7, 10), 1500, basis="per_1000_bricks")
    e = _kiln(officer_gujrat, Area.objects.get(code="PK610"))
    _wage(e, officer_gujrat, D(2025, 7, 8), 40000)


def test_wage_compliant_share_counts_the_last_wage_of_the_period(wages: None) -> None:
    july = v("kilns_wage_compliant", "2025-07")
    assert (july.numerator, july.denominator, july.value) == (1, 2, 50.0)
    june = v("kilns_wage_compliant", "2025-06")
    assert (june.numerator, june.denominator) == (1, 1)
    province = v("kilns_wage_compliant", "2025-07", "PK6")
    assert (province.numerator, province.denominator) == (2, 3)
    own = ind.wage_compliant_share(area_path="PK6/", start=D(2025, 7, 1), end=D(2025, 8, 1))
    assert (own.numerator, own.denominator) == (2, 3)
    assert v("kilns_wage_compliant", "2025-05").status == ValueStatus.NO_DATA


def test_advances_above_the_limit_by_the_day_given(
    make_worker: Callable[..., Any], officer_mbdin: User
) -> None:
    """30,000 (within), 25,000 (55,000: above), 10,000 (65,000: above)."""
    worker = make_worker()
    for amount, day in ((30000, D(2025, 7, 1)), (25000, D(2025, 7, 10)), (10000, D(2025, 8, 1))):
        s.advance_record(worker=worker, by=officer_mbdin, amount=amount, given_on=day)
    assert v("advances_above_limit", "2025-07").value == 1
    assert v("advances_above_limit", "2025-08").value == 1
    assert v("advances_above_limit", "FY2025-26").value == 2
    assert v("advances_above_limit", "2025-07", "PK610").value == 0
    own = ind.advances_above_limit(area_path="PK6/", start=D(2025, 7, 1), end=D(2026, 7, 1))
    assert own == 2


@pytest.fixture
def enrol(
    make_finding: Callable[..., ChildLabourFinding], officer_mbdin: User, cpb_mbdin: Organisation
) -> Callable[..., ChildLabourFinding]:
    def make(enrolled_on: D, sex: str) -> ChildLabourFinding:
        found = enrolled_on - dt.timedelta(days=5)
        finding = make_finding(found_on=found, sex=sex)
        s.finding_withdraw(finding=finding, by=officer_mbdin, withdrawn_on=found)
        s.finding_refer(
            finding=finding, by=officer_mbdin, referred_on=found, child_protection=cpb_mbdin
        )
        return s.finding_enrol(
            finding=finding,
            by=officer_mbdin,
            school_name="GPS (synthetic)",
            school_grade="2",
            enrolled_on=enrolled_on,
        )

    return make


def test_children_attending_at_six_months(
    enrol: Callable[..., ChildLabourFinding], officer_mbdin: User
) -> None:
    """Six months (182 days) after enrolment: c1 (girl) on 11 July 2025, first
    check after it 'attending'; c2 (boy) on 21 July, first check after it
    'dropped out' (a later 'attending' does not undo it); c3 (boy) on 26 July,
    no check yet (not attending); c4 on 30 August, 'irregular' (attends)."""

    def check(finding: ChildLabourFinding, term: str, day: D, status: str) -> None:
        s.attendance_record(
            finding=finding, by=officer_mbdin, term=term, checked_on=day, status=status
        )

    c1 = enrol(D(2025, 1, 10), "feminine")
    c2 = enrol(D(2025, 1, 20), "masculine")
    enrol(D(2025, 1, 25), "masculine")
    c4 = enrol(D(2025, 3, 1), "masculine")
    check(c1, "T1", D(2025, 6, 20), "dropped_out")  # before six months: not the measure
    check(c1, "T2", D(2025, 7, 20), "attending")
    check(c2, "T2", D(2025, 8, 10), "dropped_out")
    check(c2, "T3", D(2025, 10, 10), "attending")
    check(c4, "T3", D(2025, 10, 20), "irregular")
    july = v("children_attending_six_months", "2025-07")
    assert (july.numerator, july.denominator, july.value) == (1, 3, 33.3)
    girls = v("children_attending_six_months", "2025-07", sex="feminine")
    boys = v("children_attending_six_months", "2025-07", sex="masculine")
    assert (girls.numerator, girls.denominator) == (1, 1)
    assert (boys.numerator, boys.denominator) == (0, 2)
    august = v("children_attending_six_months", "2025-08")
    assert (august.numerator, august.denominator) == (1, 1)
    quarter = v("children_attending_six_months", "2025Q3")
    assert (quarter.numerator, quarter.denominator) == (2, 4)
