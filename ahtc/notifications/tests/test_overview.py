"""Each role's first screen shows its work, counted from the same scoped lists
it links to; other districts' work is never counted; the page's queries stay
bounded as the data grows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import Organisation, User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, ChallanItemKind, HandoverKind, PartyRole, Status
from ahtc.cases.tests.conftest import Flow
from ahtc.portal.models import Tip
from ahtc.portal.services import tip_reporter_reply
from ahtc.portal.tests.test_intake import make_tip
from ahtc.victims import services as victim_services
from ahtc.victims.models import ProtectionRecord, ServiceType

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
TODAY = timezone.localdate()


def overview(client: Client) -> str:
    response = client.get(reverse("cell:home"))
    assert response.status_code == 200
    return response.content.decode()


def age(tip: Tip, days: int) -> None:
    Tip.objects.filter(pk=tip.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def reports_in(district: str) -> list[Tip]:
    """Two new reports, one of them overdue, and a reporter's reply on the other."""
    late, replied = make_tip(district=district), make_tip(district=district)
    age(late, 3)
    tip_reporter_reply(tip=replied, body="More")
    return [late, replied]


def overdue_task(case: Case, by: User, to: User) -> None:
    case_services.task_add(
        case=case, by=by, title="t", assignee=to, due=TODAY - dt.timedelta(days=2)
    )


# --- officer ----------------------------------------------------------------------------


def test_officer_sees_reports_and_case_work_of_their_district_only(
    officer_mbdin: User,
    officer_gujrat: User,
    io_mbdin: User,
    make_case: Callable[..., Case],
    gujrat: Any,
    login_as: LoginAs,
) -> None:
    late, replied = reports_in("PK620")
    reports_in("PK610")  # Gujrat's: never counted for Mandi Bahauddin
    overdue_task(make_case(), officer_mbdin, io_mbdin)
    overdue_task(make_case(district=gujrat, by=officer_gujrat), officer_gujrat, officer_gujrat)
    client = login_as(officer_mbdin)
    page = overview(client)
    assert "Your work" in page
    assert "2 new citizen reports to triage" in page
    assert "1 citizen report is overdue for acknowledgement" in page
    assert "1 reporter&#x27;s reply waits to be read" in page
    assert "1 task is overdue" in page
    # Each line links to the list that shows exactly those items.
    intake = reverse("cell:intake")
    overdue_list = client.get(f"{intake}?overdue=on").content.decode()
    assert late.reference in overdue_list
    assert replied.reference not in overdue_list
    replies_list = client.get(f"{intake}?reply_waiting=on").content.decode()
    assert replied.reference in replies_list
    assert late.reference not in replies_list


def test_officer_sees_victims_seen_again(
    officer_mbdin: User,
    record: ProtectionRecord,
    make_case: Callable[..., Case],
    login_as: LoginAs,
) -> None:
    for title in ("First", "Second"):
        case_services.party_add(
            case=make_case(title=title),
            by=officer_mbdin,
            role=PartyRole.VICTIM,
            person=record.person,
        )
    page = overview(login_as(officer_mbdin))
    assert "1 victim was seen again" in page
    assert reverse("cell:victims") + "?show=alerts" in page


def test_other_district_officer_sees_none_of_it(
    officer_mbdin: User, officer_gujrat: User, io_mbdin: User, login_as: LoginAs, case: Case
) -> None:
    reports_in("PK620")
    overdue_task(case, officer_mbdin, io_mbdin)
    page = overview(login_as(officer_gujrat))
    assert "No citizen report waits for you." in page
    assert "No task or hearing is due." in page
    assert "new citizen report" not in page
    assert "task is overdue" not in page


# --- investigating officer and prosecutor -----------------------------------------------


def test_investigating_officer_sees_tasks_returned_challan_items_and_hearings(
    flow: Flow, make_case: Callable[..., Case], io_mbdin: User, login_as: LoginAs
) -> None:
    investigated = flow.reach(make_case(), Status.INVESTIGATION)
    flow.io_complete_challan(investigated)
    item = investigated.challan_items.get(kind=ChallanItemKind.MEDICAL)
    case_services.challan_prosecutor_answer(
        item=item, by=flow.prosecutor, accept=False, objection="The report is unsigned."
    )
    in_court = make_case(title="In court")
    flow.fir(in_court, number="102/2024")
    in_court = flow.reach(in_court, Status.CHALLAN_SUBMITTED)
    case_services.hearing_add(
        case=in_court, by=flow.officer, court="Sessions court", date=TODAY + dt.timedelta(days=2)
    )
    case_services.task_add(
        case=investigated,
        by=flow.officer,
        title="t",
        assignee=io_mbdin,
        due=TODAY + dt.timedelta(days=3),
    )
    page = overview(login_as(io_mbdin))
    assert "1 task is due this week" in page
    assert "1 challan item was returned by the prosecutor" in page
    assert "1 hearing this week" in page


def test_prosecutor_sees_challans_to_review_on_shared_cases_only(
    flow: Flow, make_case: Callable[..., Case], prosecutor: User, login_as: LoginAs
) -> None:
    assert prosecutor.organisation is not None
    shared = flow.reach(make_case(), Status.INVESTIGATION)
    case_services.case_share(
        case=shared, organisation=prosecutor.organisation, by=flow.officer, reason="Prosecution"
    )
    flow.io_complete_challan(shared)
    unshared = make_case(title="Not shared")
    flow.fir(unshared, number="102/2024")
    unshared = flow.reach(unshared, Status.INVESTIGATION)
    flow.io_complete_challan(unshared)
    page = overview(login_as(prosecutor))
    assert "1 case has challan items to review" in page


# --- partners ---------------------------------------------------------------------------


def test_provider_sees_referrals_to_answer(
    record: ProtectionRecord,
    officer_mbdin: User,
    health_org: Organisation,
    health_user: User,
    give_consent: Callable[..., Any],
    login_as: LoginAs,
) -> None:
    give_consent(record, ServiceType.HEALTH)
    victim_services.referral_create(
        record=record, by=officer_mbdin, provider=health_org, service=ServiceType.HEALTH, needs="x"
    )
    page = overview(login_as(health_user))
    assert "1 referral waits for your answer" in page
    assert reverse("cell:referrals") in page


def test_agency_liaison_sees_handovers_to_answer_but_not_other_agencies(
    case: Case,
    officer_mbdin: User,
    fia_liaison: User,
    labour_liaison: User,
    login_as: LoginAs,
) -> None:
    case_services.handover_create(
        case=case,
        by=officer_mbdin,
        kind=HandoverKind.REFER,
        reason="Abroad",
        to_organisation=fia_liaison.organisation,
    )
    assert "1 case handover or transfer waits for your answer" in overview(login_as(fia_liaison))
    assert "Nothing waits for your answer." in overview(login_as(labour_liaison))


# --- cell head, committee, monitor ------------------------------------------------------


def test_cell_head_sees_overdue_across_the_district(
    dpo_mbdin: User, officer_mbdin: User, io_mbdin: User, case: Case, login_as: LoginAs
) -> None:
    overdue_task(case, officer_mbdin, io_mbdin)  # not the head's own task
    page = overview(login_as(dpo_mbdin))
    assert "1 task is overdue" in page


@pytest.mark.parametrize("persona", ["committee_member", "provincial_monitor"])
def test_committee_and_monitor_are_pointed_to_their_monitoring_work(
    persona: str, request: pytest.FixtureRequest, login_as: LoginAs
) -> None:
    reports_in("PK620")
    page = overview(login_as(request.getfixturevalue(persona)))
    assert "Open the monitoring dashboard" in page
    assert reverse("cell:monitoring:dashboard") in page
    assert "citizen report" not in page


# --- bounded queries --------------------------------------------------------------------


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        overview(client)
    return len(captured)


def test_overview_queries_do_not_grow_with_the_data(
    dpo_mbdin: User,
    officer_mbdin: User,
    io_mbdin: User,
    make_case: Callable[..., Case],
    login_as: LoginAs,
    django_assert_max_num_queries: Any,
) -> None:
    client = login_as(dpo_mbdin)
    reports_in("PK620")
    overdue_task(make_case(), officer_mbdin, io_mbdin)
    small = _queries(client)
    for _ in range(4):
        reports_in("PK620")
        overdue_task(make_case(), officer_mbdin, io_mbdin)
    assert _queries(client) == small
    with django_assert_max_num_queries(40):
        overview(client)
