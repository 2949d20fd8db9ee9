"""The documented `on` filter of /api/v1/areas/ is applied (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.api.services import api_token_create

pytestmark = pytest.mark.django_db


def client_for(user: User) -> APIClient:
    api = APIClient()
    _token, key = api_token_create(user=user, name="tests", by=None)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def codes(response: Any) -> set[str]:
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return {row["code"] for row in rows}


def test_districts_as_of_2020_exclude_one_created_in_2022(officer_mbdin: User) -> None:
    api = client_for(officer_mbdin)
    before = codes(api.get("/api/v1/areas/?level=district&within=PK6&on=2020-01-01"))
    after = codes(api.get("/api/v1/areas/?level=district&within=PK6&on=2024-01-01"))
    assert "PK637" not in before  # Wazirabad district, from 2022-10-14
    assert "PK637" in after
    assert "PK620" in before


def test_a_tehsil_moved_away_is_listed_only_before_the_move(officer_mbdin: User) -> None:
    api = client_for(officer_mbdin)
    url = "/api/v1/areas/?level=tehsil&within=PK609&on="
    assert "PK60904" in codes(api.get(url + "2020-01-01"))
    assert "PK60904" not in codes(api.get(url + "2023-01-01"))


@pytest.mark.parametrize("bad", ["2020-13-01", "yesterday", "2020/01/01"])
def test_a_bad_date_is_a_400_that_says_why(officer_mbdin: User, bad: str) -> None:
    response = client_for(officer_mbdin).get(f"/api/v1/areas/?on={bad}")
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["fields"]["on"][0]


def test_anonymous_is_refused() -> None:
    assert APIClient().get("/api/v1/areas/?on=2020-01-01").status_code == 401


def test_schema_documents_the_on_filter() -> None:
    schema = APIClient().get("/api/v1/schema/").json()
    params = schema["paths"]["/api/v1/areas/"]["get"]["parameters"]
    assert "on" in {p["name"] for p in params}
