"""Status transitions, their history and rules; notices, deadlines and next steps."""

from __future__ import annotations

import datetime as dt

import pytest

from ahtc.accounts.models import User
from ahtc.agencies import enforcement as e
from ahtc.agencies import services as s
from ahtc.agencies.models import AgencyStatus, NextStep, NoticeKind
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.core.models import AuditEvent

S = AgencyStatus
D = dt.date


def test_new_agency_has_its_first_status_in_history_and_is_audited(
    make_agency: MakeAgency,
) -> None:
    agency = make_agency()
    assert [c.to_status for c in agency.status_changes.all()] == [S.UNREGISTERED]
    assert AuditEvent.objects.filter(object_type="agencies.agency", object_id=agency.pk).exists()


def test_a_new_agency_cannot_start_sealed(make_agency: MakeAgency) -> None:
    with pytest.raises(s.AgencyError, match="starts as licensed or unregistered"):
        make_agency(status="sealed")


def test_same_name_in_the_district_is_refused_whatever_the_spelling(
    make_agency: MakeAgency,
) -> None:
    make_agency("Al-Noor Travels")
    with pytest.raises(s.AgencyError, match="already registered"):
        make_agency("al noor TOURS & travels (Pvt) Ltd")


def test_licensed_needs_a_valid_licence(make_agency: MakeAgency, officer_mbdin: User) -> None:
    agency = make_agency()
    with pytest.raises(s.AgencyError, match="licence valid on that date"):
        s.agency_status_set(agency=agency, by=officer_mbdin, to_status=S.LICENSED, on=D(2024, 5, 1))


def test_transition_not_in_the_table_is_refused(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency = make_agency()
    with pytest.raises(s.AgencyError, match="cannot go from"):
        s.agency_status_set(
            agency=agency, by=officer_mbdin, to_status=S.REGISTERED_AFTER_NOTICE, on=D(2024, 5, 1)
        )


def test_status_date_before_the_current_status_is_refused(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency = make_agency()
    with pytest.raises(s.AgencyError, match="before"):
        s.agency_status_set(agency=agency, by=officer_mbdin, to_status=S.SEALED, on=D(2023, 5, 1))


def test_status_in_the_future_is_refused(make_agency: MakeAgency, officer_mbdin: User) -> None:
    agency = make_agency()
    with pytest.raises(s.AgencyError, match="future"):
        s.agency_status_set(agency=agency, by=officer_mbdin, to_status=S.SEALED, on=D(2999, 1, 1))


def test_notice_to_register_moves_to_notice_served_then_registered_after_notice(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency = make_agency()
    notice = e.notice_serve(
        agency=agency,
        by=officer_mbdin,
        kind=NoticeKind.REGISTER_OR_STOP,
        served_on=D(2024, 3, 1),
        deadline=D(2024, 3, 31),
    )
    agency.refresh_from_db()
    assert agency.status == S.NOTICE_SERVED
    with pytest.raises(s.AgencyError, match="new licence first"):
        e.notice_comply(
            notice=notice, by=officer_mbdin, complied_on=D(2024, 3, 20), outcome="registered"
        )
    s.licence_add(
        agency=agency,
        by=officer_mbdin,
        number="OEP 1234/RWP",
        authority="beoe",
        valid_from=D(2024, 3, 15),
        valid_to=D(2027, 3, 14),
    )
    e.notice_comply(
        notice=notice, by=officer_mbdin, complied_on=D(2024, 3, 20), outcome="registered"
    )
    agency.refresh_from_db()
    assert agency.status == S.REGISTERED_AFTER_NOTICE
    history = [(c.from_status, c.to_status) for c in agency.status_changes.order_by("pk")]
    assert history == [
        ("", S.UNREGISTERED),
        (S.UNREGISTERED, S.NOTICE_SERVED),
        (S.NOTICE_SERVED, S.REGISTERED_AFTER_NOTICE),
    ]


def test_stopping_business_closes_the_agency(make_agency: MakeAgency, officer_mbdin: User) -> None:
    agency = make_agency()
    notice = e.notice_serve(
        agency=agency,
        by=officer_mbdin,
        kind=NoticeKind.REGISTER_OR_STOP,
        served_on=D(2024, 3, 1),
        deadline=D(2024, 3, 31),
    )
    e.notice_comply(notice=notice, by=officer_mbdin, complied_on=D(2024, 3, 5), outcome="stopped")
    agency.refresh_from_db()
    assert agency.status == S.CLOSED


@pytest.mark.parametrize(
    ("served", "deadline", "message"),
    [
        (D(2024, 3, 1), D(2024, 3, 1), "deadline is after"),
        (D(2024, 3, 1), D(2024, 2, 1), "deadline is after"),
        (D(2024, 3, 1), D(2024, 12, 1), "at most 180 days"),
        (D(2999, 3, 1), D(2999, 3, 9), "future"),
    ],
)
def test_bad_deadlines_are_refused(
    make_agency: MakeAgency, officer_mbdin: User, served: dt.date, deadline: dt.date, message: str
) -> None:
    agency = make_agency()
    with pytest.raises(s.AgencyError, match=message):
        e.notice_serve(
            agency=agency, by=officer_mbdin, kind="show_cause", served_on=served, deadline=deadline
        )
    assert not agency.notices.exists()


def test_register_or_stop_is_not_served_on_a_licensed_agency(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency = make_agency(licence="OEP-1")
    with pytest.raises(s.AgencyError, match="valid licence"):
        e.notice_serve(
            agency=agency,
            by=officer_mbdin,
            kind=NoticeKind.REGISTER_OR_STOP,
            served_on=D(2024, 3, 1),
            deadline=D(2024, 3, 31),
        )


def _overdue(make_agency: MakeAgency, officer: User) -> tuple[object, object]:
    agency = make_agency()
    notice = e.notice_serve(
        agency=agency,
        by=officer,
        kind=NoticeKind.REGISTER_OR_STOP,
        served_on=D(2024, 3, 1),
        deadline=D(2024, 3, 31),
    )
    return agency, notice


def _inspect(agency: object, officer: User, on: dt.date, *, ok: bool) -> None:
    e.inspection_record(
        agency=agency,  # type: ignore[arg-type]
        by=officer,
        on=on,
        employee_list_displayed=ok,
        licence_displayed=ok,
        fraud_advisory_displayed=ok,
        fee_schedule_displayed=ok,
        records_kept=ok,
    )


def test_notice_before_its_deadline_waits(make_agency: MakeAgency, officer_mbdin: User) -> None:
    agency, notice = _overdue(make_agency, officer_mbdin)
    state = e.notice_state(notice, agency, today=D(2024, 3, 31))  # type: ignore[arg-type]
    assert (state.overdue, state.next_step) == (False, NextStep.WAIT)


def test_overdue_notice_without_inspection_after_the_deadline_asks_for_reinspection(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency, notice = _overdue(make_agency, officer_mbdin)
    _inspect(agency, officer_mbdin, D(2024, 3, 10), ok=False)  # before the deadline
    state = e.notice_state(notice, agency, today=D(2024, 4, 3))  # type: ignore[arg-type]
    assert (state.overdue, state.next_step, state.days_late) == (True, NextStep.REINSPECT, 3)


def test_overdue_notice_failed_reinspection_asks_for_sealing_then_a_case(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency, notice = _overdue(make_agency, officer_mbdin)
    _inspect(agency, officer_mbdin, D(2024, 4, 5), ok=False)
    state = e.notice_state(notice, agency, today=D(2024, 4, 6))  # type: ignore[arg-type]
    assert state.next_step == NextStep.SEALING
    s.agency_status_set(
        agency=agency,  # type: ignore[arg-type]
        by=officer_mbdin,
        to_status=S.SEALED,
        on=D(2024, 4, 6),
    )
    agency.refresh_from_db()  # type: ignore[attr-defined]
    state = e.notice_state(notice, agency, today=D(2024, 4, 7))  # type: ignore[arg-type]
    assert state.next_step == NextStep.CASE


def test_complied_notice_has_no_next_step(make_agency: MakeAgency, officer_mbdin: User) -> None:
    agency, notice = _overdue(make_agency, officer_mbdin)
    notice = e.notice_comply(
        notice=notice,  # type: ignore[arg-type]
        by=officer_mbdin,
        complied_on=D(2024, 4, 2),
        outcome="stopped",
    )
    state = e.notice_state(notice, agency, today=D(2024, 5, 1))  # type: ignore[arg-type]
    assert (state.overdue, state.next_step) == (False, NextStep.NONE)
    with pytest.raises(s.AgencyError, match="already recorded"):
        e.notice_comply(
            notice=notice, by=officer_mbdin, complied_on=D(2024, 4, 3), outcome="stopped"
        )


def test_failed_inspection_is_reinspected_thirty_days_later(
    make_agency: MakeAgency, officer_mbdin: User
) -> None:
    agency = make_agency()
    _inspect(agency, officer_mbdin, D(2024, 5, 1), ok=False)
    inspection = agency.inspections.get()
    assert not inspection.passed
    assert inspection.reinspect_on == D(2024, 5, 31)
    assert len(inspection.missing()) == 5
