"""Evidence: upload, chain of custody and the streamed download."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ahtc.accounts.decorators import refused, staff_view
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.models import Case, Evidence
from ahtc.cases.selectors import CaseAccess
from ahtc.cases.views._common import CASE_WORK, _action, _in_case, _load, _post
from ahtc.core.uploads import SealedUpload, accepts_files, evidence_limits


@never_cache
@accepts_files(evidence_limits)
@staff_view(CASE_WORK)
def evidence_add(request: HttpRequest, reference: str) -> HttpResponse:
    """The file is sealed to storage while it arrives (core/uploads.py); it is
    deleted after the request unless the service claims it for a row."""

    def handle(case: Case, d: dict[str, Any], a: CaseAccess, r: HttpRequest) -> Any:
        upload = d.get("file")
        sealed = upload if isinstance(upload, SealedUpload) else None
        return s.evidence_add(
            case=case,
            by=r.user,
            kind=d["kind"],
            description=d["description"],
            holder=d["holder"],
            upload=sealed,
            data=bytes(upload.read()) if upload and not sealed else None,
        )

    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.EvidenceForm(*_post(r)),
        handle=handle,
        title=_("Add evidence"),
        anchor="evidence",
        done=_("Evidence added; custody starts with you."),
        extra={"multipart": True},
    )


@staff_view(CASE_WORK)
def custody_add(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    evidence = _in_case(request, Evidence, pk, case=case)
    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.CustodyForm(_post(r)[0]),
        handle=lambda case, d, a, r: s.custody_add(evidence=evidence, by=r.user, **d),
        title=_("Record a custody step"),
        anchor="evidence",
        done=_("Custody recorded."),
    )


# staff_view is typed for HttpResponse; a streamed download is not one.
@staff_view(CASE_WORK)  # type: ignore[arg-type]
def evidence_download(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    """Scanned again before delivery: an infected file is held (portal/files.py).
    Streamed: a 2 GB video is never held in memory."""
    from ahtc.portal.files import deliver_stream

    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    evidence = _in_case(request, Evidence, pk, case=case)
    if not evidence.stored_name:
        raise Http404
    return deliver_stream(
        request,
        target=evidence,
        stored_name=evidence.stored_name,
        kind=evidence.content_type,
        name=f"{case.reference}-E{evidence.number}",
        size=evidence.size,
        area_code=case.district.code,
        reason="evidence file downloaded",
    )
