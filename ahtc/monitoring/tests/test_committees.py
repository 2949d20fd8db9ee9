"""District committees: members, meetings, action items and their escalation,
up the access ladder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent
from ahtc.jobs import schedule
from ahtc.monitoring import committees as c
from ahtc.monitoring.models import ActionItem, ActionStatus, CommitteeMember, Meeting
from ahtc.monitoring.services import MonitoringError
from ahtc.monitoring.tests.conftest import area
from ahtc.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
COMMITTEE = reverse("cell:monitoring:committee")


@pytest.fixture
def committee_gujrat(make_user: Callable[..., User]) -> User:
    return make_user(
        "committee_gujrat", Role.COMMITTEE_MEMBER, "PK610", kind=OrganisationKind.COMMITTEE
    )


@pytest.fixture
def labour(make_org: Callable[..., Organisation]) -> Organisation:
    found = Organisation.objects.filter(kind=OrganisationKind.LABOUR, area__code="PK620").first()
    return found or make_org(kind=OrganisationKind.LABOUR, area="PK620")


@pytest.fixture
def meeting(committee_mbdin: User) -> Meeting:
    return c.meeting_record(
        district=area("PK620"),
        held_on=dt.date(2025, 7, 3),
        agenda="Brick kiln inspections; school enrolment",
        by=committee_mbdin,
    )


def _item(meeting: Meeting, by: User, org: Organisation, due: dt.date) -> ActionItem:
    return c.action_add(
        meeting=meeting,
        decision="Inspect kilns on the Phalia road",
        organisation=org,
        assignee="Assistant Director Labour",
        due=due,
        by=by,
    )


def test_committee_member_records_member_meeting_and_action_through_the_pages(
    committee_mbdin: User, labour: Organisation, login_as: LoginAs
) -> None:
    client = login_as(committee_mbdin)
    response = client.post(
        reverse("cell:monitoring:member_add"),
        {"area": "PK620", "organisation": labour.pk, "post": "Deputy Director", "role": "member"},
    )
    assert response.status_code == 302
    member = CommitteeMember.objects.get()
    response = client.post(
        reverse("cell:monitoring:meeting_add"),
        {"area": "PK620", "held_on": "2025-07-03", "agenda": "Kilns", "attendees": [member.pk]},
    )
    found = Meeting.objects.get()
    assert response["Location"] == reverse("cell:monitoring:meeting", args=[found.pk])
    assert list(found.attendees.all()) == [member]
    response = client.post(
        response["Location"],
        {
            "decision": "Inspect ten kilns",
            "organisation": labour.pk,
            "assignee": "Labour Inspector",
            "due": "2025-07-20",
        },
    )
    assert response.status_code == 302
    page = client.get(COMMITTEE, {"area": "PK620"}).content.decode()
    assert "Inspect ten kilns" in page
    assert "Deputy Director" in page
    assert AuditEvent.objects.filter(object_type="monitoring.actionitem").exists()


def test_action_due_before_meeting_is_refused_and_keeps_what_was_typed(
    committee_mbdin: User, labour: Organisation, meeting: Meeting, login_as: LoginAs
) -> None:
    response = login_as(committee_mbdin).post(
        reverse("cell:monitoring:meeting", args=[meeting.pk]),
        {
            "decision": "Typed decision kept",
            "organisation": labour.pk,
            "assignee": "Inspector",
            "due": "2025-06-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed decision kept" in page
    assert "cannot be before the meeting" in page


def test_closing_an_item_needs_evidence(
    committee_mbdin: User, labour: Organisation, meeting: Meeting, login_as: LoginAs
) -> None:
    item = _item(meeting, committee_mbdin, labour, dt.date(2025, 7, 20))
    url = reverse("cell:monitoring:action_update", args=[item.pk])
    response = login_as(committee_mbdin).post(url, {"status": "done", "evidence": ""})
    assert response.status_code == 400
    assert "evidence" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN
    response = login_as(committee_mbdin).post(
        url, {"status": "done", "evidence": "12 kilns inspected, report filed"}
    )
    item.refresh_from_db()
    assert response.status_code == 302
    assert item.status == ActionStatus.DONE
    assert item.closed_on


def test_overdue_items_are_escalated_once_to_the_committee_and_the_assignee(
    committee_mbdin: User,
    dpo_mbdin: User,
    committee_gujrat: User,
    labour_liaison: User,
    labour: Organisation,
    meeting: Meeting,
) -> None:
    item = _item(meeting, committee_mbdin, labour, dt.date(2025, 7, 20))
    ActionItem.objects.filter(pk=item.pk).update(assignee_user=labour_liaison)
    _item(meeting, committee_mbdin, labour, dt.date(2025, 8, 30))  # not yet due
    assert c.actions_escalate(today=dt.date(2025, 7, 21)) == 1
    told = Notification.objects.filter(kind=NotificationKind.ACTION_ITEMS)
    assert set(told.values_list("recipient__username", flat=True)) == {
        "committee_mbdin",
        "dpo_mbdin",
        "labour_liaison",
    }
    assert all("show=overdue" in link for link in told.values_list("link", flat=True))
    assert c.actions_escalate(today=dt.date(2025, 7, 22)) == 0  # once per due date


def test_escalation_is_a_scheduled_daily_job() -> None:
    entry = next(e for e in schedule.SCHEDULE if e.name == "action_items_escalate")
    assert entry.every == schedule.DAY
    assert entry.task == "ahtc.monitoring.tasks.action_items_escalate_job"


def test_overdue_filter_shows_only_overdue_items(
    committee_mbdin: User, labour: Organisation, meeting: Meeting, login_as: LoginAs
) -> None:
    _item(meeting, committee_mbdin, labour, dt.date(2025, 7, 20))
    later = _item(meeting, committee_mbdin, labour, dt.date(2099, 1, 1))
    ActionItem.objects.filter(pk=later.pk).update(decision="Far future decision")
    page = login_as(committee_mbdin).get(COMMITTEE, {"area": "PK620", "show": "overdue"})
    text = page.content.decode()
    assert "Inspect kilns on the Phalia road" in text
    assert "Far future decision" not in text


# --- the access ladder ---------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(COMMITTEE, {"area": "PK620"})
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_fia_liaison_is_refused(fia_liaison: User, login_as: LoginAs) -> None:
    assert login_as(fia_liaison).get(COMMITTEE, {"area": "PK620"}).status_code == 403


@pytest.mark.parametrize("persona", ["officer_gujrat", "committee_gujrat"])
def test_other_district_gets_404_and_is_audited(
    persona: str,
    request: pytest.FixtureRequest,
    committee_mbdin: User,
    labour: Organisation,
    meeting: Meeting,
    login_as: LoginAs,
) -> None:
    item = _item(meeting, committee_mbdin, labour, dt.date(2025, 7, 20))
    client = login_as(request.getfixturevalue(persona))
    assert client.get(COMMITTEE, {"area": "PK620"}).status_code == 404
    assert client.get(reverse("cell:monitoring:meeting", args=[meeting.pk])).status_code == 404
    url = reverse("cell:monitoring:action_update", args=[item.pk])
    assert client.post(url, {"status": "dropped"}).status_code == 404
    assert client.post(reverse("cell:monitoring:member_add"), {"area": "PK620"}).status_code == 404
    assert AuditEvent.objects.filter(outcome="refused").exists()
    item.refresh_from_db()
    assert item.status == ActionStatus.OPEN


def test_monitor_reads_the_committee_but_may_not_write_to_it(
    provincial_monitor: User,
    committee_mbdin: User,
    labour: Organisation,
    meeting: Meeting,
    login_as: LoginAs,
) -> None:
    client = login_as(provincial_monitor)
    page = client.get(COMMITTEE, {"area": "PK620"})
    assert page.status_code == 200
    assert "Brick kiln inspections" in page.content.decode()
    response = client.post(
        reverse("cell:monitoring:meeting_add"),
        {"area": "PK620", "held_on": "2025-07-03", "agenda": "x"},
    )
    assert response.status_code == 403
    assert not Meeting.objects.exclude(pk=meeting.pk).exists()
    with pytest.raises(MonitoringError):
        c.meeting_record(
            district=area("PK620"), held_on=dt.date(2025, 7, 1), agenda="x", by=provincial_monitor
        )


def test_province_choosing_no_district_sees_the_list(
    provincial_monitor: User, login_as: LoginAs
) -> None:
    page = login_as(provincial_monitor).get(COMMITTEE)
    assert page.status_code == 200
    assert "?area=PK620" in page.content.decode()


def test_committee_page_renders_in_urdu(committee_mbdin: User, login_as: LoginAs) -> None:
    client = login_as(committee_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    page = client.get(COMMITTEE, {"area": "PK620"})
    assert page.status_code == 200
    assert 'dir="rtl"' in page.content.decode()


def test_committee_member_first_screen_counts_overdue_items(
    committee_mbdin: User,
    committee_gujrat: User,
    labour: Organisation,
    meeting: Meeting,
    login_as: LoginAs,
) -> None:
    from ahtc.notifications.selectors import work_for_user

    _item(meeting, committee_mbdin, labour, dt.date(2025, 7, 20))
    lines = [i.text for s in work_for_user(committee_mbdin) for i in s.items]
    assert "1 committee action item is overdue" in lines
    assert not [i for s in work_for_user(committee_gujrat) for i in s.items]
    home = login_as(committee_mbdin).get(reverse("cell:home")).content.decode()
    assert "committee action item is overdue" in home
