"""Child-labour pages under /cell/labour/: the cell's list, a finding and its
next step, counts for analysts, and the education authority's school list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user
from ahtc.core.audit import audit_record, audit_records
from ahtc.core.models import AuditAction, AuditOutcome, in_language
from ahtc.labour import forms as f
from ahtc.labour import services as s
from ahtc.labour.models import Attendance, AttendanceCheck, ChildLabourFinding, NextStep
from ahtc.labour.selectors import (
    READ_PERMS,
    counted_findings_for_user,
    counts_findings,
    finding_access,
    finding_counts,
    finding_for_user,
    findings_for_user,
    places_schools,
    reads_findings,
    schooling_finding_for_user,
    schooling_for_user,
    writes_findings,
)
from ahtc.people.models import Person

PAGE_SIZE = 50
STAGES: dict[str, Q] = {
    "at_work": Q(withdrawn=False),
    "withdrawn": Q(withdrawn=True),
    "not_enrolled": Q(withdrawn=True, enrolled_on__isnull=True),
    "enrolled": Q(enrolled_on__isnull=False),
    "dropped_out": Q(attendance_checks__status=Attendance.DROPPED_OUT),
}


def _refused_page(request: HttpRequest, why: str) -> HttpResponse:
    """403 for a page this user's roles do not open; audited like staff_view."""
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        object_type="page",
        object_id=request.resolver_match.view_name if request.resolver_match else "",
        reason=why,
    )
    return render(request, "cell/forbidden.html", status=403)


def _read_districts(user: Any) -> QuerySet[Any]:
    districts = districts_for_user(user, READ_PERMS[0])
    for perm in READ_PERMS[1:]:
        districts = districts | districts_for_user(user, perm)
    return districts.order_by("name_en")


@staff_view(Perm.VIEW_WORKSPACE)
def finding_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if reads_findings(user):
        return _list(request)
    if counts_findings(user):
        return _counts(request)
    if places_schools(user):
        return redirect("cell:labour:schooling")
    return _refused_page(request, "no access to child-labour findings")


def _list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = f.ListFilter(request.GET or None, districts=_read_districts(user))
    rows = findings_for_user(user).select_related("district")
    if form.is_valid():
        data = form.cleaned_data
        if data["district"] is not None:
            rows = rows.filter(district=data["district"])
        if data["schooling"]:
            rows = rows.filter(schooling=data["schooling"])
        if data["stage"]:
            stage = ChildLabourFinding.objects.filter(STAGES[data["stage"]]).values("pk")
            rows = rows.filter(pk__in=stage)
    page = Paginator(rows.order_by("-found_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "names_shown": _names_on_list(user, list(page)),
        "can_write": writes_findings(user),
    }
    return render(request, "labour/list.html", context)


def _names_on_list(user: Any, rows: list[ChildLabourFinding]) -> bool:
    """Names beside the references for users who may see identities in the
    finding's district; each name shown is an audited read."""
    shown = [r for r in rows if finding_access(user, r).identity]
    people = Person.objects.in_bulk([r.person_id for r in shown])
    for finding in shown:
        person = people[finding.person_id]
        names = (person.name_latin, person.name_urdu)
        finding.shown_name = " / ".join(n for n in names if n)  # type: ignore[attr-defined]
    # One audited read per name shown, written in one insert.
    audit_records(
        actor=user,
        action=AuditAction.VIEW,
        targets=[(f, f.district.code) for f in shown],
        reason="name on the child-labour list",
    )
    return bool(shown)


def _counts(request: HttpRequest) -> HttpResponse:
    rows = finding_counts(counted_findings_for_user(request.user))
    for row in rows:
        row["name"] = in_language(en=row["district__name_en"], ur=row["district__name_ur"])
    return render(request, "labour/counts.html", {"rows": rows})


@staff_view(Perm.VIEW_WORKSPACE)
def finding_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not writes_findings(user):
        return _refused_page(request, "may not record child-labour findings")
    districts = list(districts_for_user(user, Perm.MANAGE_CASES).order_by("name_en"))
    form = f.FindingForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            finding = s.finding_create(by=user, **data)
        except s.FindingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Finding %(ref)s recorded.") % {"ref": finding.reference})
            return redirect(_url(finding))
    back = reverse("cell:labour:list")
    context = {"form": form, "title": _("Record a child found working"), "back": back}
    return render(request, "labour/action.html", context)


def _url(finding: ChildLabourFinding, anchor: str = "") -> str:
    url = reverse("cell:labour:finding", args=[finding.reference])
    return f"{url}#{anchor}" if anchor else url


@staff_view(Perm.VIEW_WORKSPACE)
def finding_detail(request: HttpRequest, reference: str) -> HttpResponse:
    finding = finding_for_user(request.user, reference)
    access = finding_access(request.user, finding)
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        target=finding,
        area_code=finding.district.code,
        reason="child-labour finding with identity" if access.identity else "child-labour finding",
    )
    context = {
        "finding": finding,
        "access": access,
        "step_form": _step_form(finding) if access.write else None,
        "victim_form": f.VictimForm() if access.write and not finding.victim_record_id else None,
        "victim_url": _victim_url(request.user, finding),
        "checks": finding.attendance_checks.all(),
        "support": finding.family_support.all(),
        "steps": NextStep,
    }
    return render(request, "labour/detail.html", context)


def _victim_url(user: Any, finding: ChildLabourFinding) -> str:
    from ahtc.victims.selectors import records_for_user

    if finding.victim_record_id is None:
        return ""
    rows = records_for_user(user).filter(pk=finding.victim_record_id)
    number = rows.values_list("number", flat=True).first()
    return reverse("cell:victim", args=[number]) if number else ""


def _step_form(finding: ChildLabourFinding) -> forms.Form | None:
    step = finding.next_step
    if step == NextStep.WITHDRAW:
        return f.WithdrawForm()
    if step == NextStep.REFER:
        return f.ReferForm(finding=finding)
    if step == NextStep.ENROL:
        return f.EnrolForm()
    return None


def _action(
    request: HttpRequest,
    reference: str,
    *,
    build: Callable[[ChildLabourFinding, Any], forms.Form],
    handle: Callable[[ChildLabourFinding, dict[str, Any]], Any],
    title: str,
    done: str,
) -> HttpResponse:
    """A write on one finding: 404 outside the scope, 403 (audited) for readers."""
    finding = finding_for_user(request.user, reference)
    if not finding_access(request.user, finding).write:
        return refused(request, finding, "lacks write access to child-labour findings")
    form = build(finding, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            handle(finding, form.cleaned_data)
        except s.FindingError as exc:
            refused_if(request, finding, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(_url(finding))
    context = {"form": form, "title": title, "back": _url(finding), "finding": finding}
    return render(request, "labour/action.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def finding_edit(request: HttpRequest, reference: str) -> HttpResponse:
    def build(finding: ChildLabourFinding, data: Any) -> forms.Form:
        initial = {name: getattr(finding, name) for name in s.EDITABLE}
        return f.EditForm(data, initial=initial, districts=[finding.district])

    def handle(finding: ChildLabourFinding, data: dict[str, Any]) -> None:
        s.finding_update(finding=finding, by=request.user, changes=data)  # type: ignore[arg-type]

    return _action(
        request,
        reference,
        build=build,
        handle=handle,
        title=_("Correct the finding"),
        done=_("Saved."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def finding_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    def handle(finding: ChildLabourFinding, data: dict[str, Any]) -> None:
        s.finding_withdraw(finding=finding, by=request.user, **data)  # type: ignore[arg-type]

    return _action(
        request,
        reference,
        build=lambda finding, data: f.WithdrawForm(data),
        handle=handle,
        title=_("Withdrawn from work"),
        done=_("The withdrawal is recorded. Next: the referral."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def finding_refer(request: HttpRequest, reference: str) -> HttpResponse:
    def handle(finding: ChildLabourFinding, data: dict[str, Any]) -> None:
        s.finding_refer(finding=finding, by=request.user, **data)  # type: ignore[arg-type]

    return _action(
        request,
        reference,
        build=lambda finding, data: f.ReferForm(data, finding=finding),
        handle=handle,
        title=_("Referral to Child Protection and for schooling"),
        done=_("The referral is recorded. Next: the school enrolment."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def finding_enrol(request: HttpRequest, reference: str) -> HttpResponse:
    def handle(finding: ChildLabourFinding, data: dict[str, Any]) -> None:
        s.finding_enrol(finding=finding, by=request.user, **data)  # type: ignore[arg-type]

    return _action(
        request,
        reference,
        build=lambda finding, data: f.EnrolForm(data, initial=_enrol_initial(finding)),
        handle=handle,
        title=_("School enrolment"),
        done=_("The enrolment is recorded."),
    )


def _enrol_initial(finding: ChildLabourFinding) -> dict[str, Any]:
    return {
        "school_name": finding.school_name,
        "school_grade": finding.school_grade,
        "enrolled_on": finding.enrolled_on,
    }


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def finding_victim(request: HttpRequest, reference: str) -> HttpResponse:
    def handle(finding: ChildLabourFinding, data: dict[str, Any]) -> None:
        s.record_as_victim(
            finding=finding,
            by=request.user,  # type: ignore[arg-type]
            reason=s.CLASSIFIED_TRAFFICKING if data["classified"] else "",
            control_methods=data["control_methods"],
        )

    return _action(
        request,
        reference,
        build=lambda finding, data: f.VictimForm(data),
        handle=handle,
        title=_("Record as a victim of trafficking"),
        done=_("The protection record is opened and linked to this finding."),
    )


# --- the education authority ------------------------------------------------------------


@staff_view(Perm.VIEW_WORKSPACE)
def schooling_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not places_schools(user):
        return _refused_page(request, "not an education authority")
    rows = schooling_for_user(user).order_by("enrolled_on", "-referred_on", "pk")
    rows = rows.only(
        "reference", "age_years", "referred_on", "school_name", "school_grade", "enrolled_on"
    ).annotate(**last_attendance())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "labour/schooling.html", {"page": page})


def last_attendance() -> dict[str, Subquery]:
    """The latest term's attendance of each child (term and status)."""
    last = AttendanceCheck.objects.filter(finding=OuterRef("pk")).order_by("-checked_on", "-pk")
    return {
        "last_term": Subquery(last.values("term")[:1]),
        "last_status": Subquery(last.values("status")[:1]),
    }


@staff_view(Perm.VIEW_WORKSPACE)
def schooling_enrol(request: HttpRequest, reference: str) -> HttpResponse:
    user: Any = request.user
    if not places_schools(user):
        return _refused_page(request, "not an education authority")
    finding = schooling_finding_for_user(user, reference)
    form = f.EnrolForm(request.POST or None, initial=_enrol_initial(finding))
    if request.method == "POST" and form.is_valid():
        try:
            s.finding_enrol(finding=finding, by=user, **form.cleaned_data)
        except s.FindingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The enrolment is recorded."))
            return redirect("cell:labour:schooling")
    context = {
        "form": form,
        "title": _("School enrolment"),
        "back": reverse("cell:labour:schooling"),
        "finding": finding,
    }
    return render(request, "labour/action.html", context)
