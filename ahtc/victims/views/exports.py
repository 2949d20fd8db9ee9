"""The victims list as CSV: who may have it, and the file (made by a
background job, ahtc/jobs/exports.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.exports import export_refused, safe_cell
from ahtc.jobs.files import ExportFile, Progress
from ahtc.victims.models import ProtectionRecord


def _export_refusal(user: Any, *, identity: bool, reason: str) -> str:
    """Why this CSV may not be had ("" when it may)."""
    scope = user_scope(user)
    if not scope.has_perm_anywhere(Perm.EXPORT):
        return f"lacks permission {Perm.EXPORT}"
    if identity and not scope.has_perm_anywhere(Perm.EXPORT_IDENTITY):
        return f"lacks permission {Perm.EXPORT_IDENTITY}"
    if identity and not reason:
        return "no reason given for exporting names"
    return ""


def _export_refused(request: HttpRequest, identity: bool, why: str) -> HttpResponse:
    kind = "victim list csv WITH IDENTITIES" if identity else "victim list csv"
    return export_refused(
        request, kind=kind, why=why, object_type=ProtectionRecord._meta.label_lower
    )


def _export_file(
    user: Any,
    rows: QuerySet[ProtectionRecord],
    *,
    identity: bool,
    reason: str = "",
    progress: Progress | None = None,
) -> ExportFile:
    """One row per victim, never a name, phone, address or free text, unless the
    user holds export and view-identity where the record is (then audited as such
    when downloaded; identity-withheld records stay withheld). Made by a
    background job (ahtc/jobs/exports.py)."""
    scope = user_scope(user)
    # Addresses are never exported: not even decrypted (province scale, issue 19).
    rows = rows.select_related("district").defer("address")
    if identity:
        rows = (
            rows.filter(scope.q(Perm.EXPORT, "district__path"))
            .filter(scope.q(Perm.VIEW_IDENTITY, "district__path"))
            .select_related("person")
            .prefetch_related("person__identifiers")  # one query, not one per row
        )
    out = io.StringIO()
    writer = csv.writer(out)
    header = [
        "number",
        "district",
        "child",
        "trafficking_status",
        "exploitation",
        "recruitment_method",
        "open_referrals",
        "referral_overdue",
        "follow_up_due",
    ]
    if identity:
        header += ["name", "phone"]
    writer.writerow(header)
    total = rows.count() if progress else 0
    count = 0
    numbers: list[str] = []
    for r in rows:
        count += 1
        numbers.append(r.number)
        if progress and count % 500 == 0:
            progress(0.1 + 0.8 * count / max(total, 1), _("Writing the file"))
        writer.writerow(
            [
                r.number,
                r.district.code,
                int(r.child),
                r.trafficking_status,
                ";".join(r.exploitation),
                r.recruitment_method,
                r.open_referrals,  # type: ignore[attr-defined]
                int(r.referral_overdue),  # type: ignore[attr-defined]
                int(r.follow_up_due),  # type: ignore[attr-defined]
                *(_identity_cells(r) if identity else []),
            ]
        )
    return ExportFile(
        content=out.getvalue().encode("utf-8-sig"),
        filename=f"victims-{timezone.localdate().isoformat()}.csv",
        content_type="text/csv",
        object_type="victims.protectionrecord",
        reason=(
            f"victim list csv WITH IDENTITIES, {count} rows ({reason[:120]}): " + ",".join(numbers)
            if identity
            else f"victim list csv, {count} rows, no identities"
        ),
    )


def _identity_cells(record: ProtectionRecord) -> list[str]:
    if record.identity_withheld:
        return ["(withheld)", ""]
    person = record.person
    names = " / ".join(n for n in (person.name_latin, person.name_urdu) if n)
    phones = ";".join(i.value for i in person.identifiers.all() if i.kind == "phone")
    return [safe_cell(names), safe_cell(phones)]
