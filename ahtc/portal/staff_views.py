"""The cell's intake queue for citizen reports (under /cell/intake/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ahtc.accounts.decorators import refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, user_scope
from ahtc.onboarding.selectors import service_levels
from ahtc.portal.duplicates import possible_duplicates
from ahtc.portal.files import FileRejectedError, deliver
from ahtc.portal.models import URGENT, Tip, TipStatus, queue_default_q
from ahtc.portal.receipts import format_code
from ahtc.portal.selectors import overdue_q, tip_assignees, tip_for_user, tips_for_user
from ahtc.portal.services import (
    TipError,
    tip_check_assignee,
    tip_reply_seen,
    tip_set_status,
    tip_staff_reply,
    tip_submit,
)
from ahtc.portal.staff_forms import (
    BulkForm,
    IntakeFilter,
    RecordCallForm,
    StaffReplyForm,
    TriageForm,
)
from ahtc.portal.views import limited_upload

# Service levels: by default urgent reports are acknowledged within an hour,
# others within a day; each onboarded district may set its own (rollout page).
SLA_URGENT = dt.timedelta(hours=1)
SLA_NORMAL = dt.timedelta(days=1)
ServiceLevels = dict[int, tuple[dt.timedelta, dt.timedelta]]


def sla_due(tip: Tip, levels: ServiceLevels | None = None) -> dt.datetime:
    if levels is None:
        levels = service_levels(district_ids=[tip.district_id])
    urgent, normal = levels.get(tip.district_id, (SLA_URGENT, SLA_NORMAL))
    return tip.created_at + (urgent if tip.urgent else normal)


def _filtered(user: Any, form: IntakeFilter) -> Any:
    rows = tips_for_user(user).select_related("district", "tehsil", "assigned_to")
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("status"):
        rows = rows.filter(status=data["status"])
    elif not data.get("reply_waiting"):  # a reply to a closed report is shown too
        # Reports marked linked with no case (before that was refused) come
        # back to the queue until someone links or closes them.
        rows = rows.filter(queue_default_q())
    for name in ("category", "channel"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    if data.get("urgent"):
        rows = rows.filter(URGENT)
    if data.get("overdue"):
        rows = rows.filter(overdue_q())
    if data.get("reply_waiting"):
        rows = rows.filter(reply_waiting=True)
    if data.get("area"):
        rows = rows.filter(Q(district__code=data["area"]) | Q(tehsil__code=data["area"]))
    if data.get("received_from"):
        rows = rows.filter(created_at__date__gte=data["received_from"])
    if data.get("received_to"):
        rows = rows.filter(created_at__date__lte=data["received_to"])
    # The next action first: new before triaged, urgent before the rest, oldest
    # first; reports held for review (possible spam) after the others.
    return rows.annotate(
        is_new=Case(When(status=TipStatus.NEW, then=Value(0)), default=Value(1)),
        is_urgent=Case(When(URGENT, then=Value(0)), default=Value(1)),
    ).order_by("held_for_review", "is_new", "is_urgent", "created_at")


@staff_view(Perm.TRIAGE_TIPS)
def intake(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _bulk(request)
    return _queue(request, BulkForm(allowed_ids=[]))


def _queue(request: HttpRequest, bulk: BulkForm) -> HttpResponse:
    form = IntakeFilter(request.GET or None)
    # Sorted and counted as bare ids (from the status index alone at province
    # scale: a closed status holds tens of thousands of a district's reports),
    # then the page's 50 reports read whole (issue 19).
    rows = _filtered(request.user, form)
    page = Paginator(rows.values_list("pk", flat=True), 50).get_page(request.GET.get("page"))
    found = Tip.objects.select_related("district", "tehsil", "assigned_to").in_bulk(
        list(page.object_list)
    )
    page.object_list = [found[pk] for pk in page.object_list]
    now = timezone.now()
    levels = service_levels(district_ids=[tip.district_id for tip in page])
    for tip in page:
        tip.due = sla_due(tip, levels)
        tip.overdue = tip.acknowledged_at is None and tip.due < now
    context = {
        "form": form,
        "page": page,
        "statuses": TipStatus.choices,
        "bulk": bulk,
        "picked": {str(v) for v in request.POST.getlist("tips")},
    }
    return render(request, "portal/staff/intake.html", context)


def _bulk(request: HttpRequest) -> HttpResponse:
    """Apply one status to the selected reports; ids outside scope are refused."""
    requested = [int(v) for v in request.POST.getlist("tips") if v.isdigit()]
    allowed = list(
        tips_for_user(request.user).filter(pk__in=requested).values_list("pk", flat=True)
    )
    form = BulkForm(request.POST, allowed_ids=allowed)
    if len(allowed) != len(set(requested)) or not form.is_valid():
        form.add_error(None, _("Choose reports and a status; nothing was changed."))
        return _queue(request, form)
    tips = list(tips_for_user(request.user).filter(pk__in=form.cleaned_data["tips"]))
    error = _set_status(request.user, tips, form.cleaned_data)
    if error:
        form.add_error("case", error)
        return _queue(request, form)
    count = len(form.cleaned_data["tips"])
    message = ngettext("%(count)d report updated.", "%(count)d reports updated.", count)
    messages.success(request, message % {"count": count})
    return redirect("cell:intake")


@transaction.atomic
def _set_status(user: Any, tips: list[Tip], data: dict[str, Any]) -> str:
    """Apply the status to every report, or to none: "linked to a case" needs
    a case the user runs, in the reports' district. Returns the refusal."""
    from ahtc.cases.services import CaseError, case_link_reports

    status = TipStatus(data["status"])
    reference = data.get("case", "").strip().upper()
    if status != TipStatus.LINKED or not reference:
        if status == TipStatus.LINKED and any(t.case_id is None for t in tips):
            return str(_("Give the reference of the case these reports belong to."))
        for tip in tips:  # each already has its case when the status is "linked"
            tip_set_status(tip=tip, status=status, by=user)
        return ""
    case = _case_to_link(user, reference)
    if case is None:
        return str(_("No case %(ref)s that you run.") % {"ref": reference})
    try:
        case_link_reports(case=case, tips=tips, by=user)
    except CaseError as exc:
        transaction.set_rollback(True)
        return exc.message
    return ""


def _case_to_link(user: Any, reference: str) -> Any:
    from ahtc.cases.selectors import cases_for_user, managed_cases_q

    return cases_for_user(user).filter(managed_cases_q(user), reference=reference).first()


def _assignable(user: Any, tip: Tip) -> Any:
    return tip_assignees(tip)


@limited_upload  # the reply form takes files, within the portal's limits
@staff_view(Perm.TRIAGE_TIPS)
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tip = tip_for_user(request.user, pk)
    if tip.reply_waiting:
        tip_reply_seen(tip=tip, by=request.user)
    triage = TriageForm(
        request.POST if "status" in request.POST else None,
        assignable=_assignable(request.user, tip),
        initial={"status": tip.status, "assign_to": tip.assigned_to},
    )
    triage.fields["assign_to"].error_messages["invalid_choice"] = _(
        "That person cannot open citizen reports of this district. Choose someone from the list."
    )
    reply = StaffReplyForm(
        request.POST if "body" in request.POST else None,
        request.FILES if "body" in request.POST else None,
    )
    if request.method == "POST":
        if "status" in request.POST and triage.is_valid() and _triage(request, tip, triage):
            messages.success(request, _("The report is updated."))
            return redirect("cell:intake_detail", pk=tip.pk)
        if "body" in request.POST and reply.is_valid() and _reply(request, tip, reply):
            messages.success(request, _("Your reply is waiting for the reporter."))
            return redirect("cell:intake_detail", pk=tip.pk)
    context = {
        "tip": tip,
        "duplicates": possible_duplicates(tip, request.user),
        "due": sla_due(tip),
        "thread": tip.messages.select_related("author").prefetch_related("attachments"),
        "triage": triage,
        "reply": reply,
        "can_open_case": user_scope(request.user).permits(Perm.MANAGE_CASES, tip.district),
        "cases": tip.cases.all(),
        "linked_case": tip.case,
    }
    return render(request, "portal/staff/intake_detail.html", context)


def _triage(request: HttpRequest, tip: Tip, triage: TriageForm) -> bool:
    """Status (with the case, for "linked") and assignee; a refusal goes on
    the form, which keeps what was chosen."""
    data = triage.cleaned_data
    if data["assign_to"] is not None:
        try:
            tip_check_assignee(tip=tip, assignee=data["assign_to"])
        except TipError as exc:
            refused_if(request, tip, exc)
            triage.add_error("assign_to", exc.message)
            return False
    error = _set_status(request.user, [tip], data)
    if error:
        triage.add_error("case", error)
        return False
    if data["assign_to"] is not None:
        tip.refresh_from_db()
        tip_set_status(
            tip=tip, status=TipStatus(tip.status), by=request.user, assign_to=data["assign_to"]
        )
    return True


def _reply(request: HttpRequest, tip: Tip, reply: StaffReplyForm) -> bool:
    """Send the reply; a refusal (too many files) goes on the form, which keeps
    what was typed."""
    try:
        tip_staff_reply(
            tip=tip,
            body=reply.cleaned_data["body"],
            by=request.user,
            files=reply.cleaned_data["attachments"],
        )
    except FileRejectedError as exc:
        reply.add_error("attachments", str(exc))
        return False
    return True


@staff_view(Perm.TRIAGE_TIPS)
def attachment_download(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """Files are always downloaded, never shown inline, under a neutral name,
    and scanned again first: an infected file is held, not delivered."""
    tip = tip_for_user(request.user, pk)
    attachment = tip.attachments.filter(pk=file_pk).first()
    if attachment is None:
        raise Http404
    return deliver(
        request,
        target=attachment,
        stored_name=attachment.stored_name,
        kind=attachment.kind,
        name=f"{tip.reference}-{attachment.pk}",
    )


@staff_view(Perm.RECORD_CALLS)
def record_call(request: HttpRequest) -> HttpResponse:
    form = RecordCallForm(request.POST or None)
    allowed = set(
        districts_for_user(request.user, Perm.RECORD_CALLS).values_list("code", flat=True)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["district"] not in allowed:
            form.add_error("district", _("You can record reports for your own districts only."))
        else:
            submission = tip_submit(
                **form.submission(), channel=data["channel"], recorded_by=request.user
            )
            context = {"code": format_code(submission.receipt_code), "tip": submission.tip}
            return render(request, "portal/staff/recorded.html", context)
    return render(request, "portal/staff/record_call.html", {"form": form})
