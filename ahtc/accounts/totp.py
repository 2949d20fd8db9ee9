"""TOTP seeds encrypted at rest, like identity fields (core/fields.py).

django-otp keeps each authenticator's seed in `otp_totp_totpdevice.key` as
hex. At app loading (AccountsConfig.ready) that one field takes the class
below, so the column holds Fernet ciphertext while Python, django-otp and the
tests keep seeing the hex seed (`bin_key`, `verify_token`, the enrolment QR
code). Chosen over a device model of our own because every caller of
django-otp's TOTPDevice (sign-in, session verification, test fixtures) keeps
working unchanged.

- The migration state stays django-otp's (`deconstruct` still says CharField
  of 80), so `makemigrations` sees no change in a third-party app; migration
  accounts/0004 widens the column on PostgreSQL (ciphertext is ~150
  characters) and encrypts the rows that were there.
- It is an EncryptedTextField, so `ahtc rotate-keys` re-encrypts seeds too.
- Seeds cannot be filtered on (nothing does).
"""

from __future__ import annotations

from typing import Any, cast

from django.db import models
from django_otp.plugins.otp_totp.models import TOTPDevice

from ahtc.core.fields import EncryptedTextField


class EncryptedTOTPKeyField(EncryptedTextField):
    description = "TOTP seed (hex), encrypted at rest"

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


def totp_key_encryption_install() -> None:
    field = cast("models.Field[Any, Any]", TOTPDevice._meta.get_field("key"))
    if not isinstance(field, EncryptedTOTPKeyField):
        field.__class__ = EncryptedTOTPKeyField
