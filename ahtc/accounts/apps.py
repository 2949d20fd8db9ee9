from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ahtc.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ahtc.accounts.totp import totp_key_encryption_install

        totp_key_encryption_install()
