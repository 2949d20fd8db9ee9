"""Token scopes (issue 20): read, write, reports:submit; issued from the
workspace by the organisation's administrator, listed with their scopes."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.api.models import ApiToken
from ahtc.api.services import api_token_create
from ahtc.cases.models import Case
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/classification/suggest/"
FACTS = {"facts": {"act_recruit": "yes", "purpose_labour": "yes"}}
Client = Callable[..., APIClient]


@pytest.fixture
def client_for(db: None) -> Client:
    def make(user: User, scopes: tuple[str, ...]) -> APIClient:
        _token, key = api_token_create(user=user, name="system", by=None, scopes=scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


def assert_scope_refused(response: Any) -> None:
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"code", "message", "fields"}
    assert body["code"] == "insufficient_scope"


class TestEnforcement:
    def test_read_only_token_reads_but_may_not_post(
        self, client_for: Client, officer_mbdin: User
    ) -> None:
        client = client_for(officer_mbdin, ("read",))
        assert client.get("/api/v1/cases/").status_code == 200
        assert_scope_refused(client.post(SUGGEST, FACTS, format="json"))

    def test_read_write_token_may_post(self, client_for: Client, officer_mbdin: User) -> None:
        client = client_for(officer_mbdin, ("read", "write"))
        assert client.post(SUGGEST, FACTS, format="json").status_code == 200

    def test_write_only_token_may_not_read(self, client_for: Client, officer_mbdin: User) -> None:
        client = client_for(officer_mbdin, ("write",))
        assert_scope_refused(client.get("/api/v1/cases/"))
        assert client.post(SUGGEST, FACTS, format="json").status_code == 200

    def test_reports_only_token_may_not_read_cases(
        self, client_for: Client, officer_mbdin: User
    ) -> None:
        client = client_for(officer_mbdin, ("reports:submit",))
        assert_scope_refused(client.get("/api/v1/cases/"))
        assert_scope_refused(client.get("/api/v1/me/"))

    def test_a_scope_does_not_widen_the_role(
        self, client_for: Client, fia_liaison: User, case: Case
    ) -> None:
        # Write scope, but the case is not shared with the liaison's agency.
        client = client_for(fia_liaison, ("read", "write"))
        path = f"/api/v1/cases/{case.reference}/transition/"
        assert client.post(path, {"to": "closed"}, format="json").status_code == 404

    def test_me_shows_the_tokens_scopes(self, client_for: Client, officer_mbdin: User) -> None:
        assert client_for(officer_mbdin, ("read",)).get("/api/v1/me/").json()["scopes"] == ["read"]

    def test_unknown_scopes_are_refused_by_the_service(self, officer_mbdin: User) -> None:
        with pytest.raises(ValueError, match="scopes"):
            api_token_create(user=officer_mbdin, name="x", by=None, scopes=["admin"])
        with pytest.raises(ValueError, match="scopes"):
            api_token_create(user=officer_mbdin, name="x", by=None, scopes=[])

    def test_tokens_made_before_scopes_keep_read_and_write(self) -> None:
        migration = importlib.import_module("ahtc.api.migrations.0003_apitoken_scopes")
        (operation,) = migration.Migration.operations
        assert operation.field.default == "read write"

    def test_scopes_are_stored_in_a_fixed_order_once_each(self, officer_mbdin: User) -> None:
        token, _key = api_token_create(
            user=officer_mbdin, name="x", by=None, scopes=["write", "read", "write"]
        )
        assert token.scopes == "read write"


class TestCommand:
    def test_scope_option(self, officer_mbdin: User) -> None:
        call_command(
            "api_token_create", "officer_mbdin", "--name", "x", "--scope", "read", stdout=_Sink()
        )
        assert ApiToken.objects.get().scopes == "read"

    def test_default_is_read_and_write(self, officer_mbdin: User) -> None:
        call_command("api_token_create", "officer_mbdin", "--name", "x", stdout=_Sink())
        assert ApiToken.objects.get().scopes == "read write"

    def test_unknown_scope_is_refused(self, officer_mbdin: User) -> None:
        with pytest.raises(CommandError):
            call_command("api_token_create", "officer_mbdin", "--name", "x", "--scope", "all")
        assert not ApiToken.objects.exists()


class _Sink:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _issue(client: Any, user: User, **data: Any) -> Any:
    form = {"name": "SMS gateway", "scopes": ["reports:submit"], "days": "30", **data}
    return client.post(reverse("cell:user_tokens", args=[user.pk]), form)


class TestTokenPages:
    def test_list_shows_scopes(self, dpo_mbdin: User, officer_mbdin: User, login_as: Any) -> None:
        api_token_create(user=officer_mbdin, name="lookup system", by=None, scopes=["read"])
        page = login_as(dpo_mbdin).get(reverse("cell:user_tokens", args=[officer_mbdin.pk]))
        assert page.status_code == 200
        assert b"<code>read</code>" in page.content
        assert b'name="scopes"' in page.content  # the form to issue one

    def test_own_page_lists_scopes_without_the_form(self, fia_liaison: User, login_as: Any) -> None:
        api_token_create(user=fia_liaison, name="FIA", by=None, scopes=["read", "write"])
        page = login_as(fia_liaison).get(reverse("cell:tokens"))
        assert b"<code>read</code> <code>write</code>" in page.content
        assert b'name="scopes"' not in page.content

    def test_form_defaults_to_read(
        self, dpo_mbdin: User, officer_mbdin: User, login_as: Any
    ) -> None:
        page = login_as(dpo_mbdin).get(reverse("cell:user_tokens", args=[officer_mbdin.pk]))
        form = page.context["form"]
        assert form["scopes"].initial == ["read"]

    def test_cell_head_issues_a_token_for_own_organisation(
        self, dpo_mbdin: User, officer_mbdin: User, login_as: Any
    ) -> None:
        response = _issue(login_as(dpo_mbdin), officer_mbdin, scopes=["read"], days="30")
        assert response.status_code == 200
        token = ApiToken.objects.get()
        assert (token.user, token.created_by, token.scopes) == (officer_mbdin, dpo_mbdin, "read")
        assert (token.expires_at - token.created_at).days == 30
        key = response.context["new_key"]
        assert key.encode() in response.content
        assert "no-store" in response["Cache-Control"]
        event = AuditEvent.objects.get(object_type="api.apitoken", action=AuditAction.CREATE)
        assert event.actor == dpo_mbdin
        assert key not in event.reason
        # The key works, for reading only.
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/me/").status_code == 200
        assert_scope_refused(client.post(SUGGEST, FACTS, format="json"))
        # Shown once: the page afterwards does not have it.
        again = login_as(dpo_mbdin).get(reverse("cell:user_tokens", args=[officer_mbdin.pk]))
        assert key.encode() not in again.content

    def test_a_refused_form_keeps_what_was_typed_and_says_why(
        self, dpo_mbdin: User, officer_mbdin: User, login_as: Any
    ) -> None:
        client = login_as(dpo_mbdin)
        response = _issue(client, officer_mbdin, name="Lookup system", scopes=[])
        assert response.status_code == 200
        assert b"Choose at least one thing the token may do." in response.content
        assert b'value="Lookup system"' in response.content
        mixed = _issue(client, officer_mbdin, scopes=["reports:submit", "read"])
        assert b"may do nothing else" in mixed.content
        assert not ApiToken.objects.exists()

    def test_cell_officer_may_not_issue_tokens(
        self, officer_mbdin: User, make_user: Callable[..., User], login_as: Any
    ) -> None:
        colleague = make_user("colleague_mbdin")
        assert _issue(login_as(officer_mbdin), colleague).status_code == 403
        assert _issue(login_as(officer_mbdin), officer_mbdin).status_code == 403
        assert not ApiToken.objects.exists()

    def test_another_organisations_administrator_gets_404(
        self, make_user: Callable[..., User], labour_liaison: User, login_as: Any
    ) -> None:
        police_admin = make_user("admin_mbdin", Role.ADMINISTRATOR, "PK620")
        response = _issue(login_as(police_admin), labour_liaison)
        assert response.status_code == 404
        assert not ApiToken.objects.exists()
        refusal = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED)
        assert refusal.actor == police_admin

    def test_other_organisations_cell_head_gets_404(
        self, dpo_mbdin: User, labour_liaison: User, login_as: Any
    ) -> None:
        assert _issue(login_as(dpo_mbdin), labour_liaison).status_code == 404
        assert not ApiToken.objects.exists()

    def test_provincial_administrator_issues_for_anyone(
        self, admin_user: User, labour_liaison: User, login_as: Any
    ) -> None:
        assert _issue(login_as(admin_user), labour_liaison, scopes=["read"]).status_code == 200
        assert ApiToken.objects.get().user == labour_liaison

    def test_no_token_for_a_user_without_a_current_role(
        self, dpo_mbdin: User, make_user: Callable[..., User], login_as: Any
    ) -> None:
        idle = make_user("idle_mbdin", role=None)
        response = _issue(login_as(dpo_mbdin), idle, scopes=["read"])
        assert response.status_code == 200
        assert b"holds no current role" in response.content
        assert not ApiToken.objects.exists()
