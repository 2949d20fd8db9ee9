"""Needs, the support plan and follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.roles import Perm
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import FollowUp, PlanStatus, SupportPlanItem
from ahtc.victims.selectors import record_access, record_for_user
from ahtc.victims.views.base import _in_record, _post, _record_action, _record_url


@staff_view(Perm.VIEW_WORKSPACE)
def needs_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.NeedsForm(_post(r)),
        handle=lambda rec, d, r: s.needs_assess(record=rec, by=r.user, **d),
        title=_("Assess the victim's needs"),
        anchor="plan",
        done=_("Needs recorded; the support plan has an item for each new need."),
    )


@staff_view(Perm.VIEW_WORKSPACE)
def plan_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.PlanItemForm(_post(r)),
        handle=lambda rec, d, r: s.plan_item_add(record=rec, by=r.user, **d),
        title=_("Add to the support plan"),
        anchor="plan",
        done=_("Support plan updated."),
    )


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def plan_status(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    if not record_access(request.user, record).manage:
        return refused(request, record, "lacks record access: manage")
    item = _in_record(request, SupportPlanItem, pk, record=record)
    status = request.POST.get("status", "")
    if status not in PlanStatus.values:
        raise Http404
    try:
        s.plan_item_set_status(item=item, by=request.user, status=status)
    except s.VictimError as exc:
        messages.error(request, exc.message)
    return redirect(_record_url(record, "plan"))


@staff_view(Perm.VIEW_WORKSPACE)
def follow_up_done(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    follow_up = _in_record(request, FollowUp, pk, record=record)
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.FollowUpForm(_post(r), initial={"done_on": timezone.localdate()}),
        handle=lambda rec, d, r: s.follow_up_done(follow_up=follow_up, by=r.user, **d),
        title=_("Record the follow-up"),
        anchor="follow-up",
        done=_("Follow-up recorded."),
    )
