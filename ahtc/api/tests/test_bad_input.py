"""Whatever JSON (or not-JSON) a client posts, the API answers 4xx, never 500:
deep nesting used to raise RecursionError in the parser."""

# ruff: noqa: F811 - test arguments name the case fixtures imported below

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ahtc.accounts.models import User
from ahtc.api.parsers import MAX_JSON_DEPTH, json_depth_exceeds
from ahtc.cases.models import Case
from ahtc.cases.tests.conftest import case, make_case, mbdin  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
# The client and case are made once per test, not per example: that is fine here.
EXAMPLES = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()  # NaN and infinities too: not JSON, must be a 400
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def transition_url(case: Case) -> str:
    return reverse("api:case_transition", args=[case.reference])


def post(client: Client, url: str, body: str | bytes) -> Any:
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def api(login_as: LoginAs, officer_mbdin: User) -> Client:
    return login_as(officer_mbdin)


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_json_nested_3000_levels_is_a_clean_400(api: Client, case: Case, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    response = post(api, transition_url(case), opening * 3000 + "1" + closing * 3000)
    assert response.status_code == 400
    assert "nested" in response.json()["message"]


def test_json_deeper_than_any_payload_needs_is_a_400(api: Client, case: Case) -> None:
    deep = "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH  # one level down already
    response = post(api, transition_url(case), f'{{"to": "inquiry", "note": {deep}}}')
    assert response.status_code == 400
    assert "nested deeper than" in response.json()["message"]
    case.refresh_from_db()
    assert case.status == "reported"  # nothing was done with it


def test_ordinary_json_is_still_read(api: Client, case: Case) -> None:
    response = post(api, transition_url(case), "{}")
    assert response.status_code == 400
    assert "to" in response.json()["fields"]  # a field error: the body was parsed


def test_depth_is_measured_without_recursion() -> None:
    deep: Any = []
    for _ in range(100_000):
        deep = [deep]
    assert json_depth_exceeds(deep, MAX_JSON_DEPTH)
    assert not json_depth_exceeds({"a": [1, {"b": 2}]}, 3)
    assert json_depth_exceeds({"a": [1, {"b": []}]}, 3)


@EXAMPLES
@given(value=JSON)
def test_any_json_value_is_never_a_500(api: Client, case: Case, value: Any) -> None:
    response = post(api, transition_url(case), json.dumps(value))
    assert response.status_code < 500


@EXAMPLES
@given(depth=st.integers(1, 5000), opening=st.sampled_from(["[", '{"to":']))
def test_nesting_at_any_depth_is_never_a_500(
    api: Client, case: Case, depth: int, opening: str
) -> None:
    closing = "]" if opening == "[" else "}"
    response = post(api, transition_url(case), opening * depth + "0" + closing * depth)
    assert response.status_code < 500


@EXAMPLES
@given(body=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_are_never_a_500(api: Client, case: Case, body: bytes) -> None:
    response = post(api, transition_url(case), body)
    assert response.status_code < 500
