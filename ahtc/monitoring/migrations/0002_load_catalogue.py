"""Load the indicator catalogue (indicators.CATALOGUE); `ahtc indicators sync`
brings it up to date after later changes."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from ahtc.monitoring.services import indicators_sync

    indicators_sync(model=apps.get_model("monitoring", "Indicator"))


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_catalogue")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
