"""Sharing with partner agencies and handovers (assign, transfer, refer)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, staff_view
from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.models import Case, CaseShare, Handover
from ahtc.cases.selectors import CaseAccess, cases_for_user
from ahtc.cases.views._common import (
    CASE_WORK,
    _action,
    _detail_url,
    _in_case,
    _load,
    _partner_orgs,
    _post,
    _staff_in,
)
from ahtc.core.confirm import confirmed, unconfirmed


@staff_view(CASE_WORK)
def share_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="cell",
        build=lambda c, a, r: f.ShareForm(_post(r)[0], orgs=_partner_orgs(r.user)),
        handle=lambda case, d, a, r: s.case_share(case=case, by=r.user, **d),
        title=_("Share with a partner agency"),
        anchor="sharing",
        done=_("Shared."),
    )


@require_POST
@staff_view(CASE_WORK)
def share_revoke(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.cell:
        return refused(request, case, "lacks case access: cell")
    share = _in_case(request, CaseShare, pk, case=case)
    if not confirmed(request):
        return unconfirmed(request, _detail_url(case, "sharing"))
    s.share_revoke(share=share, by=request.user)
    messages.success(request, _("Sharing ended. The agency no longer sees the case."))
    return redirect(_detail_url(case, "sharing"))


@staff_view(CASE_WORK)
def handover_add(request: HttpRequest, reference: str) -> HttpResponse:
    def build(case: Case, access: CaseAccess, request: HttpRequest) -> Any:
        officers = _staff_in(case, (Perm.INVESTIGATE, Perm.MANAGE_CASES))
        orgs = (
            Organisation.objects.filter(is_active=True)
            .exclude(area=case.district, kind=OrganisationKind.POLICE_AHTC)
            .filter(
                Q(kind=OrganisationKind.POLICE_AHTC, area__level="district")
                | Q(pk__in=_partner_orgs(request.user))
            )
            .order_by("kind", "name_en")
        )
        return f.HandoverForm(_post(request)[0], officers=officers, orgs=orgs)

    return _action(
        request,
        reference,
        need="cell",
        build=build,
        handle=lambda case, d, a, r: s.handover_create(case=case, by=r.user, **d),
        title=_("Assign, transfer or refer"),
        anchor="sharing",
        done=_("Sent. The receiver must accept it."),
    )


@staff_view(CASE_WORK)
def handover_answer(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, _access = _load(request, reference)
    handover = _in_case(request, Handover, pk, case=case)
    if not s.may_answer(handover, request.user):
        return refused(request, case, "handover not addressed to the user")
    form = f.AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            s.handover_answer(
                handover=handover,
                by=request.user,
                accept=form.cleaned_data["accept"],
                reason=form.cleaned_data["reason"],
            )
        except s.CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Answer recorded."))
            if form.cleaned_data["accept"] or case_for_user_or_none(request.user, case):
                return redirect(_detail_url(case, "sharing"))
            return redirect("cell:cases")
    context = {
        "case": case,
        "form": form,
        "handover": handover,
        "title": _("Answer the handover"),
        "anchor": "sharing",
    }
    return render(request, "cases/action.html", context)


def case_for_user_or_none(user: Any, case: Case) -> Case | None:
    return cases_for_user(user).filter(pk=case.pk).first()
