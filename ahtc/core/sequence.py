"""Gap-free numbers per scope (e.g. per district and year), safe under concurrency.

The counter row is locked for the rest of the transaction (SELECT ... FOR
UPDATE on PostgreSQL; SQLite serialises writers anyway), so two officers
saving at the same moment get consecutive numbers, never the same one.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction


def next_in_sequence(counter_model: type[models.Model], **key: Any) -> int:
    """Increment and return `last` of the counter row for `key`; must run in a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_in_sequence must run inside a transaction")
    counter, _created = counter_model._default_manager.select_for_update().get_or_create(**key)
    counter.last += 1  # type: ignore[attr-defined]
    counter.save(update_fields=["last"])
    return int(counter.last)  # type: ignore[attr-defined]
