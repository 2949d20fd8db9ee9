"""Writes on instruments and submissions: typed, keyword-only, atomic, audited.

An XLSForm is converted by pyxform; pyxform's own messages (with the row
numbers of the sheet) are shown as they are, since they point at the cell
to fix. A file that converts is kept whole (the source, the XForm, our
catalogue); the same file twice is one version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.core.audit import audit_record
from ahtc.core.errors import RuleError
from ahtc.core.models import AuditAction
from ahtc.surveys.models import (
    Instrument,
    InstrumentVersion,
    ReviewStatus,
    Sensitivity,
    Submission,
)
from ahtc.surveys.xform import XFormError, catalogue_from_xform

FORM_TYPES = (".xlsx", ".xls", ".csv", ".md")
MAX_FORM_BYTES = 5 * 1024 * 1024
# pyxform names the root "data" when the form has no settings sheet.
UNNAMED = "data"


class SurveyError(RuleError):
    """A survey rule was broken; `message` is for the user."""


class FormImportError(SurveyError):
    """The XLSForm did not convert; `problems` are pyxform's lines (with rows)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


@dataclass
class FormImport:
    instrument: Instrument
    version: InstrumentVersion
    created: bool
    unchanged: bool
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Converted:
    xform: str
    warnings: list[str]


def xlsform_convert(*, content: bytes, filename: str) -> Converted:
    """XLSForm bytes → XForm XML, with pyxform's warnings; FormImportError
    carrying pyxform's message otherwise."""
    from pyxform.errors import PyXFormError  # type: ignore[import-untyped]
    from pyxform.xls2xform import convert  # type: ignore[import-untyped]

    suffix = PurePath(filename).suffix.lower()
    if suffix not in FORM_TYPES:
        raise FormImportError(_("Upload an XLSForm: a .xlsx, .xls, .csv or .md file."))
    if len(content) > MAX_FORM_BYTES:
        raise FormImportError(_("The file is larger than 5 MB."))
    warnings: list[str] = []
    try:
        result = convert(xlsform=content, warnings=warnings, file_type=suffix)
    except PyXFormError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        raise FormImportError(_("The form has errors; nothing was saved."), lines) from exc
    except Exception as exc:  # xlrd, openpyxl, csv: a file pyxform cannot read
        raise FormImportError(
            _("The file could not be read as an XLSForm (%(kind)s).") % {"kind": suffix}
        ) from exc
    return Converted(xform=str(result.xform), warnings=[str(w) for w in warnings])


def _form_id(catalogue_id: str, filename: str) -> str:
    if catalogue_id and catalogue_id != UNNAMED:
        return catalogue_id[:100]
    return (slugify(PurePath(filename).stem) or "form").replace("-", "_")[:100]


@transaction.atomic
def instrument_import(
    *,
    content: bytes,
    filename: str,
    by: User | None,
    sensitivity: str | None = None,
    builtin: bool = False,
    title_ur: str = "",
    unit: str = "",
) -> FormImport:
    """Import an XLSForm as a new instrument, or as its next version."""
    converted = xlsform_convert(content=content, filename=filename)
    try:
        catalogue = catalogue_from_xform(converted.xform)
    except XFormError as exc:
        raise FormImportError(_("pyxform produced an XForm we cannot read.")) from exc
    form_id = _form_id(catalogue.form_id, filename)
    title = catalogue.title if catalogue.title != UNNAMED else form_id
    instrument, created = Instrument.objects.select_for_update().get_or_create(
        form_id=form_id,
        defaults={
            "title": title[:200],
            "title_ur": title_ur,
            "sensitivity": sensitivity or Sensitivity.ORDINARY,
            "builtin": builtin,
            "unit": unit,
        },
    )
    if sensitivity and not created and instrument.sensitivity != sensitivity:
        instrument.sensitivity = sensitivity
        instrument.save(update_fields=["sensitivity", "updated_at"])
    digest = hashlib.sha256(content).hexdigest()
    latest = instrument.latest_version()
    # The XForm, not the file's bytes: a workbook saved again unchanged
    # (new timestamps inside the zip) is the same form.
    if latest is not None and (latest.source_sha256 == digest or latest.xform == converted.xform):
        return FormImport(instrument, latest, False, True, list(latest.warnings))
    version = InstrumentVersion.objects.create(
        instrument=instrument,
        number=(latest.number + 1) if latest else 1,
        version=catalogue.version[:100],
        source_name=PurePath(filename).name[:200],
        source=content,
        source_sha256=digest,
        xform=converted.xform,
        catalogue=catalogue.fields,
        languages=catalogue.languages,
        warnings=converted.warnings,
        imported_by=by,
    )
    if instrument.title != title[:200] and not instrument.builtin:
        instrument.title = title[:200]
        instrument.save(update_fields=["title", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.IMPORT,
        target=version,
        reason=f"XLSForm {form_id} version {version.number}",
    )
    return FormImport(instrument, version, created, False, converted.warnings)


# --- review -----------------------------------------------------------------------------

MOVES: dict[str, frozenset[str]] = {
    ReviewStatus.RECEIVED: frozenset(
        {ReviewStatus.ON_HOLD, ReviewStatus.APPROVED, ReviewStatus.REJECTED}
    ),
    ReviewStatus.ON_HOLD: frozenset(
        {ReviewStatus.RECEIVED, ReviewStatus.APPROVED, ReviewStatus.REJECTED}
    ),
    ReviewStatus.APPROVED: frozenset(),
    ReviewStatus.REJECTED: frozenset(),
}

# Hooks run when a submission is approved (findings.py registers them).
ApprovalHook = Callable[[Submission, User], list[str]]
APPROVAL_HOOKS: dict[str, list[ApprovalHook]] = {}


def approval_hook_register(form_id: str, hook: ApprovalHook) -> None:
    """Another app asks to hear of approved submissions of `form_id`: the hook
    gets the submission and the reviewer, and returns references it made."""
    APPROVAL_HOOKS.setdefault(form_id, []).append(hook)


@transaction.atomic
def submission_review(
    *, submission: Submission, by: User, status: str, note: str = ""
) -> Submission:
    """received → on hold → approved / rejected; approved and rejected are final.
    A rejection or a hold says why."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if status not in MOVES.get(submission.status, frozenset()):
        raise SurveyError(
            _("A submission that is %(now)s cannot become %(next)s.")
            % {
                "now": ReviewStatus(submission.status).label,
                "next": ReviewStatus(status).label if status in ReviewStatus.values else status,
            }
        )
    if status in {ReviewStatus.REJECTED, ReviewStatus.ON_HOLD} and not note.strip():
        raise SurveyError(_("Say why."))
    submission.status = status
    submission.review_note = note.strip()[:500]
    submission.reviewed_by, submission.reviewed_at = by, timezone.now()
    if status == ReviewStatus.APPROVED:
        for hook in APPROVAL_HOOKS.get(submission.instrument.form_id, []):
            submission.outcomes = [*submission.outcomes, *hook(submission, by)]
    submission.save()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=submission,
        area_code=submission.district.code,
        reason=f"survey review: {status}",
    )
    return submission
