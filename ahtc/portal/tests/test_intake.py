"""The cell's side: intake queue, triage, replies, recording calls."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area
from ahtc.portal.models import Channel, Tip, TipStatus
from ahtc.portal.services import tip_set_status, tip_submit


def make_tip(district="PK620", **changes) -> Tip:
    values: dict[str, Any] = {
        "client_token": uuid.uuid4().hex,
        "category": "forced_labour",
        "district": Area.objects.get(code=district),
        "tehsil": None,
        "description": "A family is kept at a kiln to repay an advance.",
        "child_involved": "unknown",
    }
    values.update(changes)
    return tip_submit(**values).tip


@pytest.mark.django_db
class TestAccess:
    def test_anonymous_goes_to_sign_in(self, client):
        tip = make_tip()
        for url in (reverse("cell:intake"), reverse("cell:intake_detail", args=[tip.pk])):
            assert client.get(url).url.startswith(reverse("accounts:login"))

    def test_officer_of_other_district_gets_404_and_audit(self, officer_gujrat, login_as):
        tip = make_tip()
        client = login_as(officer_gujrat)
        assert client.get(reverse("cell:intake_detail", args=[tip.pk])).status_code == 404
        assert AuditEvent.objects.filter(
            actor=officer_gujrat, outcome=AuditOutcome.REFUSED, object_type="portal.tip"
        ).exists()
        assert tip.reference.encode() not in client.get(reverse("cell:intake")).content

    @pytest.mark.parametrize("persona", ["labour_liaison", "fia_liaison", "provincial_monitor"])
    def test_roles_without_triage_are_refused(self, request, login_as, persona):
        tip = make_tip()
        client = login_as(request.getfixturevalue(persona))
        assert client.get(reverse("cell:intake")).status_code == 403
        assert client.get(reverse("cell:intake_detail", args=[tip.pk])).status_code == 403

    def test_officer_sees_own_district_and_reading_is_audited(self, officer_mbdin, login_as):
        tip = make_tip()
        client = login_as(officer_mbdin)
        assert tip.reference.encode() in client.get(reverse("cell:intake")).content
        assert client.get(reverse("cell:intake_detail", args=[tip.pk])).status_code == 200
        assert AuditEvent.objects.filter(
            actor=officer_mbdin, object_type="portal.tip", object_id=str(tip.pk)
        ).exists()

    def test_queue_query_count_is_flat(
        self, officer_mbdin, login_as, django_assert_max_num_queries
    ):
        for _ in range(15):
            make_tip()
        client = login_as(officer_mbdin)
        # 15: the page is sorted as ids, then its reports read (issue 19).
        with django_assert_max_num_queries(15):
            assert client.get(reverse("cell:intake")).status_code == 200


@pytest.mark.django_db
def test_queue_by_a_closed_status_pages_in_the_queue_order(
    officer_mbdin, login_as, django_assert_max_num_queries
):
    """Sorted as ids, then read (issue 19): the same rows, order and pages."""
    mine = [make_tip() for _ in range(52)]
    elsewhere = make_tip(district="PK610")
    still_open = make_tip()
    Tip.objects.exclude(pk=still_open.pk).update(status=TipStatus.NOT_ACTIONABLE)
    Tip.objects.filter(pk=mine[7].pk).update(danger_now=True)  # urgent first
    expected = [mine[7], *[t for t in mine if t != mine[7]]]
    client = login_as(officer_mbdin)
    url = reverse("cell:intake") + "?status=not_actionable"
    with django_assert_max_num_queries(15):
        first = client.get(url)
    second = client.get(url + "&page=2")
    shown = []
    for response in (first, second):
        assert response.status_code == 200
        page = response.context["page"]
        shown += [tip.pk for tip in page]
        assert all(tip.district.code == "PK620" for tip in page)  # read whole, related too
    assert shown == [t.pk for t in expected]
    assert len(first.context["page"].object_list) == 50
    assert elsewhere.reference.encode() not in first.content + second.content
    assert still_open.reference.encode() not in first.content + second.content


@pytest.mark.django_db
class TestTriage:
    def test_status_and_assignment(self, officer_mbdin, make_user, login_as):
        # Only someone who may open the report (triage in the district) can
        # be assigned it (issue 10); an IO cannot, see test_tip_assignment.py.
        io = make_user("officer2_mbdin", Role.CELL_OFFICER)
        tip = make_tip()
        client = login_as(officer_mbdin)
        response = client.post(
            reverse("cell:intake_detail", args=[tip.pk]),
            {"status": TipStatus.TRIAGED, "assign_to": io.pk},
        )
        assert response.status_code == 302
        tip.refresh_from_db()
        assert (tip.status, tip.assigned_to, tip.acknowledged_at is not None) == (
            TipStatus.TRIAGED,
            io,
            True,
        )

    def test_cannot_assign_to_someone_outside_the_district(
        self, officer_mbdin, officer_gujrat, login_as
    ):
        tip = make_tip()
        client = login_as(officer_mbdin)
        client.post(
            reverse("cell:intake_detail", args=[tip.pk]),
            {"status": TipStatus.TRIAGED, "assign_to": officer_gujrat.pk},
        )
        tip.refresh_from_db()
        assert tip.assigned_to is None

    def test_reply_reaches_the_thread(self, officer_mbdin, login_as):
        tip = make_tip()
        client = login_as(officer_mbdin)
        client.post(
            reverse("cell:intake_detail", args=[tip.pk]), {"body": "We are looking into it."}
        )
        assert tip.messages.get().from_reporter is False

    def test_urgent_reports_are_overdue_after_an_hour(self, officer_mbdin, login_as):
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            make_tip(danger_now=True)
            make_tip()
        with time_machine.travel(start + dt.timedelta(minutes=90), tick=False):
            page = login_as(officer_mbdin).get(reverse("cell:intake")).content
        assert page.count(b'class="row-alert"') == 1


@pytest.mark.django_db
class TestRecordCall:
    def form(self, **changes):
        data = {
            "client_token": uuid.uuid4().hex,
            "channel": Channel.HELPLINE,
            "category": "missing_abroad",
            "district": "PK620",
            "tehsil": "",
            "description": "Caller's son left for Libya in March and has not called since.",
            "child_involved": "no",
        }
        data.update(changes)
        return data

    def test_call_taker_records_a_report_for_the_caller(self, make_user, login_as):
        helpline = make_user("helpline_mbdin", Role.HELPLINE)
        response = login_as(helpline).post(reverse("cell:record_call"), self.form())
        assert response.status_code == 200
        tip = Tip.objects.get()
        assert (tip.channel, tip.recorded_by) == (Channel.HELPLINE, helpline)
        assert b"receipt-code" in response.content

    def test_call_taker_cannot_file_for_another_district(self, make_user, login_as):
        helpline = make_user("helpline_mbdin", Role.HELPLINE)
        login_as(helpline).post(reverse("cell:record_call"), self.form(district="PK610"))
        assert not Tip.objects.exists()

    def test_liaison_cannot_record_calls(self, labour_liaison, login_as):
        response = login_as(labour_liaison).post(reverse("cell:record_call"), self.form())
        assert response.status_code == 403
        assert not Tip.objects.exists()


@pytest.mark.django_db
class TestQueueTools:
    def test_bulk_status_change(self, officer_mbdin, login_as):
        tips = [make_tip() for _ in range(3)]
        client = login_as(officer_mbdin)
        response = client.post(
            reverse("cell:intake"),
            {"tips": [tips[0].pk, tips[1].pk], "status": TipStatus.NOT_ACTIONABLE},
        )
        assert response.status_code == 302
        statuses = sorted(Tip.objects.values_list("status", flat=True))
        assert statuses == ["new", "not_actionable", "not_actionable"]

    def test_bulk_refuses_reports_outside_scope_entirely(self, officer_mbdin, login_as):
        mine, theirs = make_tip(), make_tip(district="PK610")
        client = login_as(officer_mbdin)
        client.post(
            reverse("cell:intake"), {"tips": [mine.pk, theirs.pk], "status": TipStatus.DUPLICATE}
        )
        assert set(Tip.objects.values_list("status", flat=True)) == {"new"}

    def test_filter_by_tehsil_and_date(self, officer_mbdin, login_as):
        phalia = make_tip(tehsil=Area.objects.get(code="PK62003"))
        other = make_tip()
        client = login_as(officer_mbdin)
        content = client.get(reverse("cell:intake") + "?area=PK62003").content
        assert phalia.reference.encode() in content
        assert other.reference.encode() not in content
        content = client.get(reverse("cell:intake") + "?received_to=2000-01-01").content
        assert phalia.reference.encode() not in content


@pytest.mark.django_db
def test_queue_shows_new_urgent_reports_first(officer_mbdin, login_as):
    triaged = make_tip()
    tip_set_status(tip=triaged, status=TipStatus.TRIAGED, by=officer_mbdin)
    plain = make_tip()
    urgent = make_tip(danger_now=True)
    content = login_as(officer_mbdin).get(reverse("cell:intake")).content
    positions = [content.index(t.reference.encode()) for t in (urgent, plain, triaged)]
    assert positions == sorted(positions)
