"""Findings of an inspection with photographs (docs/agencies.md, "Enforcement").

A photo goes through the pipeline of every stored file (portal/files.py): at
most 8 MB held in memory, its type decided by its first bytes, refused when
it is also a web page or a program, scanned for viruses, re-encoded as JPEG
(which drops EXIF: the GPS position and the phone's model), and sealed in
storage under a random name (core/storage.py). Downloads are scanned again
and audited (`portal.files.deliver`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.models import Inspection, InspectionPhoto
from ahtc.agencies.services import AgencyError, audit
from ahtc.core.models import AuditAction
from ahtc.core.uploads import IncompleteUploadError

MAX_PHOTOS = 20  # per inspection: a visit, not an album


def _refusal(why: str) -> str:
    return f"inspection photo refused: {why}"


def _cleaned(upload: Any) -> Any:
    from ahtc.portal.files import FileRejectedError, clean_upload

    if getattr(upload, "complete", True) is False:
        raise AgencyError(_("Each file must be smaller than 8 MB."), refusal=_refusal("too large"))
    try:
        clean = clean_upload(upload)
    except (FileRejectedError, IncompleteUploadError) as exc:
        why = getattr(exc, "reason", "") or "file refused"
        raise AgencyError(str(exc), refusal=_refusal(why)) from exc
    if clean.kind != "jpeg":  # every accepted picture is re-encoded to JPEG
        raise AgencyError(
            _("Only a photograph (JPEG, PNG or WebP) can be kept with a finding."),
            refusal=_refusal("not a photograph"),
        )
    return clean


@transaction.atomic
def inspection_photo_add(
    *, inspection: Inspection, by: User, finding: str, upload: Any
) -> InspectionPhoto:
    """Keep one finding with its photograph; nothing is stored when refused."""
    from ahtc.portal.files import store_encrypted

    finding = finding.strip()
    if not finding:
        raise AgencyError(_("Say what the photograph shows."))
    if inspection.photos.count() >= MAX_PHOTOS:
        raise AgencyError(_("An inspection keeps at most 20 photographs."))
    clean = _cleaned(upload)
    stored_name, _digest = store_encrypted(clean)
    photo = InspectionPhoto.objects.create(
        inspection=inspection,
        finding=finding[:300],
        stored_name=stored_name,
        original_sha256=clean.original_sha256,
        scan_status=clean.scan,
        added_by=by,
    )
    audit(by, inspection.agency, f"inspection photo {photo.pk} stored", AuditAction.CREATE)
    return photo
