"""Enforcement pages: workshops (register, correct, inspect), inspections with
their follow-ups, notices and compliance, owners' meetings and undertakings
(the 20% wage rise is met only by a wage seen at or above its target).

Writers are the registry's (cell staff and the Labour Department's liaisons
of the district); a reader who tries to record gets 403, audited; a place
outside the user's scope is a 404, audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.errors import RuleError
from ahtc.labour import forms_registry as f
from ahtc.labour import services as s
from ahtc.labour.models import BrickKiln, Inspection, OwnerMeeting, UndertakingKind, Workshop
from ahtc.labour.selectors import (
    inspection_for_user,
    kiln_for_user,
    notice_for_user,
    registry_districts,
    workshop_for_user,
)
from ahtc.labour.views.findings import _refused_page
from ahtc.labour.views.workers import _form_page, _refuse_write, place_url


def _place(inspection: Inspection) -> BrickKiln | Workshop:
    place = inspection.kiln or inspection.workshop
    assert place is not None  # noqa: S101 - one place per inspection (a constraint)
    return place


def place_inspection(
    request: HttpRequest, place: BrickKiln | Workshop, **where: Any
) -> HttpResponse:
    """Record an inspection (or a follow-up of an earlier one) of a kiln or workshop."""
    if (refusal := _refuse_write(request, place, place.district)) is not None:
        return refusal
    earlier = place.inspections.order_by("-inspected_on", "-pk")
    form = f.PlaceInspectionForm(request.POST or None, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        try:
            s.inspection_record(by=request.user, **where, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The inspection is recorded."))
            return redirect(place_url(place))
    title = _("Record an inspection")
    return _form_page(
        request, {"form": form, "title": title, "back": place_url(place), "place": place}
    )


@staff_view(Perm.VIEW_WORKSPACE)
def workshop_inspection(request: HttpRequest, reference: str) -> HttpResponse:
    workshop = workshop_for_user(request.user, reference)
    return place_inspection(request, workshop, workshop=workshop)


@staff_view(Perm.VIEW_WORKSPACE)
def workshop_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    districts = registry_districts(user)
    if not districts:
        return _refused_page(request, "may not record in the labour registry")
    form = f.WorkshopForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            shop = s.workshop_create(by=user, **form.cleaned_data)
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Workshop %(ref)s registered.") % {"ref": shop.reference})
            return redirect(place_url(shop))
    title = _("Register a workshop")
    back = reverse("cell:labour:workshops")
    return _form_page(request, {"form": form, "title": title, "back": back})


@staff_view(Perm.VIEW_WORKSPACE)
def workshop_edit(request: HttpRequest, reference: str) -> HttpResponse:
    workshop = workshop_for_user(request.user, reference)
    if (refusal := _refuse_write(request, workshop, workshop.district)) is not None:
        return refusal
    initial = {
        "kind": workshop.kind,
        "tehsil": workshop.tehsil_id,
        "name": workshop.name,
        "location": workshop.location,
    }
    form = f.WorkshopEditForm(request.POST or None, initial=initial, districts=[workshop.district])
    if request.method == "POST" and form.is_valid():
        try:
            s.workshop_update(workshop=workshop, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The workshop is corrected."))
            return redirect(place_url(workshop))
    title = _("Correct the workshop")
    back = place_url(workshop)
    return _form_page(request, {"form": form, "title": title, "back": back, "place": workshop})


@staff_view(Perm.VIEW_WORKSPACE)
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = inspection_for_user(request.user, pk)
    place = _place(inspection)
    if (refusal := _refuse_write(request, inspection, inspection.district)) is not None:
        return refusal
    form = f.NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.notice_issue(inspection=inspection, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The notice is recorded."))
            return redirect(place_url(place))
    explain = [
        _("After the %(kind)s of %(day)s. The deadline is on or after the notice.")
        % {"kind": inspection.get_kind_display(), "day": inspection.inspected_on.isoformat()}
    ]
    title = _("Issue a notice")
    context = {"form": form, "title": title, "back": place_url(place), "explain": explain}
    return _form_page(request, context)


@staff_view(Perm.VIEW_WORKSPACE)
def notice_complied(request: HttpRequest, pk: int) -> HttpResponse:
    notice = notice_for_user(request.user, pk)
    place = _place(notice.inspection)
    if (refusal := _refuse_write(request, notice, notice.inspection.district)) is not None:
        return refusal
    form = f.NoticeCompliedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.notice_complied(notice=notice, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Compliance with the notice is recorded."))
            return redirect(place_url(place))
    explain = [
        _("Notice: %(about)s, comply by %(day)s.")
        % {"about": notice.about, "day": notice.comply_by.isoformat()}
    ]
    title = _("Record compliance with a notice")
    context = {"form": form, "title": title, "back": place_url(place), "explain": explain}
    return _form_page(request, context)


@staff_view(Perm.VIEW_WORKSPACE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    districts = registry_districts(user)
    if not districts:
        return _refused_page(request, "may not record in the labour registry")
    form = f.MeetingForm(request.POST or None, districts=districts)
    if request.method == "POST" and form.is_valid():
        try:
            s.owner_meeting_record(by=user, **form.cleaned_data)
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("The meeting is recorded. Record each owner's undertaking on the kiln.")
            )
            return redirect("cell:labour:kilns")
    title = _("Record an owners' meeting")
    back = reverse("cell:labour:kilns")
    return _form_page(request, {"form": form, "title": title, "back": back})


@staff_view(Perm.VIEW_WORKSPACE)
def undertaking_add(request: HttpRequest, reference: str) -> HttpResponse:
    kiln = kiln_for_user(request.user, reference)
    if (refusal := _refuse_write(request, kiln, kiln.district)) is not None:
        return refusal
    meetings = OwnerMeeting.objects.filter(district=kiln.district).order_by("-held_on")
    initial = {"kind": UndertakingKind.RAISE_WAGES, "basis": "monthly", "increase_percent": 20}
    form = f.UndertakingForm(request.POST or None, initial=initial, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        try:
            s.undertaking_record(kiln=kiln, by=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except RuleError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The undertaking is recorded."))
            return redirect(place_url(kiln))
    explain = [
        _(
            "A wage rise promises the wage before plus the percentage, to the rupee. It is "
            "met only by evidence of payment: the first wage seen on or after the day it "
            "was given that reaches the target."
        )
    ]
    title = _("Record an owner's undertaking")
    context = {"form": form, "title": title, "back": place_url(kiln), "explain": explain}
    return _form_page(request, context)
