"""A committee report as a PDF (English or Urdu) or XLSX, built by a job.

Both files are made from `reports.report_lines`, the same lines the report's
page shows, and print each value's `display` (the PDF) or its number (the
XLSX), so the three agree to the digit (tested by reading the files back).
Urdu is set right to left by WeasyPrint (Pango and HarfBuzz shape the
Arabic script) in the Urdu font shipped with AHTC; numbers, codes and
dates are isolated left to right.

Aggregates only: no record and no identity is in a report, so reading the
district's statistics is enough to have its report (the committee's own
paper); the job checks that again when it runs and when the file is fetched.
Small numbers are hidden in the files as on the page, for the user who asked
for the file (suppression.screen_for): the district's cell gets them exactly,
everyone else "fewer than k"; without a user, they are hidden.
"""

from __future__ import annotations

import io
from functools import partial
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import TaskContext, task

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_may_authenticate, user_scope
from ahtc.core.audit import audit_export_refused
from ahtc.jobs.files import ExportFile
from ahtc.jobs.models import Job, JobKind
from ahtc.jobs.running import JobRefusedError, report_progress, run_job
from ahtc.jobs.services import job_enqueue, job_file_save
from ahtc.monitoring.exports import XLSX, _cell, _number
from ahtc.monitoring.models import CommitteeReport
from ahtc.monitoring.periods import period_parse
from ahtc.monitoring.reports import Line, report_checks, report_lines, shown_lines
from ahtc.monitoring.suppression import Screen, screen_for, threshold

OBJECT_TYPE = "monitoring.committeereport"
REFUSED = gettext_lazy("Your permission to read this district's reports was withdrawn.")


def file_name(report: CommitteeReport, fmt: str, language: str) -> str:
    suffix = f"-{language}" if fmt == "pdf" else ""
    return f"committee-report-{report.district.code}-{report.period}{suffix}.{fmt}"


def _shown(report: CommitteeReport, screen: Screen) -> tuple[list[Line], list[Line]]:
    """The exact lines (for the checks) and the lines as `screen` shows them."""
    lines = report_lines(report)
    return lines, shown_lines(lines, screen)


def _context(
    report: CommitteeReport, lines: list[Line], shown: list[Line], screen: Screen
) -> dict[str, Any]:
    return {
        "suppress_k": screen.k,
        "report": report,
        "district": report.district,
        "period": period_parse(report.period),
        "lines": shown,
        "checks": report_checks(report, lines),
        "events": list(report.events.select_related("by")),
        "generated": timezone.localtime(),
    }


def report_pdf(report: CommitteeReport, language: str, screen: Screen | None = None) -> bytes:
    from weasyprint import HTML

    screen = screen or Screen(threshold())
    with translation.override(language):
        lines, shown = _shown(report, screen)
        context = _context(report, lines, shown, screen)
        html = render_to_string("monitoring/report_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())


def xlsx_rows(report: CommitteeReport, lines: list[Line]) -> list[list[Any]]:
    rows: list[list[Any]] = [
        [_("Indicator"), _("Code"), _("Value"), _("Numerator"), _("Denominator"), _("Status")]
    ]
    for line in lines:
        v = line.value
        rows.append(
            [
                str(line.indicator.name),
                v.code,
                _number(v),
                v.numerator,
                v.denominator,
                v.status_text,
            ]
        )
    return rows


def report_xlsx(
    report: CommitteeReport, language: str = "en", screen: Screen | None = None
) -> bytes:
    from openpyxl import Workbook

    with translation.override(language):
        _lines, lines = _shown(report, screen or Screen(threshold()))
        book = Workbook(write_only=True)
        sheet = book.create_sheet(report.period)
        title = f"{report.district.name} ({report.district.code}), {report.period}"
        sheet.append([_cell(title)])
        sheet.append([_cell(str(report.get_status_display()))])
        for row in xlsx_rows(report, lines):
            sheet.append([_cell(v) for v in row])
        notes = book.create_sheet(_("Narrative"))
        for name, label in (
            ("challenges", _("Challenges")),
            ("decisions", _("Decisions taken")),
            ("requests", _("Requests to the province")),
        ):
            notes.append([label, _cell(getattr(report, name))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the job -----------------------------------------------------------------------------


def report_refusal(user: Any, report: CommitteeReport) -> str:
    """Why `user` may not have the report's file now ("" when they may)."""
    if not user_may_authenticate(user):
        return "user disabled"
    if not user_scope(user).permits(Perm.VIEW_AGGREGATES, report.district):
        return f"lacks permission {Perm.VIEW_AGGREGATES} in {report.district.code}"
    return ""


def report_file_start(*, user: User, report: CommitteeReport, fmt: str, language: str) -> Job:
    return job_enqueue(
        task=committee_report_file_job,
        kind=JobKind.COMMITTEE_REPORT_FILE,
        requested_by=user,
        kwargs={"report_id": report.pk, "fmt": fmt, "language": language},
    )


def _build(job: Job, *, report_id: int, fmt: str, language: str) -> int:
    user = User.objects.filter(pk=job.requested_by_id or 0).first()
    report = CommitteeReport.objects.select_related("district").filter(pk=report_id).first()
    why = "report gone" if report is None else report_refusal(user, report)
    if why or report is None or user is None:
        if user is not None:
            audit_export_refused(
                actor=user, kind="committee report", why=why, object_type=OBJECT_TYPE
            )
        raise JobRefusedError(REFUSED)
    report_progress(0.2, gettext_lazy("Computing the numbers"))
    screen = screen_for(user, report.district)
    make = report_pdf if fmt == "pdf" else report_xlsx
    content = make(report, language, screen)
    report_progress(0.9, gettext_lazy("Encrypting the file"))
    content_type = "application/pdf" if fmt == "pdf" else XLSX
    reason = (
        f"committee report {report.district.code} {report.period} {fmt} {language} "
        f"({report.status}), aggregates only"
    )
    export = ExportFile(
        content, file_name(report, fmt, language), content_type, OBJECT_TYPE, reason
    )
    job_file_save(job, export)
    return len(content)


@task(takes_context=True)
def committee_report_file_job(
    context: TaskContext, *, report_id: int, fmt: str, language: str
) -> int:
    return run_job(context, partial(_build, report_id=report_id, fmt=fmt, language=language))


def download_refusal(job: Job, user: Any) -> str:
    """At download: the requester must still read the district's statistics."""
    report_id = (job.audit_reason or "").split(" ")
    code = report_id[2] if len(report_id) > 2 else ""
    if not user_may_authenticate(user):
        return "user disabled"
    from ahtc.geography.models import Area

    district = Area.objects.filter(code=code).first()
    if district is None or not user_scope(user).permits(Perm.VIEW_AGGREGATES, district):
        return f"lacks permission {Perm.VIEW_AGGREGATES} in {code or 'the district'}"
    return ""
