"""Bringing an export file in: a batch per file, run now (the command, the
demo) or as a background job with progress (the page).

The page's upload is stored encrypted (jobs/files.py) until the job has read
it, then deleted. The job checks again, when it runs, that the requester may
still import this instrument's rows in that district.
"""

from __future__ import annotations

from functools import partial
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskContext, task

from ahtc.accounts.models import User
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.jobs.files import export_delete, export_read, export_store
from ahtc.jobs.models import Job, JobKind
from ahtc.jobs.running import JobRefusedError, report_progress, run_job
from ahtc.jobs.services import job_enqueue
from ahtc.surveys.ingest import ExportError, batch_run, source_for
from ahtc.surveys.models import ImportBatch, Instrument
from ahtc.surveys.selectors import row_districts
from ahtc.surveys.services import SurveyError

MAX_EXPORT_BYTES = 50 * 1024 * 1024
# A kind of job of its own; jobs.JobKind gains the label when the lead adds
# it (the job page shows the raw kind until then).
SURVEY_IMPORT = JobKind.SURVEY_IMPORT
REFUSED = gettext_lazy("Your permission to import this survey was withdrawn before the import.")
UNREADABLE = gettext_lazy("The file could not be read as that kind of export.")


def _batch_create(
    *, instrument: Instrument, district: Area, file_name: str, size: int, by: User | None
) -> ImportBatch:
    if size > MAX_EXPORT_BYTES:
        raise SurveyError(_("The file is larger than 50 MB; split the export."))
    try:
        source = source_for(file_name)
    except ExportError as exc:
        raise SurveyError(
            _("Upload a Kobo export (.xlsx, .json, .csv) or an ODK Central .zip.")
        ) from exc
    return ImportBatch.objects.create(
        instrument=instrument,
        district=district,
        source=source,
        file_name=PurePath(file_name).name[:200],
        imported_by=by,
    )


def _audit(batch: ImportBatch, by: User | None) -> None:
    audit_record(
        actor=by,
        action=AuditAction.IMPORT,
        target=batch,
        area_code=batch.district.code,
        reason=(
            f"survey export {batch.source}: {batch.imported} imported, "
            f"{batch.duplicates} duplicates, {batch.rejected} rejected"
        ),
    )


def _run(batch: ImportBatch, content: bytes, by: User | None, progress: Any) -> ImportBatch:
    try:
        batch_run(batch=batch, content=content, progress=progress)
    except ExportError as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(finished=True, error=str(exc)[:300])
        batch.refresh_from_db()
    _audit(batch, by)
    return batch


def batch_import_now(
    *,
    instrument: Instrument,
    district: Area,
    file_name: str,
    content: bytes,
    by: User | None = None,
) -> ImportBatch:
    """Import in this process (the command line, the demo, tests)."""
    batch = _batch_create(
        instrument=instrument, district=district, file_name=file_name, size=len(content), by=by
    )
    return _run(batch, content, by, lambda fraction, message: None)


@transaction.atomic
def batch_import_start(
    *, instrument: Instrument, district: Area, file_name: str, content: bytes, by: User
) -> ImportBatch:
    """Queue the import as a job; the page follows the job's progress."""
    batch = _batch_create(
        instrument=instrument, district=district, file_name=file_name, size=len(content), by=by
    )
    stored = export_store(content)
    job = job_enqueue(
        task=survey_import_job,
        kind=SURVEY_IMPORT,
        requested_by=by,
        kwargs={"batch_id": batch.pk, "stored": stored},
    )
    ImportBatch.objects.filter(pk=batch.pk).update(job_id=job.pk)
    batch.job_id = job.pk
    return batch


def _job_body(job: Job, *, batch_id: int, stored: str) -> int:
    try:
        batch = ImportBatch.objects.select_related("instrument", "district").get(pk=batch_id)
        user = (
            User.objects.filter(pk=job.requested_by_id, is_active=True).first()
            if job.requested_by_id is not None
            else None
        )
        allowed = (
            user is not None
            and row_districts(user, batch.instrument).filter(pk=batch.district_id).exists()
        )
        if not allowed:
            ImportBatch.objects.filter(pk=batch.pk).update(finished=True, error=str(REFUSED))
            raise JobRefusedError(REFUSED)
        batch = _run(batch, export_read(stored), user, report_progress)
        if batch.error:
            raise JobRefusedError(UNREADABLE)
        return batch.imported
    finally:
        export_delete(stored)


@task(takes_context=True)
def survey_import_job(context: TaskContext, *, batch_id: int, stored: str) -> int:
    return run_job(context, partial(_job_body, batch_id=batch_id, stored=stored))
