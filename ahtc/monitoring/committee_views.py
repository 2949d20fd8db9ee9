"""Pages of the district committees (under /cell/monitoring/committee/ and
/cell/monitoring/reports/): members, meetings, action items, reports and
their sign-off, and the province's timeliness page.

Reading needs *view aggregates* over the district (404 and an audit row
outside it); writing is for the roles in committees.py (403 and an audit row
otherwise). A refusal of a service re-shows the page with what was typed and
the reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring import committees as c
from ahtc.monitoring import reports as r
from ahtc.monitoring.committee_forms import (
    ActionForm,
    ActionUpdateForm,
    MeetingForm,
    MemberForm,
    NarrativeForm,
    ReasonForm,
    ReportOpenForm,
)
from ahtc.monitoring.models import (
    OPEN_STATUSES,
    ActionStatus,
    CommitteeMember,
    CommitteeReport,
    Meeting,
)
from ahtc.monitoring.periods import PeriodError, PeriodKind, period_containing, period_parse
from ahtc.monitoring.selectors import aggregate_area_for_user, area_choices, home_area
from ahtc.monitoring.services import MonitoringError
from ahtc.monitoring.suppression import screen_for

V = Perm.VIEW_AGGREGATES
MEETINGS_SHOWN = 12
WHY_COMMITTEE = "committee records: not a committee member or cell head of the district"


def _district(request: HttpRequest, code: str) -> Area | None:
    """The district asked for; None when the user must choose one first."""
    user: Any = request.user
    if not code:
        home = home_area(user)
        return home if home is not None and home.level == AreaLevel.DISTRICT else None
    return c.committee_district_for_user(user, code)


def _committee_context(request: HttpRequest, district: Area, **bound: Any) -> dict[str, Any]:
    user: Any = request.user
    today = timezone.localdate()
    agencies = c.district_agencies(district)
    members = CommitteeMember.objects.filter(district=district).select_related("organisation")
    items = c.action_items_for_user(user).filter(district=district).select_related("organisation")
    if request.GET.get("show") == "overdue":
        items = items.filter(pk__in=c.overdue_items(today).values("pk"))
    else:
        items = items.filter(status__in=OPEN_STATUSES)
    return {
        "district": district,
        "today": today,
        "runs": c.may_run_committee(user, district),
        "members": members,
        "meetings": Meeting.objects.filter(district=district)[:MEETINGS_SHOWN],
        "items": items.order_by("due", "pk"),
        "overdue": c.overdue_items(today).filter(district=district).count(),
        "show": request.GET.get("show", ""),
        "statuses": ActionStatus.choices,
        "reports": CommitteeReport.objects.filter(district=district).order_by("-period"),
        "member_form": bound.get("member_form") or MemberForm(agencies=agencies),
        "meeting_form": bound.get("meeting_form")
        or MeetingForm(members=members.filter(active=True)),
        "open_form": bound.get("open_form") or ReportOpenForm(initial={"period": _last_period()}),
        "error": bound.get("error", ""),
    }


def _last_period() -> str:
    return period_containing(timezone.localdate(), PeriodKind.BIMONTH).previous().code


@staff_view(V)
def committee(request: HttpRequest) -> HttpResponse:
    try:
        district = _district(request, request.GET.get("area", ""))
    except MonitoringError:
        district = None
    if district is None:
        districts = [a for a in area_choices(request.user) if a.level == AreaLevel.DISTRICT]
        return render(request, "monitoring/committee_choose.html", {"districts": districts})
    return render(request, "monitoring/committee.html", _committee_context(request, district))


def _runner_district(request: HttpRequest) -> tuple[Area, HttpResponse | None]:
    district = c.committee_district_for_user(request.user, request.POST.get("area", ""))
    if not c.may_run_committee(request.user, district):
        return district, refused(request, district, WHY_COMMITTEE)
    return district, None


def _again(request: HttpRequest, district: Area, **bound: Any) -> HttpResponse:
    context = _committee_context(request, district, **bound)
    return render(request, "monitoring/committee.html", context, status=400)


@require_POST
@staff_view(V)
def member_add(request: HttpRequest) -> HttpResponse:
    district, refusal = _runner_district(request)
    if refusal:
        return refusal
    form = MemberForm(request.POST, agencies=c.district_agencies(district))
    if not form.is_valid():
        return _again(request, district, member_form=form)
    c.member_add(district=district, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    messages.success(request, _("Member added."))
    return redirect(c.committee_url(district))


@require_POST
@staff_view(V)
def member_retire(request: HttpRequest, pk: int) -> HttpResponse:
    member = c.member_for_user(request.user, pk)
    if not c.may_run_committee(request.user, member.district):
        return refused(request, member, WHY_COMMITTEE)
    c.member_retire(member=member, by=request.user)  # type: ignore[arg-type]
    return redirect(c.committee_url(member.district))


@require_POST
@staff_view(V)
def meeting_add(request: HttpRequest) -> HttpResponse:
    district, refusal = _runner_district(request)
    if refusal:
        return refusal
    members = CommitteeMember.objects.filter(district=district, active=True)
    form = MeetingForm(request.POST, members=members)
    if not form.is_valid():
        return _again(request, district, meeting_form=form)
    data = form.cleaned_data
    meeting = c.meeting_record(
        district=district,
        by=request.user,  # type: ignore[arg-type]
        held_on=data["held_on"],
        agenda=data["agenda"],
        minutes=data["minutes"],
        attendees=list(data["attendees"]),
    )
    return redirect("cell:monitoring:meeting", pk=meeting.pk)


def _meeting_context(request: HttpRequest, meeting: Meeting, **bound: Any) -> dict[str, Any]:
    agencies = c.district_agencies(meeting.district)
    return {
        "meeting": meeting,
        "district": meeting.district,
        "runs": c.may_run_committee(request.user, meeting.district),
        "today": timezone.localdate(),
        "actions": meeting.actions.select_related("organisation"),
        "present": meeting.attendees.select_related("organisation"),
        "action_form": bound.get("action_form") or ActionForm(agencies=agencies),
        "minutes": bound.get("minutes", meeting.minutes),
        "error": bound.get("error", ""),
    }


@staff_view(V)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = c.meeting_for_user(request.user, pk)
    if request.method != "POST":
        return render(request, "monitoring/meeting.html", _meeting_context(request, found))
    if not c.may_run_committee(request.user, found.district):
        return refused(request, found, WHY_COMMITTEE)
    if "minutes" in request.POST:
        c.meeting_minutes_set(meeting=found, minutes=request.POST["minutes"], by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Minutes saved."))
        return redirect("cell:monitoring:meeting", pk=found.pk)
    form = ActionForm(request.POST, agencies=c.district_agencies(found.district))
    error = ""
    if form.is_valid():
        try:
            c.action_add(meeting=found, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except MonitoringError as exc:
            error = exc.message
        else:
            messages.success(request, _("Action item added."))
            return redirect("cell:monitoring:meeting", pk=found.pk)
    context = _meeting_context(request, found, action_form=form, error=error)
    return render(request, "monitoring/meeting.html", context, status=400)


@require_POST
@staff_view(V)
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    item = c.action_item_for_user(request.user, pk)
    if not c.may_run_committee(request.user, item.district):
        return refused(request, item, WHY_COMMITTEE)
    form = ActionUpdateForm(request.POST)
    error = _("Check the status and dates.")
    if form.is_valid():
        try:
            c.action_update(item=item, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except MonitoringError as exc:
            error = exc.message
        else:
            messages.success(request, _("Action item updated."))
            return redirect(c.committee_url(item.district))
    context = {"item": item, "form": form, "error": error, "district": item.district}
    return render(request, "monitoring/action.html", context, status=400)


# --- reports -----------------------------------------------------------------------------


@require_POST
@staff_view(V)
def report_open(request: HttpRequest) -> HttpResponse:
    district, refusal = _runner_district(request)
    if refusal:
        return refusal
    form = ReportOpenForm(request.POST)
    if not form.is_valid():
        return _again(request, district, open_form=form)
    try:
        report = r.report_open(
            district=district,
            period=form.cleaned_data["period"],
            by=request.user,  # type: ignore[arg-type]
        )
    except MonitoringError as exc:
        return _again(request, district, open_form=form, error=exc.message)
    return redirect("cell:monitoring:report", pk=report.pk)


def _report_context(request: HttpRequest, report: CommitteeReport, **bound: Any) -> dict[str, Any]:
    user: Any = request.user
    lines = r.report_lines(report)
    checks = r.report_checks(report, lines)
    failing = [x.check.code for x in checks if not x.ok]
    initial = {name: getattr(report, name) for name in r.NARRATIVE}
    initial |= {f"explain_{k}": v for k, v in (report.explanations or {}).items()}
    runs = c.may_run_committee(user, report.district)
    screen = screen_for(user, report.district)
    return {
        "report": report,
        "district": report.district,
        "period": period_parse(report.period),
        "lines": r.shown_lines(lines, screen),
        "suppress_k": screen.k,
        "checks": checks,
        "runs": runs,
        "may_review": c.may_review(user, report.district),
        "may_accept": c.may_accept(user, report.district),
        "form": bound.get("form") or NarrativeForm(initial=initial, failing=failing),
        "reason_form": bound.get("reason_form") or ReasonForm(),
        "problems": r.submission_problems(report, lines, timezone.localdate())
        if runs and not report.locked
        else [],
        "events": report.events.select_related("by"),
        "error": bound.get("error", ""),
    }


@staff_view(V)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    found = r.report_for_user(request.user, pk)
    if request.method != "POST":
        return render(request, "monitoring/report.html", _report_context(request, found))
    if not c.may_run_committee(request.user, found.district):
        return refused(request, found, WHY_COMMITTEE)
    checks = r.report_checks(found, r.report_lines(found))
    form = NarrativeForm(request.POST, failing=[x.check.code for x in checks if not x.ok])
    if not form.is_valid():
        context = _report_context(request, found, form=form)
        return render(request, "monitoring/report.html", context, status=400)
    try:
        found = r.report_narrative_save(
            report=found,
            by=request.user,  # type: ignore[arg-type]
            explanations=form.explanations(),
            **{k: form.cleaned_data[k] for k in r.NARRATIVE},
        )
        if "submit" in request.POST:
            r.report_submit(report=found, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("Report submitted. Its numbers are now locked."))
        else:
            messages.success(request, _("Saved."))
    except MonitoringError as exc:
        context = _report_context(request, found, form=form, error=exc.message)
        return render(request, "monitoring/report.html", context, status=400)
    return redirect("cell:monitoring:report", pk=found.pk)


STEPS = {
    "review": (r.report_review, c.may_review, False),
    "return": (r.report_return, c.may_review, True),
    "accept": (r.report_accept, c.may_accept, False),
    "reopen": (r.report_reopen, c.may_accept, True),
}


@require_POST
@staff_view(V)
def report_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    found = r.report_for_user(request.user, pk)
    if step not in STEPS:
        return redirect("cell:monitoring:report", pk=found.pk)
    action, allowed, needs_reason = STEPS[step]
    if not allowed(request.user, found.district):
        return refused(request, found, f"report sign-off ({step}): role does not sign this step")
    form = ReasonForm(request.POST)
    try:
        if needs_reason:
            reason = form.data.get("reason", "")
            action(report=found, by=request.user, reason=reason)  # type: ignore[operator]
        else:
            action(report=found, by=request.user)  # type: ignore[operator]
    except MonitoringError as exc:
        form.is_valid()
        context = _report_context(request, found, reason_form=form, error=exc.message)
        return render(request, "monitoring/report.html", context, status=400)
    messages.success(request, _("Done."))
    return redirect("cell:monitoring:report", pk=found.pk)


@require_POST
@staff_view(V)
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    from ahtc.monitoring.report_files import report_file_start

    found = r.report_for_user(request.user, pk)
    fmt = request.POST.get("format", "pdf")
    language = request.POST.get("language", "en")
    if fmt not in ("pdf", "xlsx") or language not in ("en", "ur"):
        return redirect("cell:monitoring:report", pk=found.pk)
    job = report_file_start(user=request.user, report=found, fmt=fmt, language=language)  # type: ignore[arg-type]
    return redirect(job)


@staff_view(V)
def timeliness(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    code = request.GET.get("area", "")
    area = aggregate_area_for_user(user, code) if code else home_area(user)
    try:
        period = period_parse(request.GET.get("period", ""))
    except PeriodError:
        period = period_parse(_last_period())
    if area is None or period.kind not in r.REPORT_KINDS:
        period = period_parse(_last_period())
    if area is None:
        raise PermissionError
    context = {
        "area": area,
        "period": period,
        "areas": [a for a in area_choices(user) if a.level != AreaLevel.TEHSIL],
        "result": r.timeliness(area, period),
        "query": f"area={area.code}&period={period.code}",
        "report_url": reverse("cell:monitoring:timeliness"),
    }
    return render(request, "monitoring/timeliness.html", context)
