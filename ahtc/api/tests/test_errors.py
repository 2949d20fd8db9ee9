"""One JSON error format for everything under /api/, whoever answers: DRF,
Django's URL resolver, a middleware or an uncaught exception. Pages outside
/api/ keep their HTML error pages."""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.api import throttling
from ahtc.api.serializers import MeSerializer
from ahtc.api.tests.conftest import TokenClient, World
from ahtc.cases.models import Case, CaseShare
from ahtc.core import ratelimit

pytestmark = pytest.mark.django_db


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == code
    assert body["message"]
    return body


@pytest.fixture
def officer(token_client: TokenClient, officer_mbdin: User) -> APIClient:
    return token_client(officer_mbdin)


@pytest.mark.parametrize(
    "path",
    ["/api/v1/nothing-here/", "/api/v1/organisations/not-a-number/", "/api/elsewhere"],
)
def test_unknown_paths_are_a_json_404(officer: APIClient, path: str) -> None:
    assert_error(officer.get(path), 404, "not_found")


def test_a_case_out_of_scope_is_a_json_404(
    token_client: TokenClient, case: Case, officer_gujrat: User
) -> None:
    response = token_client(officer_gujrat).get(f"/api/v1/cases/{case.reference}/")
    assert_error(response, 404, "not_found")


def test_pages_outside_the_api_keep_their_html_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_anonymous_is_a_json_401_with_the_scheme(api_client: APIClient) -> None:
    response = api_client.get("/api/v1/me/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_a_json_401(api_client: APIClient) -> None:
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(api_client.get("/api/v1/me/"), 401, "authentication_failed")


def test_a_partner_moving_a_shared_case_is_a_json_403(
    token_client: TokenClient, case: Case, officer_mbdin: User, fia_liaison: User, fia_org: Any
) -> None:
    CaseShare.objects.create(case=case, organisation=fia_org, reason="x", shared_by=officer_mbdin)
    response = token_client(fia_liaison).post(
        f"/api/v1/cases/{case.reference}/transition/", {"to": "inquiry"}, format="json"
    )
    assert_error(response, 403, "permission_denied")


def test_wrong_method_is_a_json_405(officer: APIClient, case: Case) -> None:
    response = officer.get(f"/api/v1/cases/{case.reference}/transition/")
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response["Allow"]


def test_unacceptable_accept_is_a_json_406(officer: APIClient) -> None:
    assert_error(officer.get("/api/v1/me/", HTTP_ACCEPT="text/csv"), 406, "not_acceptable")


def test_field_errors_come_under_fields(officer: APIClient, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/transition/"
    body = assert_error(officer.post(url, {"to": "nowhere"}, format="json"), 400, "invalid")
    assert list(body["fields"]) == ["to"]
    assert isinstance(body["fields"]["to"][0], str)


def test_a_broken_rule_is_the_message(officer: APIClient, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/transition/"
    body = assert_error(officer.post(url, {"to": "trial"}, format="json"), 400, "invalid")
    assert "cannot go to" in body["message"]
    assert body["fields"] == {}


def test_malformed_json_is_a_parse_error(officer: APIClient, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/transition/"
    response = officer.post(url, '{"to": ', content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_deep_json_is_a_parse_error_in_the_format(officer: APIClient, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/transition/"
    response = officer.post(url, "[" * 1000 + "]" * 1000, content_type="application/json")
    assert_error(response, 400, "parse_error")


def test_an_oversize_body_is_a_json_413(officer: APIClient, case: Case) -> None:
    url = f"/api/v1/cases/{case.reference}/transition/"
    response = officer.post(url, "{}", content_type="application/json", CONTENT_LENGTH="999999999")
    assert_error(response, 413, "too_large")


def test_an_uncaught_exception_is_a_json_500(
    officer: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("synthetic failure")

    monkeypatch.setattr(MeSerializer, "to_representation", broken)
    officer.raise_request_exception = False
    response = officer.get("/api/v1/me/")
    body = assert_error(response, 500, "server_error")
    assert "synthetic failure" not in response.content.decode()
    assert "Traceback" not in body["message"]


# --- forms are not accepted: a missing checkbox must never turn a referral down


@pytest.mark.parametrize("format_", ["multipart", None])
def test_a_form_answer_is_a_415_and_leaves_the_referral_open(
    token_client: TokenClient, world: World, health_user: User, format_: str | None
) -> None:
    client = token_client(health_user)
    url = f"/api/v1/referrals/{world.referral.pk}/answer/"
    if format_ is None:
        response = client.post(url, "reason=none", content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(url, {"reason": "none"}, format=format_)
    assert_error(response, 415, "unsupported_media_type")
    world.referral.refresh_from_db()
    assert world.referral.status == "sent"


@pytest.mark.parametrize("value", [None, "false", "no", 0, ""])
def test_an_answer_needs_an_explicit_json_boolean(
    token_client: TokenClient, world: World, health_user: User, value: Any
) -> None:
    client = token_client(health_user)
    body = {"reason": "Full"} if value is None else {"accept": value, "reason": "Full"}
    response = client.post(f"/api/v1/referrals/{world.referral.pk}/answer/", body, format="json")
    assert list(assert_error(response, 400, "invalid")["fields"]) == ["accept"]
    world.referral.refresh_from_db()
    assert world.referral.status == "sent"


def test_a_json_false_with_a_reason_still_turns_it_down(
    token_client: TokenClient, world: World, health_user: User
) -> None:
    response = token_client(health_user).post(
        f"/api/v1/referrals/{world.referral.pk}/answer/",
        {"accept": False, "reason": "No beds this month"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"


# --- the trailing slash: answered both ways, never a 301 that turns POST into GET


def test_post_without_trailing_slash_is_answered(officer: APIClient, case: Case) -> None:
    response = officer.post(
        f"/api/v1/cases/{case.reference}/transition", {"to": "inquiry"}, format="json"
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == "inquiry"


def test_get_without_trailing_slash_is_answered(officer: APIClient) -> None:
    response = officer.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["username"] == "officer_mbdin"


def test_unknown_path_without_slash_is_a_json_404_not_a_redirect(officer: APIClient) -> None:
    assert_error(officer.post("/api/v1/nothing", {}, format="json"), 404, "not_found")


def test_the_schema_lists_each_path_once_with_its_slash(api_client: APIClient) -> None:
    paths = api_client.get("/api/v1/schema/").json()["paths"]
    assert all(p.endswith("/") for p in paths)


# --- rate limits: a budget per token per minute


@pytest.fixture
def frozen_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Half past a minute of its own: no test crosses a minute boundary, and
    budgets in a shared cache (Redis in CI) from other runs are never met."""
    now = 60.0 * (1_000_000 + secrets.randbelow(10**9)) + 30.0
    clock = SimpleNamespace(time=lambda: now)
    monkeypatch.setattr(ratelimit, "time", clock)
    monkeypatch.setattr(throttling, "time", clock)


@pytest.mark.usefixtures("frozen_minute")
def test_a_token_over_its_budget_gets_a_429_with_retry_after(
    token_client: TokenClient, officer_mbdin: User, officer_gujrat: User, settings: Any
) -> None:
    settings.AHTC_API_REQUESTS_PER_MINUTE = 3
    client = token_client(officer_mbdin)
    assert [client.get("/api/v1/me/").status_code for _ in range(3)] == [200, 200, 200]
    response = client.get("/api/v1/me/")
    assert_error(response, 429, "throttled")
    assert response["Retry-After"] == "30"
    # Other tokens, even of the same user, have budgets of their own.
    assert token_client(officer_gujrat).get("/api/v1/me/").status_code == 200
    assert token_client(officer_mbdin).get("/api/v1/me/").status_code == 200


@pytest.mark.usefixtures("frozen_minute")
def test_calls_without_credentials_share_one_budget(settings: Any) -> None:
    settings.AHTC_API_ANONYMOUS_PER_MINUTE = 2
    assert APIClient().get("/api/v1/schema/").status_code == 200
    assert APIClient().get("/api/v1/schema/").status_code == 200
    assert_error(APIClient().get("/api/v1/schema/"), 429, "throttled")


@pytest.mark.parametrize("path", ["/api/v1", "/api"])
def test_post_to_the_bare_prefix_is_a_json_404_not_a_redirect(
    officer: APIClient, path: str
) -> None:
    assert_error(officer.post(path, {}, format="json"), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations/99999999999999999999/",
        "/api/v1/referrals/99999999999999999999/answer/",
    ],
)
def test_ids_beyond_any_integer_are_a_json_404(officer: APIClient, path: str) -> None:
    response = officer.post(path, {"accept": True}, format="json") if "answer" in path else None
    assert_error(response or officer.get(path), 404, "not_found")


@pytest.mark.parametrize(
    ("query", "status"),
    [("offset=99999999999999999999999", 200), ("limit=²", 400), ("offset=-5", 400)],
)
def test_paging_parameters_never_fail(
    officer: APIClient, case: Case, query: str, status: int
) -> None:
    """Never a 500: a number too large is cut, one that is not a number is a
    400 naming the parameter (ahtc/api/pagination.py)."""
    assert officer.get(f"/api/v1/cases/?{query}").status_code == status
