"""Bring the stored catalogue up to date: the labour module's wage-compliant
kilns, advances above the limit and children still attending after six months
are now computed (indicators.CATALOGUE)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def sync(apps: Any, schema_editor: Any) -> None:
    from ahtc.monitoring.services import indicators_sync

    indicators_sync(model=apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0005_monthly_counts")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
