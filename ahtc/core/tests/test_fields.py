from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from ahtc.core.fields import EncryptedTextField, decrypt_str, encrypt_str, rotate_str

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_ciphertext_hides_the_value_and_is_randomised():
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        first, second = (
            encrypt_str("Nasreen Bibi 35202-1234567-8"),
            encrypt_str("Nasreen Bibi 35202-1234567-8"),
        )
        assert "Nasreen" not in first
        assert "35202" not in first
        assert first != second
        assert decrypt_str(first) == decrypt_str(second) == "Nasreen Bibi 35202-1234567-8"


def test_rotation_old_keys_still_decrypt_new_writes_use_new_key():
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD]):
        token = encrypt_str("secret")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW, OLD]):
        assert decrypt_str(token) == "secret"
        rotated = rotate_str(token)
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        assert decrypt_str(rotated) == "secret"
        with pytest.raises(ValueError, match="no configured key"):
            decrypt_str(token)


def test_bad_key_fails_loudly():
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=["not-a-key"]),
        pytest.raises(ImproperlyConfigured),
    ):
        encrypt_str("x")


def test_field_round_trip_and_lookups():
    field = EncryptedTextField()
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW]):
        stored = field.get_prep_value("03001234567")
        assert stored.startswith("enc1:")
        assert "0300" not in stored
        assert field.from_db_value(stored, None, None) == "03001234567"  # type: ignore[arg-type]
        assert field.get_prep_value("") == ""
        assert field.get_prep_value(None) is None
    with pytest.raises(ValueError, match="cannot be filtered"):
        field.get_lookup("exact")
