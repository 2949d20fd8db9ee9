"""The risk score against hand-worked examples (agencies/risk.py has the table)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ahtc.accounts.models import User
from ahtc.agencies import enforcement as e
from ahtc.agencies import links as li
from ahtc.agencies import services as s
from ahtc.agencies.models import Agency
from ahtc.agencies.risk import risk_reasons, with_risk
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.cases import services as cases
from ahtc.portal.models import Tip

TODAY = dt.date(2025, 6, 1)


def _scored(agency: Agency) -> Any:
    return with_risk(Agency.objects.filter(pk=agency.pk), TODAY).get()


def _fail(agency: Agency, by: User, on: dt.date) -> None:
    e.inspection_record(
        agency=agency,
        by=by,
        on=on,
        employee_list_displayed=False,
        licence_displayed=True,
        fraud_advisory_displayed=True,
        fee_schedule_displayed=True,
        records_kept=True,
    )


def _tip(district: Any, n: int) -> Tip:
    return Tip.objects.create(
        idempotency_hash=f"{n:064d}",
        receipt_hash=f"{n:064d}",
        channel="web",
        category="fake_agent",
        district=district,
        description="synthetic",
        child_involved="no",
    )


def test_licensed_agency_with_nothing_against_it_scores_zero(make_agency: MakeAgency) -> None:
    scored = _scored(make_agency(licence="OEP-10"))
    assert scored.risk == 0
    assert risk_reasons(scored) == []


def test_unregistered_agency_scores_forty(make_agency: MakeAgency) -> None:
    scored = _scored(make_agency())
    assert scored.risk == 40
    assert [r.points for r in risk_reasons(scored)] == [40]


def test_expired_licence_two_failed_inspections_and_three_complaints(
    make_agency: MakeAgency, officer_mbdin: User, mbdin: Any
) -> None:
    """25 (expired) + 2 x 10 (failed) + 3 x 5 (complaints) = 60; a failed
    inspection older than a year does not count."""
    agency = make_agency(licence="OEP-11", valid_to=dt.date(2025, 1, 31))
    for day in (dt.date(2025, 2, 1), dt.date(2025, 4, 1), dt.date(2024, 5, 1)):
        _fail(agency, officer_mbdin, day)
    for n in range(3):
        li.agency_report_link(agency=agency, tip=_tip(mbdin, n), by=officer_mbdin)
    scored = _scored(agency)
    assert scored.risk == 60
    assert [r.points for r in risk_reasons(scored)] == [25, 20, 15]


def test_caps_per_reason_and_in_total(
    make_agency: MakeAgency, officer_mbdin: User, mbdin: Any
) -> None:
    """40 + 30 (4 failed, capped) + 25 (6 complaints, capped) + 30 (3 suspects,
    capped) + 20 (3 cases, capped) = 145, capped at 100."""
    agency = make_agency()
    for month in (2, 3, 4, 5):
        _fail(agency, officer_mbdin, dt.date(2025, month, 1))
    for n in range(6):
        li.agency_report_link(agency=agency, tip=_tip(mbdin, 10 + n), by=officer_mbdin)
    for n in range(3):
        staff = s.agency_person_add(
            agency=agency, by=officer_mbdin, role="staff", name_latin=f"Synthetic Staff {n}"
        )
        case = cases.case_open(
            district=mbdin, by=officer_mbdin, title=f"Synthetic {n}", origin="own_initiative"
        )
        party = cases.party_add(case=case, by=officer_mbdin, role="Smuggler", person=staff.person)
        broker = cases.party_add(
            case=case, by=officer_mbdin, role="BrokerTravelAgent", organisation_name="X"
        )
        li.agency_party_link(agency=agency, party=broker, by=officer_mbdin)
        assert party.is_suspect
    scored = _scored(agency)
    assert [r.points for r in risk_reasons(scored)] == [40, 30, 30, 25, 20]
    assert scored.risk == 100


def test_closed_agency_scores_nothing_for_its_licence(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency = make_agency()
    s.agency_status_set(agency=agency, by=officer_mbdin, to_status="closed", on=TODAY)
    assert _scored(agency).risk == 0


def test_indicators_count_the_period(
    make_agency: MakeAgency, officer_mbdin: User, mbdin: Any
) -> None:
    from ahtc.agencies import indicators as ind

    agency = make_agency()
    _fail(agency, officer_mbdin, dt.date(2025, 2, 1))
    _fail(agency, officer_mbdin, dt.date(2025, 3, 1))
    e.notice_serve(
        agency=agency,
        by=officer_mbdin,
        kind="register_or_stop",
        served_on=dt.date(2025, 3, 2),
        deadline=dt.date(2025, 3, 30),
    )
    li.agency_report_link(agency=agency, tip=_tip(mbdin, 99), by=officer_mbdin)
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert ind.agencies_inspected(start, end) == 1
    assert ind.agencies_inspected(start, end, "PK6/PK6DV03/PK610/") == 0
    assert ind.notices_served(start, end) == 1
    assert ind.registered_after_notice(start, end) == 0
    assert ind.complaints_per_agency(dt.date(2000, 1, 1), dt.date(2100, 1, 1)) == 1.0
