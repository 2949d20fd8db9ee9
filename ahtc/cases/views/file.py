"""The case file: opening a case, the case page, the route (timeline) and
the summary PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.models import OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, organisations_for_user
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.classification import Flag
from ahtc.cases.countries import COUNTRY_NAMES
from ahtc.cases.disclosure import partner_identities_shown
from ahtc.cases.exports import export_refused
from ahtc.cases.models import Case, ChallanItem, CustodyEntry, Party, Verdict
from ahtc.cases.selectors import CaseAccess, partner_identified_parties
from ahtc.cases.views._common import CASE_WORK, _action, _detail_url, _load, _post
from ahtc.core.audit import audit_export_refused, audit_record
from ahtc.core.models import AuditAction
from ahtc.portal.selectors import tips_for_user

# --- opening ------------------------------------------------------------------------


@staff_view(Perm.MANAGE_CASES)
def case_open(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    districts = districts_for_user(user, Perm.MANAGE_CASES)
    orgs = organisations_for_user(user).exclude(kind=OrganisationKind.POLICE_AHTC)
    tip = None
    tip_id = request.POST.get("tip") or request.GET.get("tip")
    if tip_id:
        tip = tips_for_user(user).filter(pk=tip_id if str(tip_id).isdigit() else 0).first()
        if tip is None:
            raise Http404
    initial: dict[str, Any] = {}
    if districts.count() == 1:
        initial["district"] = districts.first()
    if tip is not None:
        initial = {
            "district": tip.district,
            "origin": "tip",
            "tip": tip.pk,
            "title": tip.get_category_display(),
        }
    form = f.CaseOpenForm(request.POST or None, districts=districts, orgs=orgs, initial=initial)
    if tip is None or (tip.case_id is None and not tip.cases.exists()):
        del form.fields["split_reason"]  # asked only when the report has a case
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = s.case_open(
                district=data["district"],
                by=user,
                title=data["title"],
                origin=data["origin"],
                summary=data["summary"],
                tip=tip,
                referred_by=data["referred_by"],
                offence_date=data["offence_date"],
                split_reason=data.get("split_reason", ""),
            )
        except s.CaseError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Case %(ref)s opened.") % {"ref": case.reference})
            return redirect(_detail_url(case))
    return render(request, "cases/open.html", {"form": form, "tip": tip})


# --- the case page ----------------------------------------------------------------------


def _party_label(party: Party, access: CaseAccess, identified: bool = False) -> str:
    if party.person_id is None:
        return party.organisation_name
    if not (access.identity or identified):
        return party.pseudonym
    person = party.person
    assert person is not None  # noqa: S101 - person_id checked above
    names = " / ".join(n for n in (person.name_latin, person.name_urdu) if n)
    return f"{party.pseudonym}: {names}" if names else party.pseudonym


def _partner_details(party: Party) -> list[str]:
    """What the investigating agency or prosecutor is told about a person they
    act on: the other name forms, aliases, identifiers and the cell's note."""
    person = party.person
    if person is None:
        return []
    details = [
        f"{_('father or husband')}: {person.relative_name}" if person.relative_name else "",
        *(f"{i.get_kind_display()}: {i.value}" for i in person.identifiers.all()),
        *(f"{_('alias')}: {a.name}" for a in person.aliases.all()),
        party.note,
    ]
    return [d for d in details if d]


def _next_actions(case: Case, access: CaseAccess, challan: list[ChallanItem]) -> list[str]:
    """What the reader of the case page does next, in words."""
    actions: list[str] = []
    returned = sum(1 for item in challan if item.returned)
    to_review = sum(1 for item in challan if item.io_done_at and not item.prosecutor_ok_at)
    if case.run_by_agency and not access.proceedings:
        agency = case.proceedings_organisation.name if case.proceedings_organisation else ""
        actions.append(
            _("%(agency)s runs the proceedings since the transfer; its progress shows below.")
            % {"agency": agency}
        )
    if access.proceedings and case.run_by_agency and case.status == "transferred_fia":
        actions.append(
            _("Record your FIR (PTPA, PSMA or Emigration Ordinance), then move the case on.")
        )
    if access.proceedings and returned:
        actions.append(
            ngettext(
                "The prosecutor returned %(n)d challan item: answer the objection in the "
                "checklist; the case stays where it is.",
                "The prosecutor returned %(n)d challan items: answer each objection in the "
                "checklist; the case stays where it is.",
                returned,
            )
            % {"n": returned}
        )
    if access.prosecute and to_review:
        actions.append(
            ngettext(
                "%(n)d challan item waits for your review.",
                "%(n)d challan items wait for your review.",
                to_review,
            )
            % {"n": to_review}
        )
    return actions


@staff_view(CASE_WORK)
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    identified = partner_identified_parties(request.user, case, access)
    parties = list(
        case.parties.select_related("person", "person__protection", "case").prefetch_related(
            "arrests",
            *(("person__identifiers", "person__aliases") if identified else ()),
        )
    )
    for party in parties:
        shown = party.pk in identified
        party.label = _party_label(party, access, shown)  # type: ignore[attr-defined]
        party.details = _partner_details(party) if shown else []  # type: ignore[attr-defined]
    why = "case file with identities" if access.identity else "case file (pseudonyms)"
    if identified:
        why = f"case file with {len(identified)} identities for a partner agency"
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        target=case,
        area_code=case.district.code,
        reason=why,
    )
    partner_identities_shown(
        actor=request.user, case=case, parties=[p for p in parties if p.pk in identified]
    )
    challan = list(s.challan_items(case))
    decision = case.decisions.select_related("decided_by").prefetch_related("provisions").first()
    problems = {to: s.transition_problems(case, to) for to in s.allowed_transitions(case)}
    consent_missing = {
        to: [p.pseudonym for p in s.missing_consent(case, purpose)]
        for to, purpose in s.CONSENT_FOR.items()
        if to in problems
    }
    events = list(case.events.select_related("area"))
    for event in events:
        event.country_name = COUNTRY_NAMES.get(event.country, event.country)  # type: ignore[attr-defined]
    handovers = list(case.handovers.select_related("to_user", "to_organisation", "by"))
    for handover in handovers:
        handover.answerable = s.may_answer(handover, request.user)  # type: ignore[attr-defined]
    context = {
        "case": case,
        "access": access,
        "parties": parties,
        "events": events,
        "route": [COUNTRY_NAMES.get(c, c) for c in s.case_route(case)],
        "paid_total": sum(e.amount_pkr or 0 for e in events),
        "decision": decision,
        "flags": [Flag(x).label for x in (decision.flags if decision else [])],
        "problems": problems,
        "consent_missing": consent_missing,
        "firs": case.firs.select_related("police_station", "organisation").prefetch_related(
            "provisions"
        ),
        "challan": challan,
        "next_actions": _next_actions(case, access, challan),
        "closed": case.is_closed and not (case.run_by_agency and case.status == "transferred_fia"),
        "hearings": case.hearings.select_related("organisation"),
        "verdicts": Verdict.objects.filter(party__case=case)
        .select_related("provision", "party__case", "organisation")
        .order_by("date", "pk"),
        "consents": case.consents.select_related("party", "organisation"),
        "shares": case.shares.select_related("organisation"),
        "handovers": handovers,
        "evidence": case.evidence.prefetch_related(
            Prefetch("custody", CustodyEntry.objects.select_related("by"))
        ),
        "tasks": case.tasks.select_related("assignee"),
        "history": case.status_changes.select_related("by")[:20],
        "today": timezone.localdate(),
        "transition_form": f.TransitionForm(allowed=s.allowed_transitions(case)),
    }
    return render(request, "cases/detail.html", context)


@staff_view(CASE_WORK)
def event_add(request: HttpRequest, reference: str) -> HttpResponse:
    def build(case: Case, access: CaseAccess, request: HttpRequest) -> Any:
        from ahtc.geography.models import Area, AreaLevel

        districts = Area.objects.filter(level=AreaLevel.DISTRICT, valid_to__isnull=True)
        return f.EventForm(_post(request)[0], districts=districts.order_by("name_en"))

    return _action(
        request,
        reference,
        need="manage",
        build=build,
        handle=lambda case, d, a, r: s.event_add(case=case, by=r.user, **d),
        title=_("Add a step of the route"),
        anchor="timeline",
        done=_("Timeline updated."),
    )


@staff_view(CASE_WORK)
def summary_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    from ahtc.cases.exports import case_summary_pdf, identity_refusal

    case, access = _load(request, reference)
    district = case.district.code
    # The cell, the prosecutor, and the agency running the proceedings (FIA
    # after a transfer); other partners read the page only.
    if not (access.manage or access.prosecute or access.agency_runs):
        why = "lacks case access: summary"
        return export_refused(request, kind="summary PDF", why=why, target=case, area_code=district)
    with_identity = request.GET.get("identity") == "1"
    # Asked for names it may not have: refused (audited), served without them.
    why = identity_refusal(case, access) if with_identity else ""
    if why:
        audit_export_refused(
            actor=request.user,
            kind="summary PDF with identities",
            why=why,
            target=case,
            area_code=district,
        )
    identity = with_identity and not why
    return case_summary_pdf(request=request, case=case, access=access, identity=identity)
