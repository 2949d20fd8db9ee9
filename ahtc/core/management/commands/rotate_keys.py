from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from ahtc.core.fields import EncryptedTextField, rotate_str


class Command(BaseCommand):
    help = "Re-encrypt every encrypted column under the newest key in FIELD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            names = [
                f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
            ]
            if not names:
                continue
            done = 0
            # Read the raw ciphertext (values()) so nothing is decrypted into memory.
            rows = model._default_manager.values_list("pk", *names)
            with transaction.atomic():
                for pk, *tokens in rows.iterator():
                    fresh = {n: rotate_str(t) for n, t in zip(names, tokens, strict=True) if t}
                    if fresh:
                        _write_raw(model, pk, fresh)
                        done += 1
            self.stdout.write(f"{model._meta.label}: {done} rows re-encrypted")


def _write_raw(model: Any, pk: Any, values: dict[str, str]) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in values)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk_col} = %s", [*values.values(), pk])  # noqa: S608
