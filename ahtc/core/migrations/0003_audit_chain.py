"""Hash chain over the audit log, step 1: the two columns (filled by 0004).

On SQLite the new columns rebuild the table, dropping 0002's triggers; 0004
and 0005 put them back, and going back the first step here does.
"""

from __future__ import annotations

import importlib

from django.db import migrations, models


def _append_only_again(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL keeps its triggers through ALTER TABLE
    append_only = importlib.import_module("ahtc.core.migrations.0002_audit_append_only")
    for sql in append_only.DROP["sqlite"] + append_only.SQLITE:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, _append_only_again),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="previous row's hash"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="row hash"
            ),
            preserve_default=False,
        ),
    ]
