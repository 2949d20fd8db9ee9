"""Bring the stored catalogue up to date: the labour module's kilns inspected
and EOBI registrations, and the agencies module's inspections and notices, are
now computed (indicators.CATALOGUE)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def sync(apps: Any, schema_editor: Any) -> None:
    from ahtc.monitoring.services import indicators_sync

    indicators_sync(model=apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_committees"),
        ("labour", "0003_reference_rates"),
        ("agencies", "0002_link_broker_parties"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
