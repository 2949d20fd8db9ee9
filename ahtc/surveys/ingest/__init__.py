"""Imports of survey exports. Each format is a small module with the same
interface, `read(content: bytes) -> Parsed` (records.py); store.py turns
records into submissions the same way for all of them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from django.db import transaction

from ahtc.surveys.ingest import kobo_csv, kobo_json, kobo_xlsx, odk_zip
from ahtc.surveys.ingest.records import ExportError, Parsed
from ahtc.surveys.ingest.store import Outcome, Progress, submissions_build, submissions_store
from ahtc.surveys.models import ImportBatch, Source

ADAPTERS: dict[str, Callable[[bytes], Parsed]] = {
    Source.KOBO_XLSX: kobo_xlsx.read,
    Source.KOBO_JSON: kobo_json.read,
    Source.KOBO_CSV: kobo_csv.read,
    Source.ODK_ZIP: odk_zip.read,
}
BY_SUFFIX = {
    ".xlsx": Source.KOBO_XLSX,
    ".json": Source.KOBO_JSON,
    ".csv": Source.KOBO_CSV,
    ".zip": Source.ODK_ZIP,
}

__all__ = ["ADAPTERS", "ExportError", "batch_run", "source_for"]


def source_for(filename: str) -> str:
    """The export format from the file's name (.xlsx, .json, .csv, .zip)."""
    source = BY_SUFFIX.get(PurePath(filename).suffix.lower())
    if source is None:
        raise ExportError("upload a Kobo export (.xlsx, .json, .csv) or an ODK Central .zip")
    return source


def _quiet(fraction: float, message: str) -> None:
    return None


def batch_run(*, batch: ImportBatch, content: bytes, progress: Progress = _quiet) -> Outcome:
    """Read the file with its format's adapter, store what passes, and record
    the counts and the per-row report on the batch."""
    progress(0.05, "Reading the file")
    parsed = ADAPTERS[batch.source](content)
    outcome = Outcome(
        report=[r.as_dict() for r in parsed.rejections], rejected=len(parsed.rejections)
    )
    progress(0.15, "Checking the rows")
    built = submissions_build(batch, parsed, outcome)
    submissions_store(batch, built, outcome, progress)
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            finished=True,
            rows=outcome.rows,
            imported=outcome.imported,
            duplicates=outcome.duplicates,
            rejected=outcome.rejected,
            report=outcome.report[:5000],
        )
    batch.refresh_from_db()
    return outcome
