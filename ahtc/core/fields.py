"""Encrypted model fields for identity data.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the keys in
`settings.FIELD_ENCRYPTION_KEYS`, newest first. Encryption always uses the
newest key; decryption tries every key, so rotation is: put a new key first,
keep the old ones, run `ahtc rotate-keys`, then drop the old keys.
Encrypted columns cannot be searched or sorted; store a keyed hash beside them
where equality search is needed.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

PREFIX = "enc1:"


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_str(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_str(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("value is not an AHTC encrypted token")
    try:
        return fernet().decrypt(token[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ValueError("no configured key decrypts this value") from exc


def rotate_str(token: str) -> str:
    """Re-encrypt a stored token under the newest key."""
    return PREFIX + fernet().rotate(token[len(PREFIX) :].encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column whose stored form is ciphertext; Python sees plain text."""

    description = "Text encrypted at rest"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_str(str(value))

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None or value == "":
            return value
        return decrypt_str(value)

    def get_lookup(self, lookup_name: str) -> Any:
        # Ciphertext is randomised, so only null checks can mean anything.
        if lookup_name not in {"isnull"}:
            raise ValueError(f"encrypted fields cannot be filtered with '{lookup_name}'")
        return super().get_lookup(lookup_name)


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
