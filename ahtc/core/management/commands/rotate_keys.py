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
            with transaction.atomic():
                for pk, *tokens in _read_raw(model, names):
                    fresh = {n: rotate_str(t) for n, t in zip(names, tokens, strict=True) if t}
                    if fresh:
                        _write_raw(model, pk, fresh)
                        done += 1
            self.stdout.write(f"{model._meta.label}: {done} rows re-encrypted")


def _read_raw(model: Any, columns: list[str]) -> list[tuple[Any, ...]]:
    """The stored ciphertext, read with SQL: the ORM would decrypt it (the
    fields' from_db_value), and rotation must see the tokens themselves."""
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_col = quote(model._meta.pk.column)
    cols = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk_col}, {cols} FROM {table} ORDER BY {pk_col}")  # noqa: S608
        return [tuple(row) for row in cursor.fetchall()]


def _write_raw(model: Any, pk: Any, values: dict[str, str]) -> None:
    from django.db import connection

    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(n)} = %s" for n in values)
    pk_col = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {sets} WHERE {pk_col} = %s", [*values.values(), pk])  # noqa: S608
