"""Survey pages under /cell/surveys/: instruments and their import, export
uploads and their reports, submissions and their review, aggregates.

Access rules are in selectors.py; a page the user's roles do not open is a
403 with an audit row, a record outside their scope a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.core.uploads import UploadLimits, accepts_files
from ahtc.surveys import forms as f
from ahtc.surveys import selectors as sel
from ahtc.surveys.aggregates import instrument_summary, summary_charts
from ahtc.surveys.collect import collect_districts
from ahtc.surveys.exports import summary_xlsx
from ahtc.surveys.imports import MAX_EXPORT_BYTES, batch_import_start
from ahtc.surveys.models import ImportBatch, Instrument, ReviewStatus, Submission
from ahtc.surveys.services import FormImportError, SurveyError, instrument_import
from ahtc.surveys.services import submission_review as review_service
from ahtc.surveys.xform import label_in

PAGE_SIZE = 50
OPEN = {ReviewStatus.RECEIVED, ReviewStatus.ON_HOLD}
FORM_UPLOAD = UploadLimits(
    max_file_bytes=5 * 1024 * 1024, max_files=1, max_body_bytes=6 * 1024 * 1024
)
EXPORT_UPLOAD = UploadLimits(
    max_file_bytes=MAX_EXPORT_BYTES, max_files=1, max_body_bytes=MAX_EXPORT_BYTES + 1024 * 1024
)


def _refused_page(request: HttpRequest, why: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        object_type="page",
        object_id=request.resolver_match.view_name if request.resolver_match else "",
        reason=why,
    )
    return render(request, "cell/forbidden.html", status=403)


def _file_name(request: HttpRequest) -> str:
    upload = request.FILES.get("file")
    return str(getattr(upload, "name", "") or "")


def _language() -> str:
    return (get_language() or "en")[:2]


@staff_view(Perm.VIEW_WORKSPACE)
def instrument_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not sel.sees_surveys(user):
        return _refused_page(request, "no access to surveys")
    instruments = list(Instrument.objects.all())
    in_scope = sel.submissions_for_user(user)
    counts: dict[tuple[int, str], int] = {}
    for row in in_scope.values_list("instrument_id", "status"):
        counts[row] = counts.get(row, 0) + 1
    for item in instruments:
        item.waiting = counts.get((item.pk, ReviewStatus.RECEIVED), 0)  # type: ignore[attr-defined]
        item.approved = counts.get((item.pk, ReviewStatus.APPROVED), 0)  # type: ignore[attr-defined]
        item.rows_readable = sel.reads_rows(user, item)  # type: ignore[attr-defined]
    context = {
        "instruments": instruments,
        "can_import": sel.manages_instruments(user),
        "aggregates": sel.reads_aggregates(user),
    }
    return render(request, "surveys/list.html", context)


@accepts_files(FORM_UPLOAD)
@staff_view(Perm.VIEW_WORKSPACE)
def instrument_import_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not sel.manages_instruments(user):
        return _refused_page(request, "may not import survey instruments")
    form = f.InstrumentImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        context["file_name"] = upload.name
        try:
            result = instrument_import(
                content=upload.read(),
                filename=upload.name,
                by=user,
                sensitivity=form.cleaned_data["sensitivity"],
            )
        except FormImportError as exc:
            context["error"], context["problems"] = exc.message, exc.problems
        else:
            context["result"] = result
    elif request.method == "POST":
        context["file_name"] = _file_name(request)
    return render(request, "surveys/import.html", context)


def _instrument(user: Any, form_id: str) -> Instrument:
    if not sel.sees_surveys(user):
        raise Http404
    return get_object_or_404(Instrument, form_id=form_id)


@staff_view(Perm.VIEW_WORKSPACE)
def instrument_detail(request: HttpRequest, form_id: str) -> HttpResponse:
    user: Any = request.user
    instrument = _instrument(user, form_id)
    versions = list(instrument.versions.order_by("-number"))
    wanted = request.GET.get("version", "")
    version = next(
        (v for v in versions if str(v.number) == wanted), versions[0] if versions else None
    )
    language = _language()
    fields = [
        {
            **item,
            "label": label_in(item["labels"], language),
            "choice_labels": [
                label_in(c["labels"], language) or c["value"] for c in item["choices"]
            ],
        }
        for item in (version.catalogue if version else [])
    ]
    context = {
        "instrument": instrument,
        "versions": versions,
        "version": version,
        "fields": fields,
        "rows": sel.reads_rows(user, instrument),
        "can_ingest": sel.row_districts(user, instrument).exists(),
        "can_collect": collect_districts(user, instrument).exists(),
        "aggregates": sel.reads_aggregates(user),
        "batches": ImportBatch.objects.filter(
            instrument=instrument, district__in=sel.row_districts(user, instrument)
        )[:10],
    }
    return render(request, "surveys/instrument.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def version_source(request: HttpRequest, form_id: str, number: int) -> HttpResponse:
    instrument = _instrument(request.user, form_id)
    version = get_object_or_404(instrument.versions, number=number)
    response = HttpResponse(bytes(version.source), content_type="application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{version.source_name}"'
    return response


@accepts_files(EXPORT_UPLOAD)
@staff_view(Perm.VIEW_WORKSPACE)
def ingest(request: HttpRequest, form_id: str) -> HttpResponse:
    user: Any = request.user
    instrument = _instrument(user, form_id)
    districts = sel.row_districts(user, instrument)
    if not districts.exists():
        return _refused_page(request, "may not import this survey's submissions")
    form = f.ExportUploadForm(request.POST or None, request.FILES or None, districts=districts)
    context: dict[str, Any] = {"form": form, "instrument": instrument}
    if request.method == "POST":
        context["file_name"] = _file_name(request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = batch_import_start(
                instrument=instrument,
                district=form.cleaned_data["district"],
                file_name=upload.name,
                content=upload.read(),
                by=user,
            )
        except SurveyError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("cell:surveys:batch", pk=batch.pk)
    return render(request, "surveys/ingest.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    batch = get_object_or_404(ImportBatch.objects.select_related("instrument", "district"), pk=pk)
    if not sel.row_districts(user, batch.instrument).filter(pk=batch.district_id).exists():
        audit_record(
            actor=user,
            action=AuditAction.VIEW,
            outcome=AuditOutcome.REFUSED,
            target=batch,
            reason="outside the user's scope",
        )
        raise Http404
    return render(request, "surveys/batch.html", {"batch": batch})


@staff_view(Perm.VIEW_WORKSPACE)
def submission_list(request: HttpRequest, form_id: str) -> HttpResponse:
    user: Any = request.user
    instrument = _instrument(user, form_id)
    if not sel.reads_rows(user, instrument):
        return _refused_page(request, "may not read this survey's submissions")
    rows = sel.submissions_for_user(user).filter(instrument=instrument)
    filters = f.StatusFilter(request.GET or None)
    if filters.is_valid() and filters.cleaned_data["status"]:
        rows = rows.filter(status=filters.cleaned_data["status"])
    rows = rows.select_related("district", "tehsil").defer("data", "sealed")
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"instrument": instrument, "page": page, "filters": filters}
    return render(request, "surveys/submissions.html", context)


def _answer(item: dict[str, Any], value: Any, language: str) -> str:
    if item["type"] in {"select_one", "select_multiple"}:
        labels = {str(c["value"]): label_in(c["labels"], language) for c in item["choices"]}
        return ", ".join(labels.get(v) or v for v in str(value).split())
    return str(value)


def answer_rows(submission: Submission, language: str) -> list[dict[str, Any]]:
    """The answers in the order of the form the submission was collected with;
    columns that form does not know come last, under their own names."""
    answers = submission.answers
    catalogue = submission.version.catalogue
    known = {item["path"] for item in catalogue}
    shown: list[dict[str, Any]] = []
    for item in catalogue:
        if item["repeat"] or item["type"] in {"group", "note"} or item["path"] not in answers:
            continue
        label = label_in(item["labels"], language) or item["path"]
        if item["type"] == "repeat":
            inner = [i for i in catalogue if i["repeat"] == item["path"] and i["type"] != "repeat"]
            rows = [
                [
                    (
                        label_in(i["labels"], language) or i["name"],
                        _answer(i, r[i["path"]], language),
                    )
                    for i in inner
                    if i["path"] in r
                ]
                for r in answers[item["path"]]
            ]
            shown.append({"label": label, "rows": rows})
        else:
            shown.append({"label": label, "value": _answer(item, answers[item["path"]], language)})
    shown += [{"label": k, "value": str(v)} for k, v in answers.items() if k not in known]
    return shown


@staff_view(Perm.VIEW_WORKSPACE)
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    submission = sel.submission_for_user(user, pk)
    form = f.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review_service(
                submission=submission,
                by=user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except SurveyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The review is recorded."))
            return redirect("cell:surveys:submission", pk=submission.pk)
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        target=submission,
        area_code=submission.district.code,
        reason=f"survey submission ({submission.instrument.sensitivity})",
    )
    context = {
        "submission": submission,
        "answers": answer_rows(submission, _language()),
        "form": form if submission.status in OPEN or form.errors else None,
        "back": reverse("cell:surveys:submissions", args=[submission.instrument.form_id]),
    }
    return render(request, "surveys/submission.html", context)


@staff_view(Perm.VIEW_AGGREGATES)
def aggregates(request: HttpRequest, form_id: str) -> HttpResponse:
    user: Any = request.user
    instrument = _instrument(user, form_id)
    summary = instrument_summary(instrument, sel.counted_submissions_for_user(user, instrument))
    if request.GET.get("export") == "xlsx":
        audit_record(
            actor=user,
            action=AuditAction.EXPORT,
            target=instrument,
            reason=f"survey aggregates xlsx ({summary.total} approved submissions)",
        )
        response = HttpResponse(
            summary_xlsx(summary),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{instrument.form_id}-aggregates.xlsx"'
        )
        return response
    charts = summary_charts(summary, rtl=get_language_bidi())
    return render(
        request,
        "surveys/aggregates.html",
        {"summary": summary, "instrument": instrument, "charts": charts},
    )
