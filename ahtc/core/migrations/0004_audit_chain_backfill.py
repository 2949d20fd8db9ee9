"""Hash chain over the audit log, step 2: chain the rows written before it.

The append-only triggers (0002) refuse the UPDATE this needs, so they are
lifted for the length of this migration only; the migration runs as the role
that owns the table (docs/operations.md), which the application's role is not.
Going back leaves the hashes in place: 0003's reverse drops the columns.
"""

from __future__ import annotations

import importlib

from django.db import migrations

BATCH = 2000


def _triggers(schema_editor, on):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        verb = "ENABLE" if on else "DISABLE"
        for name in ("core_auditevent_no_change", "core_auditevent_no_truncate"):
            schema_editor.execute(f"ALTER TABLE core_auditevent {verb} TRIGGER {name}")
    elif vendor == "sqlite":
        append_only = importlib.import_module("ahtc.core.migrations.0002_audit_append_only")
        for sql in append_only.SQLITE if on else append_only.DROP["sqlite"]:
            schema_editor.execute(sql)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from ahtc.core.models import GENESIS_HASH, audit_canonical, audit_row_hash

    AuditEvent = apps.get_model("core", "AuditEvent")
    fields = ["at", "actor_id", "actor_label", "action", "outcome"]
    fields += ["object_type", "object_id", "area_code", "reason"]
    prev, last_id = GENESIS_HASH, 0
    _triggers(schema_editor, on=False)
    with schema_editor.connection.cursor() as cursor:
        while True:
            rows = list(
                AuditEvent.objects.filter(id__gt=last_id)
                .order_by("id")
                .values("id", *fields)[:BATCH]
            )
            for row in rows:
                last_id = row.pop("id")
                row_hash = audit_row_hash(prev, audit_canonical(**row))
                cursor.execute(
                    "UPDATE core_auditevent SET prev_hash = %s, row_hash = %s WHERE id = %s",
                    [prev, row_hash, last_id],
                )
                prev = row_hash
            if len(rows) < BATCH:
                break
    _triggers(schema_editor, on=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
