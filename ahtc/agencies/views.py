"""Agency pages under /cell/agencies/: the registry list (riskiest first), an
agency with its licences, people, inspections, notices and links, and the
writes on it. Imports, the export and the enforcement list: io_views.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user
from ahtc.agencies import enforcement as e
from ahtc.agencies import forms as f
from ahtc.agencies import services as s
from ahtc.agencies.models import Agency, AgencyPerson, Inspection, Notice
from ahtc.agencies.names import licence_key, name_key
from ahtc.agencies.recruit_views import recruited
from ahtc.agencies.risk import risk_reasons, with_risk
from ahtc.agencies.selectors import (
    agencies_for_user,
    agency_access,
    agency_for_user,
    readable_q,
    reads_agencies,
    writes_agencies,
)
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.geography.models import Area, AreaLevel

PAGE_SIZE = 50


def refused_page(request: HttpRequest, why: str) -> HttpResponse:
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


def read_districts(user: Any) -> QuerySet[Area]:
    districts = Area.objects.current().of_level(AreaLevel.DISTRICT)
    return districts.filter(readable_q(user, "path")).order_by("name_en")


def filtered(user: Any, form: f.ListFilter) -> QuerySet[Agency]:
    rows = agencies_for_user(user)
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if data["district"] is not None:
        rows = rows.filter(district=data["district"])
    if data["status"]:
        rows = rows.filter(status=data["status"])
    if data["kind"]:
        rows = rows.filter(kind=data["kind"])
    if data["q"]:
        text = data["q"].strip()
        rows = rows.filter(
            Q(name_en__icontains=text)
            | Q(name_ur__icontains=text)
            | Q(name_key__contains=name_key(text))
            | Q(licences__number_key=licence_key(text) or "-")
        ).distinct()
    return rows


@staff_view(Perm.VIEW_WORKSPACE)
def agency_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not reads_agencies(user):
        return refused_page(request, "no access to the agency registry")
    form = f.ListFilter(request.GET or None, districts=read_districts(user))
    rows = with_risk(
        filtered(user, form).select_related("district", "tehsil"), timezone.localdate()
    )
    by_name = form.is_valid() and form.cleaned_data["order"] == "name"
    rows = rows.order_by("name_en", "pk") if by_name else rows.order_by("-risk", "name_en", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for agency in page:
        agency.reasons = risk_reasons(agency)
    context = {"form": form, "page": page, "can_write": writes_agencies(user)}
    return render(request, "agencies/list.html", context)


@staff_view(Perm.VIEW_WORKSPACE)
def agency_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not writes_agencies(user):
        return refused_page(request, "may not register agencies")
    districts = list(districts_for_user(user, Perm.MANAGE_CASES).order_by("name_en"))
    form = f.AgencyForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            agency = s.agency_create(by=user, **form.cleaned_data)
        except s.AgencyError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The agency is registered."))
            return redirect(agency_url(agency))
    context = {
        "form": form,
        "title": _("Register an agency"),
        "back": reverse("cell:agencies:list"),
    }
    return render(request, "agencies/action.html", context)


def agency_url(agency: Agency, anchor: str = "") -> str:
    url = reverse("cell:agencies:agency", args=[agency.pk])
    return f"{url}#{anchor}" if anchor else url


def _people(user: Any, agency: Agency, identity: bool) -> list[AgencyPerson]:
    """Owners and staff; their names only for users who may see identities in
    the district, each showing an audited read."""
    people = list(agency.people.select_related("person").order_by("role", "pk"))
    for row in people:
        row.shown_name = ""  # type: ignore[attr-defined]
        if identity:
            names = (row.person.name_latin, row.person.name_urdu)
            row.shown_name = " / ".join(n for n in names if n)  # type: ignore[attr-defined]
            audit_record(
                actor=user,
                action=AuditAction.VIEW,
                target=row.person,
                area_code=agency.district.code,
                reason=f"named as {row.role} of agency {agency.pk}",
            )
    return people


def _notices(agency: Agency) -> list[Notice]:
    notices = list(agency.notices.all())
    for notice in notices:
        notice.state = e.notice_state(notice, agency)  # type: ignore[attr-defined]
    return notices


def _cases(user: Any, agency: Agency) -> list[dict[str, Any]]:
    from ahtc.cases.selectors import cases_for_user

    links = agency.case_parties.select_related("party__case").order_by("-pk")
    visible = set(
        cases_for_user(user)
        .filter(parties__agency_link__agency=agency)
        .values_list("pk", flat=True)
    )
    return [
        {
            "reference": link.party.case.reference,
            "pseudonym": link.party.pseudonym,
            "role": link.party.get_role_display(),
            "open": link.party.case_id in visible,
            "method": link.get_method_display(),
        }
        for link in links
    ]


def _reports(user: Any, agency: Agency) -> list[dict[str, Any]]:
    from ahtc.portal.selectors import tips_for_user

    links = agency.reports.select_related("tip").order_by("-pk")
    visible = set(
        tips_for_user(user).filter(agency_links__agency=agency).values_list("pk", flat=True)
    )
    return [
        {
            "number": link.tip_id,
            "category": link.tip.get_category_display(),
            "open": link.tip_id in visible,
        }
        for link in links
    ]


@staff_view(Perm.VIEW_WORKSPACE)
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    agency = agency_for_user(user, pk)
    access = agency_access(user, agency)
    audit_record(actor=user, action=AuditAction.VIEW, target=agency, area_code=agency.district.code)
    scored = with_risk(Agency.objects.filter(pk=agency.pk), timezone.localdate()).get()
    agency = (
        Agency.objects.select_related("district", "tehsil")
        .prefetch_related(
            Prefetch("inspections", queryset=Inspection.objects.order_by("-on")),
            "inspections__photos",
        )
        .get(pk=agency.pk)
    )
    context = {
        "agency": agency,
        "access": access,
        "risk": scored.risk,
        "reasons": risk_reasons(scored),
        "people": _people(user, agency, access.identity),
        "notices": _notices(agency),
        "history": agency.status_changes.select_related("by"),
        "cases": _cases(user, agency),
        "reports": _reports(user, agency),
        "recruited": recruited(user, agency),
        "today": timezone.localdate(),
    }
    return render(request, "agencies/detail.html", context)


def action(
    request: HttpRequest,
    pk: int,
    *,
    build: Callable[[Agency, Any], forms.Form],
    handle: Callable[[Agency, dict[str, Any]], Any],
    title: str,
    done: str,
    anchor: str = "",
) -> HttpResponse:
    """A write on one agency: 404 outside the scope, 403 (audited) for readers."""
    agency = agency_for_user(request.user, pk)
    if not agency_access(request.user, agency).write:
        return refused(request, agency, "lacks write access to the agency registry")
    form = build(agency, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            handle(agency, form.cleaned_data)
        except s.AgencyError as exc:
            refused_if(request, agency, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(agency_url(agency, anchor))
    context = {"form": form, "title": title, "back": agency_url(agency), "agency": agency}
    return render(request, "agencies/action.html", context)


def _user(request: HttpRequest) -> Any:
    return request.user


@staff_view(Perm.VIEW_WORKSPACE)
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    def build(agency: Agency, data: Any) -> forms.Form:
        initial = {name: getattr(agency, name) for name in s.EDITABLE}
        return f.EditForm(data, initial=initial, districts=[agency.district])

    def handle(agency: Agency, data: dict[str, Any]) -> None:
        s.agency_update(agency=agency, by=_user(request), changes=data)

    return action(
        request, pk, build=build, handle=handle, title=_("Correct the agency"), done=_("Saved.")
    )


@staff_view(Perm.VIEW_WORKSPACE)
def agency_status(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        s.agency_status_set(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.StatusForm(data),
        handle=handle,
        title=_("Change the status"),
        done=_("The status is changed."),
        anchor="history",
    )


@staff_view(Perm.VIEW_WORKSPACE)
def licence_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        s.licence_add(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.LicenceForm(data),
        handle=handle,
        title=_("Record a licence"),
        done=_("The licence is recorded."),
        anchor="licences",
    )


@staff_view(Perm.VIEW_WORKSPACE)
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        s.agency_person_add(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.PersonForm(data),
        handle=handle,
        title=_("Record an owner or member of staff"),
        done=_("The person is recorded."),
        anchor="people",
    )


@staff_view(Perm.VIEW_WORKSPACE)
def phone_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        s.phone_add(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.PhoneForm(data),
        handle=handle,
        title=_("Record an office phone"),
        done=_("The phone is recorded."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def branch_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        s.branch_add(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.BranchForm(data, districts=[agency.district]),
        handle=handle,
        title=_("Record a branch"),
        done=_("The branch is recorded."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def inspection_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        e.inspection_record(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.InspectionForm(data),
        handle=handle,
        title=_("Record an inspection"),
        done=_("The inspection is recorded."),
        anchor="inspections",
    )


@staff_view(Perm.VIEW_WORKSPACE)
def notice_add(request: HttpRequest, pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        e.notice_serve(agency=agency, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.NoticeForm(data),
        handle=handle,
        title=_("Serve a notice"),
        done=_("The notice is recorded."),
        anchor="notices",
    )


@staff_view(Perm.VIEW_WORKSPACE)
def notice_comply(request: HttpRequest, pk: int, notice_pk: int) -> HttpResponse:
    def handle(agency: Agency, data: dict[str, Any]) -> None:
        notice = agency.notices.filter(pk=notice_pk).first()
        if notice is None:
            raise s.AgencyError(_("No such notice for this agency."))
        e.notice_comply(notice=notice, by=_user(request), **data)

    return action(
        request,
        pk,
        build=lambda agency, data: f.ComplyForm(data),
        handle=handle,
        title=_("Record compliance with the notice"),
        done=_("Compliance is recorded."),
        anchor="notices",
    )
