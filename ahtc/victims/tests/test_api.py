"""The providers' API: open referrals of their organisation only, answers by the rules."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import Organisation, User
from ahtc.api.services import api_token_create
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord, Referral, ServiceType

pytestmark = pytest.mark.django_db


def api(user: User) -> APIClient:
    client = APIClient()
    _token, key = api_token_create(user=user, name="tests", by=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies["ahtc_lang"] = "en"
    return client


@pytest.fixture
def referral(
    record: ProtectionRecord, health_org: Organisation, officer_mbdin: User, give_consent: Any
) -> Referral:
    give_consent(record, ServiceType.HEALTH)
    return s.referral_create(
        record=record,
        by=officer_mbdin,
        provider=health_org,
        service=ServiceType.HEALTH,
        needs="Check-up",
    )


def test_provider_lists_its_referrals_without_names(referral: Referral, health_user: User) -> None:
    rows = api(health_user).get("/api/v1/referrals/").json()["results"]
    assert [r["victim_number"] for r in rows] == [referral.record.number]
    assert rows[0]["name"] is None


def test_other_provider_sees_nothing_and_cannot_answer(referral: Referral, ngo_user: User) -> None:
    client = api(ngo_user)
    assert client.get("/api/v1/referrals/").json()["results"] == []
    response = client.post(f"/api/v1/referrals/{referral.pk}/answer/", {"accept": True})
    assert response.status_code == 404


def test_answer_then_deliver(referral: Referral, health_user: User) -> None:
    client = api(health_user)
    refused = client.post(
        f"/api/v1/referrals/{referral.pk}/answer/", {"accept": False}, format="json"
    )
    assert refused.status_code == 400
    assert "Say why" in refused.json()["message"]
    early = client.post(
        f"/api/v1/referrals/{referral.pk}/deliver/",
        {"delivered_on": "2025-01-01", "outcome": "done"},
        format="json",
    )
    assert early.status_code == 400
    client.post(f"/api/v1/referrals/{referral.pk}/answer/", {"accept": True}, format="json")
    done = client.post(
        f"/api/v1/referrals/{referral.pk}/deliver/",
        {"delivered_on": "2025-01-01", "outcome": "Treated"},
        format="json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "delivered"


def test_cell_officer_gets_no_provider_referrals(referral: Referral, officer_mbdin: User) -> None:
    assert api(officer_mbdin).get("/api/v1/referrals/").json()["results"] == []
