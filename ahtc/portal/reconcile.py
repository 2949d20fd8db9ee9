"""Files and rows that should go together: find those that do not.

Every stored file (core/storage.py: MEDIA_ROOT/reports, or the object store)
is named by exactly one row:
a reporter's attachment, a piece of evidence, a victim's photograph or an
inspection's photograph. Two
things can go wrong, and this finds both:

- a row whose file is missing (storage lost it, or a report was stored before
  submissions became all-or-nothing): listed, so the cell can ask the reporter
  (a retry from the reporter's phone completes the report) or restore a backup;
- a file that no row names (a submission that failed after its files were
  written, a crash): listed, and deleted on request once it is older than a
  grace period, so that a submission in progress is never touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

from ahtc.core.storage import file_store

# (app label, model, field holding the stored file's name). Looked up through
# the app registry: the portal does not import the apps that build on it.
FILE_FIELDS = [
    ("portal", "TipAttachment", "stored_name"),
    ("cases", "Evidence", "stored_name"),
    ("victims", "ProtectionRecord", "photo_name"),
    ("agencies", "InspectionPhoto", "stored_name"),
]


@dataclass(frozen=True)
class MissingFile:
    kind: str
    pk: int
    stored_name: str


@dataclass(frozen=True)
class Reconciliation:
    missing: list[MissingFile]
    orphans: list[str]
    deleted: list[str]


def _named() -> dict[str, tuple[str, int]]:
    named: dict[str, tuple[str, int]] = {}
    for label, model_name, field in FILE_FIELDS:
        model = apps.get_model(label, model_name)
        rows = model.objects.exclude(**{field: ""}).values_list(field, "pk")
        for name, pk in rows.iterator(chunk_size=2000):
            named[name] = (f"{label}.{model_name.lower()}", pk)
    return named


def files_reconcile(
    *, delete_orphans: bool = False, grace: dt.timedelta = dt.timedelta(hours=1)
) -> Reconciliation:
    named = _named()
    store = file_store()
    stored = {entry.name: entry.modified for entry in store.entries()}
    missing = [
        MissingFile(kind, pk, name)
        for name, (kind, pk) in sorted(named.items())
        if name not in stored
    ]
    cutoff = timezone.now() - grace
    orphans = sorted(name for name in stored if name not in named)
    deleted = []
    if delete_orphans:
        for name in orphans:
            if stored[name] < cutoff:
                store.delete(name)
                deleted.append(name)
    return Reconciliation(missing=missing, orphans=orphans, deleted=deleted)
