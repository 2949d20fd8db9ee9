"""What the contract fuzzer (scripts/api_fuzz.sh) found, each case pinned
without it: input the schema calls invalid used to be accepted (quietly
ignored or coerced), and input it calls valid used to be refused."""

# ruff: noqa: F401, F811 - test arguments name the fixtures imported below

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.api.tests.conftest import TokenClient, World, token_client, world
from ahtc.cases.tests.conftest import case, flow, make_case, make_person, mbdin, station
from ahtc.victims.tests.conftest import give_consent, health_org, health_user, make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(token_client: TokenClient, officer_mbdin: User) -> APIClient:
    return token_client(officer_mbdin)


@pytest.fixture
def schema() -> dict[str, Any]:
    body: dict[str, Any] = APIClient().get("/api/v1/schema/").json()
    return body


def refused(response: Any, field: str) -> bool:
    body = response.json()
    return response.status_code == 400 and body["code"] == "invalid" and field in body["fields"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/areas/?on=", "on"),  # empty: was "no date given"
        ("/api/v1/areas/?on=20250101", "on"),  # fromisoformat took it; the schema says YYYY-MM-DD
        ("/api/v1/areas/?level=planet", "level"),  # was an empty list
        ("/api/v1/areas/?current=maybe", "current"),  # was "not only current"
        ("/api/v1/legal-provisions/?on=", "on"),
        ("/api/v1/cases/?status=nope", "status"),  # was an empty page, as if no case matched
        ("/api/v1/cases/?classification=%F0%9F%98%80", "classification"),
        ("/api/v1/cases/?agency=", "agency"),
        ("/api/v1/cases/?year=2025&year=2026", "year"),  # given twice: the last one won
        ("/api/v1/cases/?limit=abc", "limit"),  # paging fell back to 100 rows
        ("/api/v1/cases/?limit=0", "limit"),
        ("/api/v1/organisations/?offset=null", "offset"),
        ("/api/v1/organisations/?offset=-3", "offset"),
        ("/api/v1/organisations/?offset=%C2%B2", "offset"),  # "²": a digit to isdigit()
        ("/api/v1/referrals/?limit=5&limit=6", "limit"),
    ],
)
def test_typed_query_parameters_are_read_strictly(
    officer: APIClient, path: str, field: str
) -> None:
    assert refused(officer.get(path), field), path


def test_valid_parameters_still_answer(officer: APIClient, world: World) -> None:
    areas = officer.get("/api/v1/areas/?level=district&current=true&on=2025-01-01")
    assert areas.status_code == 200
    page = officer.get(f"/api/v1/cases/?status={world.case.status}&year={world.case.year}")
    assert page.json()["count"] == 1
    assert officer.get("/api/v1/cases/?within=&limit=000000000000000000000001").status_code == 200


def test_a_huge_limit_or_offset_is_cut_not_refused(officer: APIClient, world: World) -> None:
    page = officer.get("/api/v1/areas/?limit=99999999999999999999")
    assert page.status_code == 200
    assert len(page.json()["results"]) == min(500, page.json()["count"])
    beyond = officer.get("/api/v1/areas/?offset=" + "9" * 40)
    assert beyond.status_code == 200
    assert beyond.json()["results"] == []


def test_paging_parameters_publish_their_minimum(schema: dict[str, Any]) -> None:
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/cases/"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["minimum"] == 1
    assert parameters["offset"]["schema"]["minimum"] == 0
    assert parameters["year"]["schema"] == {"type": "integer", "minimum": 1947, "maximum": 2999}


def test_a_number_where_a_string_belongs_is_refused(officer: APIClient) -> None:
    """DRF's CharField turned `0` into "0"; the schema says string."""
    url = "/api/v1/classification/suggest/"
    body = {"facts": {"crossed_border": "yes"}, "age_years": 24, "nationality": 0}
    assert refused(officer.post(url, body, format="json"), "nationality")
    body["nationality"] = "PK"
    assert officer.post(url, body, format="json").status_code == 200


def test_a_number_as_the_reason_for_turning_down_a_referral_is_refused(
    world: World, token_client: TokenClient, health_user: User
) -> None:
    provider = token_client(health_user)
    url = f"/api/v1/referrals/{world.referral.pk}/answer/"
    response = provider.post(url, {"accept": False, "reason": 0}, format="json")
    assert refused(response, "reason")
    world.referral.refresh_from_db()
    assert world.referral.status == "sent"  # nothing was answered


def test_other_is_not_offered_as_a_decision(
    officer: APIClient, world: World, schema: dict[str, Any]
) -> None:
    """The value "other" labels old decisions only; the service always refused it."""
    url = f"/api/v1/cases/{world.case.reference}/classification/"
    body = {"answers": {}, "classification": "other", "agency": "police", "override_reason": "x"}
    assert refused(officer.post(url, body, format="json"), "classification")
    request = schema["components"]["schemas"]["DecideRequest"]["properties"]["classification"]
    decidable = schema["components"]["schemas"][request["$ref"].split("/")[-1]]["enum"]
    assert "other" not in decidable
    assert "trafficking_child" in decidable


def test_a_decision_is_documented_as_created(schema: dict[str, Any]) -> None:
    post = schema["paths"]["/api/v1/cases/{reference}/classification/"]["post"]
    assert "201" in post["responses"]
    assert "200" not in post["responses"]


def test_agent_verification_says_its_length_limits(schema: dict[str, Any]) -> None:
    (q,) = schema["paths"]["/api/v1/agencies/verify/"]["get"]["parameters"]
    assert (q["schema"]["minLength"], q["schema"]["maxLength"]) == (2, 100)


def test_agent_verification_counts_the_spaces_it_was_sent(db: None) -> None:
    """101 characters are too many even when spaces around them are trimmed."""
    client = APIClient()
    assert refused(client.get("/api/v1/agencies/verify/", {"q": " " + "a" * 100}), "q")
    assert client.get("/api/v1/agencies/verify/", {"q": " ab "}).status_code == 200
