"""Evidence files and their chain of custody."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ahtc.cases.models import Case, CustodyEntry, Evidence
from ahtc.cases.services._common import CaseError, _audit, _next_number
from ahtc.core.models import AuditAction
from ahtc.core.scan import ScanStatus
from ahtc.core.storage import file_store
from ahtc.core.uploads import SealedUpload
from ahtc.portal.files import (
    EDGE_BYTES,
    FileRejectedError,
    check_evidence_edges,
    scan_received,
    scan_stored,
)


@dataclass(frozen=True)
class EvidenceFile:
    """A checked evidence file, stored (sealed) under `stored_name`."""

    stored_name: str
    kind: str
    size: int
    sha256: str
    scan: ScanStatus


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    by: Any,
    kind: str,
    description: str,
    holder: str,
    data: bytes | None = None,
    upload: SealedUpload | None = None,
) -> Evidence:
    """Files pass the checks citizens' files pass (type by content, no
    polyglot, no virus: portal/files.py) but are stored encrypted and never
    re-encoded: the SHA-256 is of the bytes as received, so the chain of
    custody can prove they did not change. `upload` is a file sealed to
    storage as it arrived (any size up to AHTC_MAX_EVIDENCE_BYTES, video
    included), `data` one held in memory (small files: demo, imports)."""
    if not description.strip():
        raise CaseError(_("Describe the item."))
    stored = _evidence_upload(upload) if upload else _evidence_bytes(data) if data else None
    evidence = Evidence.objects.create(
        case=case,
        number=_next_number(case.evidence),
        kind=kind,
        description=description,
        stored_name=stored.stored_name if stored else "",
        content_type=stored.kind if stored else "",
        size=stored.size if stored else None,
        sha256=stored.sha256 if stored else "",
        original_sha256=stored.sha256 if stored else "",
        scan_status=stored.scan if stored else ScanStatus.NOT_SCANNED,
        added_by=by,
    )
    if upload:
        upload.claim()
    CustodyEntry.objects.create(evidence=evidence, action="collected", holder=holder, by=by)
    _audit(by, case, "evidence added", AuditAction.CREATE)
    return evidence


def _evidence_upload(upload: SealedUpload) -> EvidenceFile:
    """Checked by its first and last bytes; scanned by streaming it back from
    storage (after arrival: see docs/storage.md). A refused file is never
    claimed, so it is deleted at the end of the request (core/uploads.py)."""
    if upload.sealed is None:
        raise CaseError(_evidence_too_large(), refusal="evidence file refused: too large")
    with _refused_as_case_error():
        kind = check_evidence_edges(upload.head, upload.tail)
        scan = scan_stored(upload.sealed.name)
    sealed = upload.sealed
    return EvidenceFile(sealed.name, kind, sealed.size, sealed.sha256, scan)


def _evidence_bytes(data: bytes) -> EvidenceFile:
    if len(data) > settings.AHTC_MAX_EVIDENCE_BYTES:
        raise CaseError(_evidence_too_large(), refusal="evidence file refused: too large")
    with _refused_as_case_error():
        kind = check_evidence_edges(data, data[-EDGE_BYTES:])
        scan = scan_received(data)
    stored = file_store().save_bytes(data)
    return EvidenceFile(stored.name, kind, stored.size, stored.sha256, scan)


def _evidence_too_large() -> str:
    limit = filesizeformat(settings.AHTC_MAX_EVIDENCE_BYTES)
    return _("Evidence files can be up to %(limit)s; this one is larger.") % {"limit": limit}


@contextmanager
def _refused_as_case_error() -> Iterator[None]:
    try:
        yield
    except FileRejectedError as exc:
        # Audited by the view as a refused attempt: an officer sent a bad file.
        refusal = f"evidence file refused: {exc.reason or 'file checks'}"
        raise CaseError(str(exc), refusal=refusal) from exc


@transaction.atomic
def custody_add(
    *, evidence: Evidence, by: Any, action: str, holder: str, note: str = ""
) -> CustodyEntry:
    if not holder.strip():
        raise CaseError(_("Say who holds the item now."))
    entry = CustodyEntry.objects.create(
        evidence=evidence, action=action, holder=holder.strip(), note=note.strip(), by=by
    )
    _audit(by, evidence.case, f"custody {action}")
    return entry
