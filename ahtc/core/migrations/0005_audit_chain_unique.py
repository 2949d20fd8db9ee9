"""Hash chain over the audit log, step 3: one successor per row, unique hashes.

On SQLite, adding a column or a constraint rebuilds the table, and the rebuild
drops its triggers: the append-only triggers of 0002 are put back last (and
first, going back).
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
    dependencies = [("core", "0004_audit_chain_backfill")]

    operations = [
        # Going back, the same rebuild happens after this step's reverse.
        migrations.RunPython(migrations.RunPython.noop, _append_only_again),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("prev_hash",), name="core_audit_unique_prev_hash"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("row_hash",), name="core_audit_unique_row_hash"
            ),
        ),
        migrations.RunPython(_append_only_again, migrations.RunPython.noop),
    ]
