"""TOTP seeds are encrypted at rest like identity fields (issue 9)."""

from __future__ import annotations

import base64
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.accounts.services import demo_totp_key, totp_base32, totp_device_start
from ahtc.core.fields import decrypt_str
from conftest import current_code


def _raw_key(device_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device_id])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
class TestAtRest:
    def test_demo_seed_is_not_in_the_database_row(self, officer_mbdin):
        device = TOTPDevice.objects.get(user=officer_mbdin)
        raw = _raw_key(device.pk)
        seed = demo_totp_key("officer_mbdin")
        assert seed not in raw.lower()
        assert totp_base32(device) not in raw
        assert decrypt_str(raw) == seed

    def test_enrolment_seed_is_not_in_the_database_row(self, make_user):
        device = totp_device_start(user=make_user("newcomer", enrolled=False))
        raw = _raw_key(device.pk)
        assert device.key not in raw.lower()
        assert base64.b32encode(device.bin_key).decode().rstrip("=") not in raw

    def test_demo_persona_still_signs_in_with_its_fixed_key(self, client, officer_mbdin):
        client.cookies["ahtc_lang"] = "en"
        data = {
            "username": "officer_mbdin",
            "password": "correct-horse-battery-42",
            "otp_token": current_code("officer_mbdin"),
        }
        assert client.post("/accounts/sign-in/", data).status_code == 302
        assert client.get("/cell/").status_code == 200


@pytest.mark.django_db
def test_migration_encrypts_existing_plaintext_seeds(officer_mbdin):
    device = TOTPDevice.objects.get(user=officer_mbdin)
    seed = demo_totp_key("officer_mbdin")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE otp_totp_totpdevice SET key = %s WHERE id = %s", [seed, device.pk])
    migration = importlib.import_module("ahtc.accounts.migrations.0004_totp_keys_encrypted")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.keys_encrypt(apps, editor)
    migration.keys_encrypt(apps, editor)  # twice: already encrypted rows are left alone
    raw = _raw_key(device.pk)
    assert seed not in raw
    assert decrypt_str(raw) == seed
    device.refresh_from_db()
    assert device.key == seed
