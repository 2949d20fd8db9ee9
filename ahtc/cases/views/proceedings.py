"""Proceedings: status moves, FIR (the cell's or the agency's), arrests, the
challan checklist, hearings, verdicts and compensation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.models import SUSPECT_ROLES, Case, LegalProvision, Party, Verdict
from ahtc.cases.selectors import CaseAccess
from ahtc.cases.views._common import CASE_WORK, _action, _detail_url, _in_case, _load, _post
from ahtc.geography.models import PoliceStation


@require_POST
@staff_view(CASE_WORK)
def transition(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    if not (access.proceedings or access.prosecute):
        return refused(request, case, "lacks case access: transition")
    form = f.TransitionForm(request.POST, allowed=s.allowed_transitions(case))
    if not form.is_valid():
        messages.error(request, _("Choose where the case goes next."))
        return redirect(_detail_url(case, "next"))
    data = form.cleaned_data
    try:
        s.case_transition(
            case=case,
            to=data["to"],
            by=request.user,
            note=data["note"],
            as_prosecutor=not access.proceedings,
            override_consent=data["override_consent"],
        )
    except s.CaseError as exc:
        refused_if(request, case, exc)
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Status changed."))
    return redirect(_detail_url(case, "next"))


def _suspects(case: Case) -> QuerySet[Party]:
    return case.parties.filter(role__in=[str(r) for r in SUSPECT_ROLES]).select_related("case")


def _decided_provisions(case: Case, offered: QuerySet[LegalProvision]) -> list[int]:
    """The FIR starts from the sections decided at classification (those still
    offered for the offence date); the officer can change them."""
    decision = case.decisions.first()
    if decision is None:
        return []
    decided = offered.filter(pk__in=decision.provisions.values("pk"))
    return list(decided.values_list("pk", flat=True))


@staff_view(CASE_WORK)
def fir_add(request: HttpRequest, reference: str) -> HttpResponse:
    def build(case: Case, access: CaseAccess, request: HttpRequest) -> Any:
        stations = PoliceStation.objects.filter(
            tehsil__path__startswith=case.district.path, is_active=True
        ).order_by("name_en")
        if case.run_by_agency:
            circle = case.proceedings_organisation.name if case.proceedings_organisation else ""
            return f.AgencyFirForm(
                _post(request)[0], provisions=s.agency_fir_provisions(case), circle=circle
            )
        offered = s.offered_provisions(case)
        decided = _decided_provisions(case, offered)
        return f.FirForm(
            _post(request)[0],
            stations=stations,
            provisions=offered,
            decided=decided,
            initial={"provisions": decided},
        )

    def handle(case: Case, d: dict[str, Any], a: CaseAccess, r: HttpRequest) -> Any:
        codes = [p.code for p in d["provisions"]]
        if case.run_by_agency:
            return s.agency_fir_add(
                case=case,
                by=r.user,
                number=d["number"],
                date=d["date"],
                station=d["station"],
                provision_codes=codes,
            )
        return s.fir_add(
            case=case,
            by=r.user,
            number=d["number"],
            date=d["date"],
            police_station=d["police_station"],
            provision_codes=codes,
        )

    return _action(
        request,
        reference,
        need="proceedings",
        build=build,
        handle=handle,
        title=_("Record the FIR"),
        anchor="proceedings",
        done=_("FIR recorded."),
    )


@staff_view(CASE_WORK)
def arrest_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="proceedings",
        build=lambda c, a, r: f.ArrestForm(_post(r)[0], parties=_suspects(c)),
        handle=lambda case, d, a, r: s.arrest_add(
            party=d["party"], by=r.user, date=d["date"], bail_granted=d["bail_granted"]
        ),
        title=_("Record an arrest"),
        anchor="proceedings",
        done=_("Arrest recorded."),
    )


@require_POST
@staff_view(CASE_WORK)
def challan_action(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    form = f.ChallanActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was changed."))
        return redirect(_detail_url(case, "challan"))
    data = form.cleaned_data
    action = data["action"]
    if (action == "io_done" and not access.proceedings) or (
        action != "io_done" and not access.prosecute
    ):
        return refused(request, case, f"lacks case access: challan {action}")
    item = s.challan_items(case).filter(kind=data["kind"]).first()
    if item is None:
        raise Http404
    try:
        if action == "io_done":
            s.challan_io_done(
                item=item,
                by=request.user,
                override_consent=data["override_consent"],
                reason=data["reason"],
                answer=data["answer"],
            )
        else:
            s.challan_prosecutor_answer(
                item=item, by=request.user, accept=action == "accept", objection=data["objection"]
            )
    except s.CaseError as exc:
        refused_if(request, case, exc)
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Checklist updated."))
    return redirect(_detail_url(case, "challan"))


@staff_view(CASE_WORK)
def challan_answer(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """The IO answers an item the prosecutor returned, whatever the case's
    status; a refusal keeps the answer typed."""
    case, _access = _load(request, reference)
    item = s.challan_items(case).filter(kind=kind).first()
    if item is None:
        raise Http404

    def handle(case: Case, d: dict[str, Any], a: CaseAccess, r: HttpRequest) -> Any:
        return s.challan_io_done(
            item=item,
            by=r.user,
            answer=d["answer"],
            override_consent=d.get("override_consent", False),
            reason=d.get("reason", ""),
        )

    return _action(
        request,
        reference,
        need="proceedings",
        build=lambda c, a, r: f.ChallanAnswerForm(_post(r)[0], may_override=a.override_consent),
        handle=handle,
        title=_("Answer the prosecutor's objection"),
        anchor="challan",
        done=_("Answer sent; the prosecutor reviews the item again."),
        extra={"challan_item": item},
    )


@staff_view(CASE_WORK)
def hearing_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="court_work",
        build=lambda c, a, r: f.HearingForm(_post(r)[0]),
        handle=lambda case, d, a, r: s.hearing_add(case=case, by=r.user, **d),
        title=_("Record a hearing"),
        anchor="proceedings",
        done=_("Hearing recorded."),
    )


@staff_view(CASE_WORK)
def verdict_add(request: HttpRequest, reference: str) -> HttpResponse:
    def build(case: Case, access: CaseAccess, request: HttpRequest) -> Any:
        in_fir = LegalProvision.objects.filter(fir__case=case).distinct()
        return f.VerdictForm(_post(request)[0], parties=_suspects(case), provisions=in_fir)

    return _action(
        request,
        reference,
        need="court_work",
        build=build,
        handle=lambda case, d, a, r: s.verdict_add(by=r.user, **d),
        title=_("Record a verdict"),
        anchor="proceedings",
        done=_("Verdict recorded."),
    )


@staff_view(CASE_WORK)
def compensation_update(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage_or_prosecute:
        return refused(request, case, "lacks case access: manage_or_prosecute")
    verdict = _in_case(request, Verdict, pk, party__case=case)
    return _action(
        request,
        reference,
        need="manage_or_prosecute",
        build=lambda c, a, r: f.CompensationForm(
            _post(r)[0], initial={"amount_pkr": verdict.compensation_paid_pkr}
        ),
        handle=lambda case, d, a, r: s.compensation_paid(
            verdict=verdict, by=r.user, amount_pkr=d["amount_pkr"]
        ),
        title=_("Record compensation paid"),
        anchor="proceedings",
        done=_("Compensation payment recorded."),
    )
