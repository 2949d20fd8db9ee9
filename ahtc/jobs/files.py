"""Result files of jobs (exports): encrypted with the field keys by the storage
layer (core/storage.py) under a random name in the "exports" folder of the
configured storage (MEDIA_ROOT/exports, or the object store), deleted after
JOBS_FILE_HOURS by the scheduled cleanup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ahtc.core.storage import FileStore, file_store

# How a task reports progress: fraction done (0..1) and a short message
# (jobs.running.report_progress).
Progress = Callable[[float, Any], None]


@dataclass(frozen=True)
class ExportFile:
    """An export as a job produces it: the bytes, what the download is called,
    and the audit row (kind of record, reason) that its download writes."""

    content: bytes
    filename: str
    content_type: str
    object_type: str
    reason: str


EXPORTS_FOLDER = "exports"


def exports_store() -> FileStore:
    """Job files go through the same encrypted storage as every stored file
    (disk or S3), in their own folder: any server can hand out a file any
    worker made, and backups and reconciliation leave them out."""
    return file_store(EXPORTS_FOLDER)


def export_store(content: bytes) -> str:
    return exports_store().save_bytes(content).name


def export_read(name: str) -> bytes:
    return exports_store().read_bytes(name)


def export_delete(name: str) -> None:
    if name:
        exports_store().delete(name)


def exports_delete_older(*, hours: int, now: dt.datetime | None = None) -> int:
    """Delete stored files older than `hours`, whether or not a job still names
    them (a crash between writing a file and recording it leaves one behind)."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=hours)
    store = exports_store()
    deleted = 0
    for entry in list(store.entries()):
        if entry.modified < cutoff:
            store.delete(entry.name)
            deleted += 1
    return deleted
