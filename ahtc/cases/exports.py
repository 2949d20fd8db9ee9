"""Exports: the case list (CSV, XLSX) without identities, and the case summary PDF.

Every export is audited with the number of rows, never their content, and
every refused export with its kind and why (`export_refused`). The case list
is made by a background job (ahtc/jobs/exports.py) and audited when its file
is downloaded. The
PDF shows pseudonyms unless the user may see identities, asked for them, and
the case is not marked identity-withheld.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.cases.countries import COUNTRY_NAMES
from ahtc.cases.disclosure import partner_identities_shown
from ahtc.cases.models import (
    PROTECTED_ROLES,
    SUSPECT_ROLES,
    Arrest,
    Case,
    ClassificationDecision,
    Fir,
    Party,
    Verdict,
    VerdictOutcome,
)
from ahtc.cases.selectors import CaseAccess, partner_identified_parties
from ahtc.cases.services import case_route
from ahtc.core.audit import audit_export_refused, audit_record
from ahtc.core.models import AuditAction
from ahtc.jobs.files import ExportFile, Progress

COLUMNS = [
    ("reference", "reference"),
    ("district", "district_code"),
    ("year", "year"),
    ("opened", "opened_on"),
    ("offence date", "offence_date"),
    ("origin", "origin"),
    ("status", "status"),
    ("classification", "classification"),
    ("agency", "agency"),
    # Issue 12: the decision history in brief (codes; the PDF has it in words).
    ("suggested classification", "suggested_classification"),
    ("decisions", "decision_count"),
    ("decisions departing from the suggestion", "departed"),
    ("victims", "victims"),
    ("accused", "accused"),
    ("arrests", "arrests"),
    ("FIRs", "fir_count"),
    ("convictions", "convictions"),
]


def export_refused(
    request: HttpRequest,
    *,
    kind: str,
    why: str,
    target: Any = None,
    object_type: str = "",
    area_code: str = "",
) -> HttpResponse:
    """403 for an export the user may not have, audited as a refused export
    (action export, outcome refused, the kind and why) in the record's
    district, else the user's, where the cell head's audit page shows it."""
    audit_export_refused(
        actor=request.user,
        kind=kind,
        why=why,
        target=target,
        object_type=object_type,
        area_code=area_code,
    )
    return render(request, "cell/forbidden.html", status=403)


def identity_refusal(case: Case, access: CaseAccess) -> str:
    """Why names may not go into an export of this case ("" when they may)."""
    if not access.identity:
        return "lacks case access: identity"
    return "case is identity-withheld" if case.identity_withheld else ""


def _count(rows: QuerySet[Any], case_field: str = "case") -> Coalesce:
    """How many of `rows` belong to the outer case, as a correlated subquery."""
    counted = (
        rows.filter(**{case_field: OuterRef("pk")})
        .order_by()
        .values(case_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def export_rows(cases: QuerySet[Case]) -> list[list[Any]]:
    """One row per case, codes not labels (stable for analysis), no names."""
    # One scalar subquery per count, not a join of parties, arrests, verdicts
    # and FIRs under DISTINCT (that product grows with every case's size).
    rows = (
        cases.order_by()
        .annotate(
            victims=_count(Party.objects.filter(role__in=[str(r) for r in PROTECTED_ROLES])),
            accused=_count(Party.objects.filter(role__in=[str(r) for r in SUSPECT_ROLES])),
            arrests=_count(Arrest.objects.all(), case_field="party__case"),
            fir_count=_count(Fir.objects.all()),
            suggested_classification=Subquery(
                ClassificationDecision.objects.filter(case=OuterRef("pk"))
                .order_by("-decided_at", "-pk")
                .values("suggested_classification")[:1]
            ),
            decision_count=_count(ClassificationDecision.objects.all()),
            departed=_count(ClassificationDecision.objects.exclude(override_reason="")),
            convictions=_count(
                Verdict.objects.filter(outcome=VerdictOutcome.CONVICTED),
                case_field="party__case",
            ),
        )
        .values(
            "reference",
            "district__code",
            "year",
            "created_at",
            "offence_date",
            "origin",
            "status",
            "classification",
            "agency",
            "suggested_classification",
            "decision_count",
            "departed",
            "victims",
            "accused",
            "arrests",
            "fir_count",
            "convictions",
        )
        .order_by("-year", "-number")
    )
    out = []
    for r in rows:
        out.append(
            [
                r["reference"],
                r["district__code"],
                r["year"],
                timezone.localtime(r["created_at"]).date().isoformat(),
                r["offence_date"].isoformat() if r["offence_date"] else "",
                r["origin"],
                r["status"],
                r["classification"],
                r["agency"],
                r["suggested_classification"] or "",
                r["decision_count"],
                r["departed"],
                r["victims"],
                r["accused"],
                r["arrests"],
                r["fir_count"],
                r["convictions"],
            ]
        )
    return out


def safe_cell(value: Any) -> Any:
    """Defuse spreadsheet formulas in text cells (CSV injection)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def case_list_file(
    *, cases: QuerySet[Case], fmt: str, progress: Progress | None = None
) -> ExportFile:
    """The case list as CSV or XLSX (made by a background job, ahtc/jobs);
    its download writes the export audit row with `reason`."""
    rows = export_rows(cases)
    if progress:
        progress(0.6, _("Writing the file"))
    header = [name for name, _key in COLUMNS]
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("cases")
        sheet.append(header)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        content = buffer.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header)
        writer.writerows([[safe_cell(v) for v in row] for row in rows])
        content = text.getvalue().encode("utf-8-sig")
        content_type = "text/csv"
    return ExportFile(
        content=content,
        filename=f"cases-{stamp}.{fmt}",
        content_type=content_type,
        object_type="cases.case",
        reason=f"case list {fmt}, {len(rows)} rows, no identities",
    )


def case_summary_pdf(
    *, request: HttpRequest, case: Case, access: CaseAccess, identity: bool
) -> HttpResponse:
    from weasyprint import HTML

    identity = identity and not case.identity_withheld
    parties = list(case.parties.select_related("person"))
    # The investigating agency or the prosecutor: the suspects' names (and
    # consenting victims'), as on the case page.
    partner = set() if identity else partner_identified_parties(request.user, case, access)
    for party in parties:
        label = party.pseudonym
        if (identity or party.pk in partner) and party.person is not None:
            names = " / ".join(n for n in (party.person.name_latin, party.person.name_urdu) if n)
            label = f"{label}: {names}" if names else label
        elif party.person is None:
            label = f"{label}: {party.organisation_name}"
        party.label = label  # type: ignore[attr-defined]
    decision = case.decisions.prefetch_related("provisions").first()
    context = {
        "case": case,
        "parties": parties,
        "identity": identity,
        "partner_identified": bool(partner),
        "decision": decision,
        "route": [COUNTRY_NAMES.get(c, c) for c in case_route(case)],
        "firs": case.firs.select_related("police_station").prefetch_related("provisions"),
        "hearings": case.hearings.all(),
        "verdicts": [v for p in parties for v in p.verdicts.select_related("provision")],
        "challan": case.challan_items.all(),
        "generated": timezone.localtime(),
        "by": request.user,
    }
    html = render_to_string("cases/summary_pdf.html", context, request=request)
    pdf = HTML(string=html).write_pdf()
    partner_identities_shown(
        actor=request.user,
        case=case,
        parties=[p for p in parties if p.pk in partner],
        via="summary PDF",
    )
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        target=case,
        area_code=case.district.code,
        reason=(
            "summary PDF with identities"
            if identity
            else f"summary PDF with the identity of {len(partner)} parties "
            "(investigating agency or prosecutor)"
            if partner
            else "summary PDF, identities withheld"
        ),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
