"""The classification API: a suggestion without a case; a case's decisions."""

from __future__ import annotations

from typing import Any

import pytest

from ahtc.accounts.models import User
from ahtc.cases.models import Case, ClassificationDecision
from ahtc.cases.tests.test_api import token_client

pytestmark = pytest.mark.django_db

FACTS: dict[str, Any] = {
    "facts": {"act_recruit": "yes", "purpose_labour": "yes", "at_kiln": "yes"},
    "age_years": 12,
    "age_evidence": "document",
    "sex": "masculine",
    "offence_date": "2024-03-01",
}
SUGGEST = "/api/v1/classification/suggest/"


def test_suggest_explains_and_touches_no_case(case: Case, officer_mbdin: User) -> None:
    response = token_client(officer_mbdin).post(SUGGEST, FACTS, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["classification"] == "trafficking_child"
    assert body["provisions"] == ["PTPA-3-1", "PTPA-3-2", "PRECA-11", "PBKCLA"]
    assert body["explanation"]["because"]["PTPA-3-1"] == [
        "recruited",
        "compelled labour, including debt bondage",
        "a child (under 18)",
    ]
    assert "police investigate" in body["explanation"]["agency"]
    assert not ClassificationDecision.objects.exists()


def test_suggest_without_facts_asks_for_review(officer_mbdin: User) -> None:
    body = token_client(officer_mbdin).post(SUGGEST, {}, format="json").json()
    assert body["classification"] == "needs_review"
    assert body["review"] == ["nothing"]


@pytest.mark.parametrize(
    "bad",
    [
        {"facts": {"no_such_fact": "yes"}},
        {"facts": {"act_recruit": "maybe"}},
        {"age_years": -1},
        {"sex": "woman"},
        {"direction": ["north"]},
    ],
)
def test_bad_facts_are_a_400_in_the_api_error_format(
    officer_mbdin: User, bad: dict[str, Any]
) -> None:
    response = token_client(officer_mbdin).post(SUGGEST, bad, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]


def test_suggest_needs_a_signed_in_staff_member(client: Any) -> None:
    assert client.post(SUGGEST, FACTS, content_type="application/json").status_code in {401, 403}


def test_the_schema_documents_the_endpoint_with_examples(client: Any) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/classification/suggest/" in schema
    assert "Child recruited for kiln work" in schema


def test_case_decisions_read_and_record(
    case: Case, officer_mbdin: User, officer_gujrat: User
) -> None:
    api = token_client(officer_mbdin)
    path = f"/api/v1/cases/{case.reference}/classification/"
    decide = {
        "answers": FACTS,
        "classification": "trafficking_child",
        "agency": "police",
        "provisions": ["PTPA-3-1"],
    }
    refused = api.post(path, decide, format="json")
    assert refused.status_code == 400
    assert "give the reason" in refused.json()["message"]
    made = api.post(path, {**decide, "override_reason": "Only s.3 for now."}, format="json")
    assert made.status_code == 201
    assert made.json()["departures"][0]["kind"] == "dropped"
    listed = api.get(path).json()
    assert [d["provisions"] for d in listed] == [["PTPA-3-1"]]
    assert "override_reason" not in listed[0]
    other = token_client(officer_gujrat)
    assert other.get(path).status_code == 404
    assert other.post(path, decide, format="json").status_code == 404
