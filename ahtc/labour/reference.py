"""The labour reference data (peshgi limit, notified wages, schemes) as loaded by
migration 0003, for whoever needs it present again: the demo, after a test
database was flushed (browser tests), restores it the same way."""

from __future__ import annotations

import importlib

from ahtc.labour.models import AdvanceLimit, Scheme, WageRate


def reference_data_ensure() -> None:
    """Create the rows of migration 0003 that are missing; never changes existing ones."""
    data = importlib.import_module("ahtc.labour.migrations.0003_reference_rates")
    for row in data.LIMITS:
        AdvanceLimit.objects.get_or_create(valid_from=row["valid_from"], defaults=row)
    for row in data.RATES:
        WageRate.objects.get_or_create(
            basis=row["basis"], valid_from=row["valid_from"], defaults=row
        )
    for code, name_en, name_ur in data.SCHEMES:
        Scheme.objects.get_or_create(code=code, defaults={"name_en": name_en, "name_ur": name_ur})
