"""The inspection list (riskiest first, overdue notices with their next step),
bulk import with its progress page, and the registry's CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, user_scope
from ahtc.agencies import enforcement as e
from ahtc.agencies import forms as f
from ahtc.agencies import imports
from ahtc.agencies.models import AgencyImport, ImportStatus, Inspection, Notice
from ahtc.agencies.risk import risk_reasons, with_risk
from ahtc.agencies.selectors import (
    agencies_for_user,
    due_for_reinspection,
    enforced_for_user,
    reads_agencies,
    with_overdue_notices,
    writes_agencies,
)
from ahtc.agencies.views import refused_page
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.jobs.models import Job

INSPECTION_LIST = 100
# The list's filters (?due=...), linked from the Overview's lines.
DUE_NOTICES = "notices"
DUE_REINSPECTION = "reinspection"


@staff_view(Perm.VIEW_WORKSPACE)
def inspection_list(request: HttpRequest) -> HttpResponse:
    """What to inspect next: agencies ordered by risk (capped), with
    re-inspections due and overdue notices flagged with their next step."""
    user: Any = request.user
    if not reads_agencies(user):
        return refused_page(request, "no access to the agency registry")
    today = timezone.localdate()
    open_notices = Notice.objects.filter(complied_on__isnull=True)
    due = request.GET.get("due", "")
    chosen = enforced_for_user(user)
    if due == DUE_NOTICES:
        chosen = with_overdue_notices(chosen, today)
    elif due == DUE_REINSPECTION:
        chosen = due_for_reinspection(chosen, today)
    rows = (
        with_risk(chosen, today)
        .select_related("district")
        .prefetch_related(
            Prefetch("notices", queryset=open_notices, to_attr="open_notices"),
            Prefetch("inspections", queryset=Inspection.objects.order_by("-on", "-pk")),
        )
        .order_by("-risk", "name_en", "pk")[:INSPECTION_LIST]
    )
    agencies = list(rows)
    for agency in agencies:
        agency.reasons = risk_reasons(agency)
        inspections = list(agency.inspections.all())
        agency.last_inspection = inspections[0] if inspections else None
        agency.reinspect_due = bool(
            agency.last_inspection
            and agency.last_inspection.reinspect_on
            and agency.last_inspection.reinspect_on <= today
        )
        agency.overdue = [
            (n, e.notice_state(n, agency, today=today))
            for n in agency.open_notices
            if n.overdue_on(today)
        ]
    context = {
        "agencies": agencies,
        "today": today,
        "cap": INSPECTION_LIST,
        "due": due if due in (DUE_NOTICES, DUE_REINSPECTION) else "",
    }
    return render(request, "agencies/inspections.html", context)


def _import_districts(user: Any) -> Any:
    return districts_for_user(user, Perm.MANAGE_CASES).order_by("name_en")


@staff_view(Perm.VIEW_WORKSPACE)
def import_start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not writes_agencies(user):
        return refused_page(request, "may not import agencies")
    form = f.ImportForm(
        request.POST or None, request.FILES or None, districts=_import_districts(user)
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or ""
        if upload.size > imports.MAX_BYTES:
            form.add_error("file", _("The file is larger than 5 MB; split it."))
        elif not name.lower().endswith((".csv", ".xlsx")):
            form.add_error("file", _("Only CSV and XLSX files can be imported."))
        else:
            job = imports.import_start(
                district=form.cleaned_data["district"],
                by=user,
                file_name=name,
                content=upload.read(),
            )
            messages.success(request, _("The file is queued; this page shows its progress."))
            return redirect("cell:agencies:import_detail", pk=job.pk)
    context = {"form": form, "title": _("Import agencies"), "back": reverse("cell:agencies:list")}
    return render(request, "agencies/import.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the person who asked for the import sees it (like a job)."""
    job = AgencyImport.objects.filter(pk=pk).select_related("district").first()
    if job is None or job.requested_by_id != request.user.pk:
        if job is not None:
            audit_record(
                actor=request.user,
                action=AuditAction.VIEW,
                outcome=AuditOutcome.REFUSED,
                target=job,
                reason="not the requester of the import",
            )
        raise Http404
    rejections = [
        {**r, "text": _(r["reason"]) % r["params"] if r.get("params") else _(r["reason"])}
        for r in job.rejections
    ]
    queued = Job.objects.filter(pk=job.job_id).first() if job.job_id else None
    context = {
        "job": job,
        "queued": queued,
        "report": queued is not None and queued.file_available(),
        "rejections": rejections,
        "running": job.status in {ImportStatus.WAITING.value, ImportStatus.RUNNING.value},
        "error": _(job.error) if job.error else "",
    }
    return render(request, "agencies/import_detail.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def export(request: HttpRequest) -> HttpResponse:
    """The registry of the user's districts as CSV (the import's columns):
    public facts only, no owners or staff. Audited with the count."""
    user: Any = request.user
    if not reads_agencies(user) or not user_scope(user).has_perm_anywhere(Perm.EXPORT):
        return refused_page(request, "may not export the agency registry")
    rows = agencies_for_user(user).filter(user_scope(user).q(Perm.EXPORT, "district__path"))
    district = request.GET.get("district", "")
    if district:
        rows = rows.filter(Q(district__code=district))
    out = io.StringIO()
    writer = csv.writer(out)
    count = -1
    for line in imports.export_rows(rows):
        writer.writerow(line)
        count += 1
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="agencies.agency",
        reason=f"agency registry exported ({count} rows)",
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="agencies.csv"'
    return response
