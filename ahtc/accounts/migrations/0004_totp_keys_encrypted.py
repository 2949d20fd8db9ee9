"""Encrypt the TOTP seeds already stored in django-otp's table (issue 9).

From now on the key column holds Fernet ciphertext (accounts/totp.py). On
PostgreSQL the column is widened from varchar(80) to text first; SQLite does
not enforce lengths. The migration state of django-otp is left as it is.
Reversible: decrypts and narrows again.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

from ahtc.core.fields import PREFIX, decrypt_str, encrypt_str

TABLE = "otp_totp_totpdevice"


def _alter_key_column(schema_editor: Any, sql_type: str) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        table, column = connection.ops.quote_name(TABLE), connection.ops.quote_name("key")
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN {column} TYPE {sql_type}")


def column_widen(apps: Any, schema_editor: Any) -> None:
    _alter_key_column(schema_editor, "text")


def column_narrow(apps: Any, schema_editor: Any) -> None:
    _alter_key_column(schema_editor, "varchar(80)")


def _rewrite(schema_editor: Any, change: Any) -> None:
    """Read and write the raw column: the live model would encrypt and decrypt."""
    connection = schema_editor.connection
    table, column = connection.ops.quote_name(TABLE), connection.ops.quote_name("key")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
        for pk, value in rows:
            fresh = change(value or "")
            if fresh is not None:
                cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [fresh, pk])  # noqa: S608


def keys_encrypt(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor, lambda value: None if value.startswith(PREFIX) else encrypt_str(value))


def keys_decrypt(apps: Any, schema_editor: Any) -> None:
    _rewrite(schema_editor, lambda value: decrypt_str(value) if value.startswith(PREFIX) else None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_session_epoch"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(column_widen, column_narrow),
        migrations.RunPython(keys_encrypt, keys_decrypt),
    ]
