"""Workspace pages listing and revoking API tokens (issue 9)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ahtc.accounts.roles import Role
from ahtc.api.services import api_token_create
from ahtc.core.models import AuditEvent, AuditOutcome


def _revoke(client, token):
    return client.post(reverse("cell:token_revoke", args=[token.pk]), {"confirm": "yes"})


@pytest.mark.django_db
class TestOwner:
    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get(reverse("cell:tokens"))
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_owner_sees_own_tokens_without_keys(self, fia_liaison, login_as):
        token, key = api_token_create(user=fia_liaison, name="FIA case system", by=None)
        response = login_as(fia_liaison).get(reverse("cell:tokens"))
        assert response.status_code == 200
        assert b"FIA case system" in response.content
        assert key.encode() not in response.content
        assert token.key_hash.encode() not in response.content

    def test_owner_revokes_own_token(self, fia_liaison, login_as):
        token, _key = api_token_create(user=fia_liaison, name="x", by=None)
        response = _revoke(login_as(fia_liaison), token)
        assert response.status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None
        assert token.revoked_by == fia_liaison

    def test_other_officer_cannot_revoke_a_token_and_is_audited(
        self, officer_mbdin, make_user, login_as
    ):
        colleague = make_user("colleague_mbdin")
        token, _key = api_token_create(user=colleague, name="x", by=None)
        assert _revoke(login_as(officer_mbdin), token).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None
        event = AuditEvent.objects.get(outcome=AuditOutcome.REFUSED)
        assert (event.actor, event.object_type) == (officer_mbdin, "api.apitoken")

    def test_revoke_is_post_only(self, fia_liaison, login_as):
        token, _key = api_token_create(user=fia_liaison, name="x", by=None)
        url = reverse("cell:token_revoke", args=[token.pk])
        assert login_as(fia_liaison).get(url).status_code == 405


@pytest.mark.django_db
class TestManagers:
    def test_cell_head_lists_and_revokes_own_organisation_users_tokens(
        self, dpo_mbdin, officer_mbdin, login_as
    ):
        token, _key = api_token_create(user=officer_mbdin, name="district system", by=None)
        client = login_as(dpo_mbdin)
        page = client.get(reverse("cell:user_tokens", args=[officer_mbdin.pk]))
        assert page.status_code == 200
        assert b"district system" in page.content
        assert _revoke(client, token).status_code == 302
        token.refresh_from_db()
        assert token.revoked_by == dpo_mbdin

    def test_cell_head_gets_404_for_other_agency_users_tokens(
        self, dpo_mbdin, labour_liaison, login_as
    ):
        token, _key = api_token_create(user=labour_liaison, name="x", by=None)
        client = login_as(dpo_mbdin)
        page = client.get(reverse("cell:user_tokens", args=[labour_liaison.pk]))
        assert page.status_code == 404
        assert _revoke(client, token).status_code == 404
        token.refresh_from_db()
        assert token.revoked_at is None
        assert AuditEvent.objects.filter(actor=dpo_mbdin, outcome=AuditOutcome.REFUSED).count() == 2

    def test_officer_without_user_management_gets_403(self, officer_mbdin, login_as):
        page = login_as(officer_mbdin).get(reverse("cell:user_tokens", args=[officer_mbdin.pk]))
        assert page.status_code == 403

    def test_provincial_administrator_revokes_any_token(self, admin_user, labour_liaison, login_as):
        token, _key = api_token_create(user=labour_liaison, name="x", by=None)
        assert _revoke(login_as(admin_user), token).status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None

    def test_district_administrator_cannot_revoke_other_agency_tokens(
        self, make_user, labour_liaison, login_as
    ):
        district_admin = make_user("admin_mbdin", Role.ADMINISTRATOR, "PK620")
        token, _key = api_token_create(user=labour_liaison, name="x", by=None)
        assert _revoke(login_as(district_admin), token).status_code == 404

    def test_user_list_links_to_token_pages(self, dpo_mbdin, officer_mbdin, login_as):
        page = login_as(dpo_mbdin).get(reverse("cell:users"))
        assert reverse("cell:user_tokens", args=[officer_mbdin.pk]).encode() in page.content


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_token_page_query_count_is_flat(
    count, dpo_mbdin, officer_mbdin, login_as, django_assert_max_num_queries
):
    for n in range(count):
        api_token_create(user=officer_mbdin, name=f"system {n}", by=dpo_mbdin)
    client = login_as(dpo_mbdin)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cell:user_tokens", args=[officer_mbdin.pk]))
    assert response.content.count(b"Revoke the token used by system") == count
