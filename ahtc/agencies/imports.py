"""Bulk import of agencies from CSV or XLSX, as a background job, with a
report of each rejected row and why; and the registry's CSV export.

The page stores the file with an `AgencyImport` row and queues a django-tasks
task (run by `ahtc worker`, docs/jobs.md); the task reads the rows, registers
each agency through the same services as the pages (each row on its own:
a bad row never stops the others), records its progress on the row for the
page to show, and finally links case parties that name the new agencies
(links.broker_parties_link). Reasons are stored in English and shown
translated. The file is deleted from the row when the import ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Iterator
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as noop
from django_tasks import TaskContext, task

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_may_authenticate, user_scope
from ahtc.agencies import services as s
from ahtc.agencies.links import broker_parties_link
from ahtc.agencies.models import (
    Agency,
    AgencyImport,
    AgencyKind,
    AgencyStatus,
    Authority,
    ImportStatus,
)
from ahtc.agencies.names import name_key
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel
from ahtc.jobs.files import ExportFile
from ahtc.jobs.models import Job, JobKind
from ahtc.jobs.running import JobRefusedError, report_progress, run_job
from ahtc.jobs.services import job_enqueue, job_file_save

logger = logging.getLogger(__name__)
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
PROGRESS_EVERY = 25
WITHDRAWN = noop("Your permission was withdrawn.")
UNREADABLE = noop("The file could not be read.")
COLUMNS = (
    "name_en",
    "name_ur",
    "kind",
    "status",
    "status_since",
    "tehsil",
    "address",
    "phones",
    "licence_number",
    "licence_authority",
    "licence_holder",
    "licence_valid_from",
    "licence_valid_to",
)


class RowError(ValueError):
    """Why one row was rejected: an English message (marked for translation)
    and its values, stored apart so the page shows it in the reader's language."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message, self.params = message, params


class FileError(RowError):
    """Why the whole file could not be read."""


# --- reading ----------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _header(raw: list[Any]) -> list[str]:
    header = [_cell(h).lower().replace(" ", "_") for h in raw]
    if "name_en" not in header:
        raise FileError(noop("The first row must name the columns; name_en is missing."))
    return header


def read_rows(file_name: str, content: bytes) -> list[dict[str, str]]:
    """The file's rows as dicts of text, at most MAX_ROWS."""
    if file_name.lower().endswith(".xlsx"):
        rows = _xlsx_rows(content)
    elif file_name.lower().endswith(".csv"):
        rows = _csv_rows(content)
    else:
        raise FileError(noop("Only CSV and XLSX files can be imported."))
    header = _header(next(rows, []))
    out = []
    for values in rows:
        if not any(_cell(v) for v in values):
            continue
        out.append({h: _cell(v) for h, v in zip(header, values, strict=False) if h})
        if len(out) > MAX_ROWS:
            raise FileError(noop("The file has more than %(n)d rows; split it."), n=MAX_ROWS)
    return out


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(noop("The CSV file is not UTF-8 text.")) from exc
    yield from csv.reader(io.StringIO(text))


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise FileError(noop("The XLSX file could not be read.")) from exc
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield list(row)
    book.close()


# --- checking one row ---------------------------------------------------------------------


def _date(row: dict[str, str], column: str, *, required: bool) -> dt.date | None:
    text = row.get(column, "")
    if not text:
        if required:
            raise RowError(noop("%(column)s is empty."), column=column)
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise RowError(noop("%(column)s is not a date (YYYY-MM-DD)."), column=column) from exc


def _choice(text: str, choices: Any, column: str, default: str = "") -> str:
    text = text.strip().lower()
    if not text and default:
        return default
    for value, label in choices:
        if text in (str(value).lower(), str(label).lower()):
            return str(value)
    raise RowError(
        noop("%(column)s “%(text)s” is not one of: %(values)s."),
        column=column,
        text=text[:50],
        values=", ".join(str(v) for v, _l in choices),
    )


def _tehsil(district: Area, text: str) -> Area | None:
    if not text:
        return None
    rows = Area.objects.filter(parent=district, level=AreaLevel.TEHSIL)
    found = rows.filter(code__iexact=text).first() or rows.filter(name_en__iexact=text).first()
    found = found or rows.filter(name_ur=text).first()
    if found is None:
        raise RowError(
            noop("tehsil “%(text)s” is not a tehsil of %(district)s."),
            text=text[:50],
            district=district.name_en,
        )
    return found


def _agency_values(district: Area, row: dict[str, str]) -> dict[str, Any]:
    if not row.get("name_en"):
        raise RowError(noop("name_en is empty."))
    status = _choice(row.get("status", ""), AgencyStatus.choices, "status")
    if status not in (AgencyStatus.LICENSED, AgencyStatus.UNREGISTERED):
        raise RowError(noop("status must be licensed or unregistered."))
    default_kind = AgencyKind.UNREGISTERED if status == AgencyStatus.UNREGISTERED else ""
    return {
        "district": district,
        "name_en": row["name_en"],
        "name_ur": row.get("name_ur", ""),
        "kind": _choice(row.get("kind", ""), AgencyKind.choices, "kind", default_kind),
        "status": status,
        "status_since": _date(row, "status_since", required=False) or timezone.localdate(),
        "tehsil": _tehsil(district, row.get("tehsil", "")),
        "address": row.get("address", "")[:300],
        "phones": [p for p in row.get("phones", "").replace(",", ";").split(";") if p.strip()],
    }


def _licence_values(row: dict[str, str], status: str) -> dict[str, Any] | None:
    if not row.get("licence_number"):
        if status == AgencyStatus.LICENSED:
            raise RowError(noop("licence_number is empty for a licensed agency."))
        return None
    return {
        "number": row["licence_number"],
        "authority": _choice(
            row.get("licence_authority", ""), Authority.choices, "licence_authority"
        ),
        "holder_name": row.get("licence_holder", "")[:200],
        "valid_from": _date(row, "licence_valid_from", required=True),
        "valid_to": _date(row, "licence_valid_to", required=True),
    }


@transaction.atomic
def import_row(*, district: Area, row: dict[str, str], by: User) -> Agency:
    """Register one row's agency and licence, or raise RowError/AgencyError (nothing written)."""
    values = _agency_values(district, row)
    licence = _licence_values(row, values["status"])
    if licence and values["status"] == AgencyStatus.LICENSED:
        # Licensed from the start of the licence, if that is earlier.
        values["status_since"] = min(values["status_since"], licence["valid_from"])
    agency = s.agency_create(by=by, **values)
    if licence:
        s.licence_add(agency=agency, by=by, **licence)
    return agency


# --- the job ------------------------------------------------------------------------------


def import_start(
    *, district: Area, by: User, file_name: str, content: bytes, queue: bool = True
) -> AgencyImport:
    """Store the file and queue its import as a job of the requester's (listed
    in /cell/jobs/ with its progress); the worker does the rest. Without
    `queue`, the caller runs it (the command: `import_run`)."""
    with transaction.atomic():
        job = AgencyImport.objects.create(
            district=district, requested_by=by, file_name=file_name[:200], content=content
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            target=job,
            area_code=district.code,
            reason="agency import queued",
        )
        if not queue:
            return job
        queued = job_enqueue(
            task=agency_import_job,
            kind=JobKind.AGENCY_IMPORT,
            requested_by=by,
            kwargs={"import_id": job.pk},
        )
        _update(job, job_id=queued.pk)
        job.job_id = queued.pk
    return job


def _job_body(job: Job, *, import_id: int) -> int:
    created = import_run(import_id)
    done = AgencyImport.objects.get(pk=import_id)
    if done.status == ImportStatus.FAILED:
        raise JobRefusedError(done.error or UNREADABLE)
    if done.rejections:
        job_file_save(job, rejection_report(done))
    return created


@task(takes_context=True)
def agency_import_job(context: TaskContext, *, import_id: int) -> int:
    return run_job(context, partial(_job_body, import_id=import_id))


def _update(job: AgencyImport, **values: Any) -> None:
    AgencyImport.objects.filter(pk=job.pk).update(**values)


def import_run(import_id: int) -> int:
    """Read the file and register its agencies; returns how many were created."""
    job = AgencyImport.objects.select_related("district", "requested_by").get(pk=import_id)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return job.created  # a job run twice (requeued after a crash) reads nothing again
    user = job.requested_by
    if not user.is_active or not user_scope(user).permits(Perm.MANAGE_CASES, job.district):
        _update(job, status=ImportStatus.FAILED, error=WITHDRAWN, content=b"")
        return 0
    _update(job, status=ImportStatus.RUNNING)
    report_progress(0.0, noop("Reading the file"))
    with translation.override("en"):
        try:
            rows = read_rows(job.file_name, bytes(job.content))
        except FileError as exc:
            _update(job, status=ImportStatus.FAILED, error=str(exc)[:300], content=b"")
            return 0
        created, rejections = _run_rows(job, rows, user)
    report_progress(0.95, noop("Linking case parties to the new agencies"))
    linked = broker_parties_link(district=job.district, by=user)
    _update(
        job,
        status=ImportStatus.DONE,
        rows_done=len(rows),
        created=created,
        rejections=rejections,
        content=b"",
    )
    audit_record(
        actor=user,
        action=AuditAction.IMPORT,
        target=job,
        area_code=job.district.code,
        reason=f"agency import: {created} created, {len(rejections)} rejected, {linked} linked",
    )
    return created


def _run_rows(job: AgencyImport, rows: list[dict[str, str]], user: User) -> tuple[int, list[Any]]:
    _update(job, rows_total=len(rows))
    created, rejections = 0, []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # row 1 names the columns
        key = name_key(row.get("name_en", ""))
        try:
            if key and key in seen:
                raise RowError(noop("The same name appears earlier in the file."))
            seen.add(key)
            import_row(district=job.district, row=row, by=user)
            created += 1
        except RowError as exc:
            rejections.append(_rejection(number, row, exc.message, exc.params))
        except s.AgencyError as exc:
            rejections.append(_rejection(number, row, exc.message, {}))
        if number % PROGRESS_EVERY == 0:
            _update(job, rows_done=number - 1)
            report_progress(0.9 * (number - 1) / len(rows), noop("Registering the agencies"))
    return created, rejections


def _rejection(number: int, row: dict[str, str], reason: str, params: Any) -> dict[str, Any]:
    name = row.get("name_en", "")[:200]
    return {"row": number, "name": name, "reason": reason, "params": params}


def rejection_text(rejection: dict[str, Any]) -> str:
    """A rejection's reason in the active language."""
    reason, params = gettext(rejection["reason"]), rejection.get("params")
    return reason % params if params else reason


def rejection_report(job: AgencyImport) -> ExportFile:
    """The rejected rows as CSV (row, name, why in English and in Urdu), for
    the job's download. Names of agencies only: the file holds no person."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "name_en", "reason", "reason_ur"])
    for r in job.rejections:
        with translation.override("en"):
            english = rejection_text(r)
        with translation.override("ur"):
            urdu = rejection_text(r)
        writer.writerow([r["row"], r["name"], english, urdu])
    return ExportFile(
        content=out.getvalue().encode("utf-8-sig"),
        filename=f"agency-import-{job.pk}-rejected-rows.csv",
        content_type="text/csv; charset=utf-8",
        object_type="agencies.agencyimport",
        reason=f"agency import {job.pk}: report of {len(job.rejections)} rejected rows",
    )


def report_refusal(job: Job, user: Any) -> str:
    """Checked again when the report is downloaded ("" when it may be had)."""
    from ahtc.agencies.selectors import writes_agencies

    if not user_may_authenticate(user):
        return "user disabled"
    if not writes_agencies(user):
        return "may no longer import agencies"
    return ""


# --- export -------------------------------------------------------------------------------


def export_rows(agencies: Any) -> Iterator[list[str]]:
    """The registry as the import reads it (one row per licence; an agency
    without licence has one row), so an export can be imported elsewhere."""
    yield list(COLUMNS)
    rows = agencies.select_related("district", "tehsil").prefetch_related("licences", "phones")
    for agency in rows.order_by("name_en", "pk"):
        base = [
            agency.name_en,
            agency.name_ur,
            agency.kind,
            agency.status,
            agency.status_since.isoformat(),
            agency.tehsil.name_en if agency.tehsil else "",
            agency.address,
            "; ".join(p.number for p in agency.phones.all()),
        ]
        licences = list(agency.licences.all()) or [None]
        for lic in licences:
            yield base + (
                [
                    lic.number,
                    lic.authority,
                    lic.holder_name,
                    lic.valid_from.isoformat(),
                    lic.valid_to.isoformat(),
                ]
                if lic
                else ["", "", "", "", ""]
            )
