"""API tokens (issue 9): same checks as sign-in, expiry, hashed storage, CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from ahtc.api.models import ApiToken
from ahtc.api.services import api_token_create, api_token_revoke
from ahtc.core.models import AuditAction, AuditEvent
from ahtc.geography.models import Area

ME = "/api/v1/me/"


def _client(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


@pytest.mark.django_db
class TestSameChecksAsSignIn:
    def test_token_works_for_an_active_user_with_a_role(self, fia_liaison):
        _token, key = api_token_create(user=fia_liaison, name="FIA case system", by=None)
        assert _client(key).get(ME).status_code == 200

    def test_token_of_disabled_organisation_is_refused(self, fia_liaison):
        _token, key = api_token_create(user=fia_liaison, name="FIA case system", by=None)
        organisation = fia_liaison.organisation
        organisation.is_active = False
        organisation.save()
        assert _client(key).get(ME).status_code == 401

    def test_token_of_disabled_user_is_refused(self, fia_liaison):
        _token, key = api_token_create(user=fia_liaison, name="FIA case system", by=None)
        fia_liaison.is_active = False
        fia_liaison.save()
        assert _client(key).get(ME).status_code == 401

    def test_token_of_user_without_role_is_refused(self, make_user):
        _token, key = api_token_create(user=make_user("no_role", role=None), name="x", by=None)
        assert _client(key).get(ME).status_code == 401

    def test_token_of_user_whose_role_area_has_ended_is_refused(self, officer_mbdin):
        _token, key = api_token_create(user=officer_mbdin, name="x", by=None)
        Area.objects.filter(code="PK620").update(valid_to=dt.date(2020, 1, 1))
        assert _client(key).get(ME).status_code == 401

    def test_unknown_key_is_refused(self, fia_liaison):
        api_token_create(user=fia_liaison, name="x", by=None)
        assert _client("ahtc_not-a-real-key").get(ME).status_code == 401


@pytest.mark.django_db
class TestLifetime:
    def test_token_expires_after_the_configured_days(self, fia_liaison, settings):
        settings.AHTC_API_TOKEN_DAYS = 30
        start = timezone.now()
        with time_machine.travel(start, tick=False):
            token, key = api_token_create(user=fia_liaison, name="x", by=None)
            assert token.expires_at == start + dt.timedelta(days=30)
        with time_machine.travel(start + dt.timedelta(days=29), tick=False):
            assert _client(key).get(ME).status_code == 200
        with time_machine.travel(start + dt.timedelta(days=31), tick=False):
            assert _client(key).get(ME).status_code == 401

    def test_default_lifetime_is_ninety_days(self, fia_liaison):
        token, _key = api_token_create(user=fia_liaison, name="x", by=None)
        assert token.expires_at - token.created_at == dt.timedelta(days=90)

    def test_revoked_token_is_refused_and_revocation_is_audited(self, fia_liaison, dpo_mbdin):
        token, key = api_token_create(user=fia_liaison, name="x", by=None)
        api_token_revoke(token=token, by=fia_liaison)
        assert _client(key).get(ME).status_code == 401
        event = AuditEvent.objects.get(action=AuditAction.DISABLE, object_type="api.apitoken")
        assert (event.actor, event.object_id) == (fia_liaison, str(token.pk))

    def test_use_is_recorded(self, fia_liaison):
        token, key = api_token_create(user=fia_liaison, name="x", by=None)
        _client(key).get(ME)
        token.refresh_from_db()
        assert token.last_used_at is not None


@pytest.mark.django_db
class TestStorage:
    def test_token_is_stored_as_its_sha256_only(self, fia_liaison):
        token, key = api_token_create(user=fia_liaison, name="x", by=None)
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM api_apitoken WHERE id = %s", [token.pk])
            row = cursor.fetchone()
        assert hashlib.sha256(key.encode()).hexdigest() in row
        assert not any(key in str(value) for value in row)

    def test_creation_is_audited_without_the_key(self, fia_liaison, admin_user):
        token, key = api_token_create(user=fia_liaison, name="x", by=admin_user)
        event = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="api.apitoken")
        assert (event.actor, event.object_id) == (admin_user, str(token.pk))
        assert key not in event.reason
        assert event.area_code == fia_liaison.organisation.area.code


@pytest.mark.django_db
class TestCommand:
    def test_command_prints_the_key_once_and_stores_its_hash(self, fia_liaison, capsys):
        call_command("api_token_create", "fia_liaison", "--name", "FIA case system")
        out = capsys.readouterr().out
        key = next(word for word in out.split() if word.startswith("ahtc_"))
        token = ApiToken.objects.get(user=fia_liaison)
        assert token.name == "FIA case system"
        assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
        assert _client(key).get(ME).status_code == 200

    def test_command_takes_a_lifetime(self, fia_liaison):
        call_command("api_token_create", "fia_liaison", "--name", "x", "--days", "7")
        token = ApiToken.objects.get(user=fia_liaison)
        assert token.expires_at - token.created_at == dt.timedelta(days=7)

    def test_command_refuses_unknown_and_disabled_users(self, fia_liaison):
        with pytest.raises(CommandError):
            call_command("api_token_create", "nobody", "--name", "x")
        fia_liaison.is_active = False
        fia_liaison.save()
        with pytest.raises(CommandError):
            call_command("api_token_create", "fia_liaison", "--name", "x")
        assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_drf_tokens_are_moved_hashed_and_their_plain_keys_deleted(fia_liaison):
    migration = importlib.import_module("ahtc.api.migrations.0002_drf_tokens_hashed")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            ["a" * 40, timezone.now(), fia_liaison.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.tokens_from_drf(apps, editor)
    token = ApiToken.objects.get(user=fia_liaison)
    assert token.key_hash == hashlib.sha256(b"a" * 40).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert _client("a" * 40).get(ME).status_code == 200
