"""Indicator rows carry their report's district on every way in (issue 19).

Duplicate suggestions count "how common is this value here" on the district
stored with each indicator row, so a row with a missing or wrong district
would make a value look rarer or commoner than it is.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.api.services import api_token_create
from ahtc.geography.models import Area
from ahtc.portal.models import Channel, Tip, TipIndicator

from .test_intake import make_tip
from .test_reporting import submit

INVOLVED = "agent called Bashir Syntheticus, 0300-1234567"


def districts_of(tip: Tip) -> set[str]:
    return set(TipIndicator.objects.filter(tip=tip).values_list("district__code", flat=True))


def assert_rows_follow_the_report(tip: Tip, code: str) -> None:
    assert tip.district.code == code
    assert tip.indicators.count() >= 2  # the phone and at least one name
    assert districts_of(tip) == {code}


@pytest.mark.django_db
class TestEveryWayIn:
    def test_web_form(self, client: Any) -> None:
        response = submit(client, district="PK610", tehsil="", involved=INVOLVED)
        assert response.status_code == 200
        assert_rows_follow_the_report(Tip.objects.get(), "PK610")

    def test_offline_retry_keeps_one_set_of_rows_in_the_district(self, client: Any) -> None:
        """The installed page's queue sends a report again when the phone is
        back online: the retry stores nothing new and the rows stay right."""
        token = uuid.uuid4().hex
        for _ in range(2):
            submit(client, client_token=token, district="PK610", tehsil="", involved=INVOLVED)
        tip = Tip.objects.get()
        rows = tip.indicators.count()
        submit(client, client_token=token, district="PK620", tehsil="", involved=INVOLVED)
        assert Tip.objects.get() == tip
        assert tip.indicators.count() == rows
        assert_rows_follow_the_report(tip, "PK610")

    def test_partner_api_intake(self, make_user: Any) -> None:
        gateway = make_user("sms_gateway", Role.HELPLINE, "PK6", kind=OrganisationKind.NGO)
        _token, key = api_token_create(
            user=gateway, name="SMS gateway", by=None, scopes=("reports:submit",)
        )
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        body = {
            "idempotency_key": "sms-" + uuid.uuid4().hex[:8],
            "channel": "sms",
            "category": "fake_agent",
            "district": "PK610",
            "description": "An agent took money for a visa and vanished.",
            "involved": INVOLVED,
            "child_involved": "no",
            "danger_now": False,
        }
        response = api.post("/api/v1/reports/", body, format="json")
        assert response.status_code == 201, response.content
        assert_rows_follow_the_report(Tip.objects.get(), "PK610")

    def test_helpline_call_recorded_by_staff(self, make_user: Any, login_as: Any) -> None:
        helpline: User = make_user("helpline_mbdin", Role.HELPLINE)
        form = {
            "client_token": uuid.uuid4().hex,
            "channel": Channel.HELPLINE,
            "category": "missing_abroad",
            "district": "PK620",
            "tehsil": "",
            "description": "Caller's son left in March and has not called since.",
            "involved": INVOLVED,
            "child_involved": "no",
        }
        assert login_as(helpline).post(reverse("cell:record_call"), form).status_code == 200
        assert_rows_follow_the_report(Tip.objects.get(), "PK620")

    def test_split_district_old_and_new_each_keep_their_own(self) -> None:
        """Wazirabad (PK637) was split from Gujranwala (PK609): a report filed
        under either keeps that district on its rows, so Gujranwala's old
        reports are not counted as Wazirabad's or the reverse."""
        assert Area.objects.get(code="PK637").predecessors.filter(code="PK609").exists()
        old = make_tip(district="PK609", involved=INVOLVED)
        new = make_tip(district="PK637", involved=INVOLVED)
        assert_rows_follow_the_report(old, "PK609")
        assert_rows_follow_the_report(new, "PK637")


@pytest.mark.django_db
def test_no_row_anywhere_disagrees_with_its_report() -> None:
    for district in ("PK620", "PK610", "PK637"):
        make_tip(district=district, involved=INVOLVED)
    rows = TipIndicator.objects.select_related("tip")
    assert rows.count() >= 6
    assert all(row.district_id == row.tip.district_id for row in rows)
