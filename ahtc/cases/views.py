"""Case workspace pages (under /cell/cases/). Thin: access, forms, services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import refused, refused_if, staff_view
from ahtc.accounts.models import Organisation, OrganisationKind, RoleAssignment, User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import districts_for_user, organisations_for_user, user_scope
from ahtc.cases import forms as f
from ahtc.cases import services as s
from ahtc.cases.classification import Classification, Flag, suggest
from ahtc.cases.countries import COUNTRY_NAMES
from ahtc.cases.exports import export_refused
from ahtc.cases.models import (
    CLOSED_STATUSES,
    SUSPECT_ROLES,
    Case,
    CaseShare,
    ChallanItem,
    Consent,
    CustodyEntry,
    Evidence,
    Handover,
    HandoverStatus,
    LegalProvision,
    Party,
    PartyRole,
    SavedSearch,
    Task,
    Verdict,
)
from ahtc.cases.selectors import (
    CaseAccess,
    case_access,
    case_for_user,
    cases_for_user,
    challan_returned_for_user,
    hearings_due_for_user,
    managed_cases_q,
    partner_identified_parties,
    tasks_due_for_user,
)
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_export_refused, audit_record
from ahtc.core.confirm import confirmed, unconfirmed
from ahtc.core.models import AuditAction
from ahtc.core.uploads import SealedUpload, accepts_files, evidence_limits
from ahtc.geography.models import PoliceStation
from ahtc.people.models import IdentifierKind, Person
from ahtc.people.normalise import IdentifierError
from ahtc.people.services import people_with_identifier, person_create
from ahtc.portal.selectors import tips_for_user

CASE_WORK = Perm.VIEW_WORKSPACE


def _in_case(request: HttpRequest, model: Any, pk: Any, **in_case: Any) -> Any:
    """An object of this case by pk: 404 otherwise, audited when it exists elsewhere."""
    return get_scoped_or_404(
        user=request.user, scoped=model._default_manager.filter(**in_case), pk=pk
    )


def _detail_url(case: Case, anchor: str = "") -> str:
    url = reverse("cell:case", args=[case.reference])
    return f"{url}#{anchor}" if anchor else url


# --- lists ------------------------------------------------------------------------


def _filtered_cases(user: Any, form: f.CaseFilter) -> QuerySet[Case]:
    rows = cases_for_user(user)
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or "mine"
    if view == "mine":
        rows = rows.filter(
            Q(lead_officer=user)
            | Q(opened_by=user)
            | Q(tasks__assignee=user, tasks__done_at__isnull=True)
        )
    elif view == "shared" and user.organisation_id:
        rows = rows.filter(
            shares__organisation_id=user.organisation_id, shares__revoked_at__isnull=True
        )
    if data.get("q"):
        rows = rows.filter(reference__icontains=data["q"].strip())
    for name in ("status", "classification", "agency", "origin", "year"):
        if data.get(name):
            rows = rows.filter(**{name: data[name]})
    if data.get("open_only"):
        rows = rows.exclude(status__in=CLOSED_STATUSES)
    if data.get("overdue"):
        rows = rows.filter(
            Exists(
                Task.objects.filter(
                    case=OuterRef("pk"), done_at__isnull=True, due__lt=timezone.localdate()
                )
            )
        )
    return (
        rows.distinct()
        .select_related("district", "lead_officer")
        .annotate(
            overdue_tasks=Coalesce(
                Subquery(
                    Task.objects.filter(
                        case=OuterRef("pk"), done_at__isnull=True, due__lt=timezone.localdate()
                    )
                    .order_by()
                    .values("case")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            )
        )
        .order_by("-year", "-number")
    )


@staff_view(CASE_WORK)
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    scope = user_scope(user)
    export = request.GET.get("export")
    if not any(
        scope.has_perm_anywhere(p)
        for p in (Perm.MANAGE_CASES, Perm.INVESTIGATE, Perm.VIEW_SHARED, Perm.PROSECUTE)
    ):
        if export in {"csv", "xlsx"}:
            why = "no access to case lists"
            return export_refused(
                request, kind=f"case list {export}", why=why, object_type="cases.case"
            )
        return render(request, "cell/forbidden.html", status=403)
    params = request.GET.copy()
    if "view" not in params and not scope.has_perm_anywhere(Perm.INVESTIGATE):
        params["view"] = "district" if scope.has_perm_anywhere(Perm.MANAGE_CASES) else "shared"
    form = f.CaseFilter(params)
    rows = _filtered_cases(user, form)
    if export in {"csv", "xlsx"}:
        from ahtc.jobs.exports import case_list_export_start

        if not scope.has_perm_anywhere(Perm.EXPORT):
            return export_refused(
                request,
                kind=f"case list {export}",
                why=f"lacks permission {Perm.EXPORT}",
                object_type="cases.case",
            )
        # Made by a background job; its page shows progress, then the download.
        filters = params.copy()
        for name in ("export", "page"):
            filters.pop(name, None)
        return redirect(case_list_export_start(user=user, query=filters.urlencode(), fmt=export))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in params.items() if k not in {"page", "export"} and v])
    pending = (
        Handover.objects.filter(status=HandoverStatus.PENDING, case__in=cases_for_user(user))
        .filter(Q(to_user=user) | Q(to_organisation_id=user.organisation_id or 0))
        .select_related("case")
    )
    context = {
        "form": form,
        "page": page,
        "query": query,
        "saved": SavedSearch.objects.filter(user=user),
        "save_form": f.SavedSearchForm(),
        "can_open": scope.has_perm_anywhere(Perm.MANAGE_CASES),
        "can_export": scope.has_perm_anywhere(Perm.EXPORT),
        "pending": pending,
    }
    return render(request, "cases/list.html", context)


@require_POST
@staff_view(CASE_WORK)
def saved_search(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if "delete" in request.POST:
        SavedSearch.objects.filter(user=user, pk=request.POST.get("delete") or 0).delete()
        return redirect("cell:cases")
    form = f.SavedSearchForm(request.POST)
    query = request.POST.get("query", "")[:500]
    if form.is_valid():
        s.saved_search_save(user=user, name=form.cleaned_data["name"], query=query)
        messages.success(request, _("Search saved."))
    else:
        messages.error(request, _("Give the search a name."))
    return redirect(f"{reverse('cell:cases')}?{query}")


@staff_view(CASE_WORK)
def due(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    today = timezone.localdate()
    tasks = list(tasks_due_for_user(user, within_days=7))
    context = {
        "overdue": [t for t in tasks if t.due < today],
        "soon": [t for t in tasks if t.due >= today],
        "hearings": hearings_due_for_user(user),
        "returned": challan_returned_for_user(user)[:100],
        "today": today,
    }
    return render(request, "cases/due.html", context)


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


def _load(request: HttpRequest, reference: str) -> tuple[Case, CaseAccess]:
    case = case_for_user(request.user, reference)
    return case, case_access(request.user, case)


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


def _identities_shown(request: HttpRequest, case: Case, parties: list[Party]) -> None:
    """One audit row per person whose identity a partner agency is shown."""
    for party in parties:
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            target=party.person,
            area_code=case.district.code,
            reason=f"identity shown to a partner agency in case {case.reference} "
            f"as {'suspect' if party.is_suspect else 'victim, with identity consent'}",
        )


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
    _identities_shown(request, case, [p for p in parties if p.pk in identified])
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


# --- actions -------------------------------------------------------------------------

Handler = Callable[[Case, dict[str, Any], CaseAccess, HttpRequest], Any]


def _action(
    request: HttpRequest,
    reference: str,
    *,
    need: str,
    build: Callable[[Case, CaseAccess, HttpRequest], Any],
    handle: Handler,
    title: str,
    anchor: str,
    done: str,
    template: str = "cases/action.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    case, access = _load(request, reference)
    if not getattr(access, need):
        return refused(request, case, f"lacks case access: {need}")
    form = build(case, access, request)
    if request.method == "POST" and form.is_valid():
        try:
            handle(case, form.cleaned_data, access, request)
        except s.CaseError as exc:
            refused_if(request, case, exc)
            form.add_error(None, exc.message)
        except IdentifierError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect(_detail_url(case, anchor))
    context = {"case": case, "form": form, "title": title, "anchor": anchor, **(extra or {})}
    return render(request, template, context)


def _post(request: HttpRequest) -> tuple[Any, Any]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _staff_in(case: Case, perms: tuple[Perm, ...]) -> QuerySet[User]:
    """Active users holding one of `perms` in an area that covers the district."""
    covering = [code for code in case.district.path.split("/") if code]
    held = RoleAssignment.objects.current().filter(
        area__code__in=covering,
        role__in=[r for r, spec in _role_specs().items() if spec.permissions & set(perms)],
    )
    return User.objects.filter(is_active=True, pk__in=held.values("user_id")).order_by("username")


def _role_specs() -> dict[Any, Any]:
    from ahtc.accounts.roles import ROLES

    return ROLES


def _partner_orgs(user: Any) -> QuerySet[Organisation]:
    return organisations_for_user(user).exclude(kind=OrganisationKind.POLICE_AHTC)


@staff_view(CASE_WORK)
def party_add(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    search = f.PersonSearchForm(request.GET or None)
    found = _people_found(request.user, case, search) if search.is_valid() else []

    @transaction.atomic  # the person, their identifiers and the party: all or nothing
    def handle(case: Case, data: dict[str, Any], access: CaseAccess, request: HttpRequest) -> Any:
        user: Any = request.user
        person = None
        if data.get("person"):
            person = _picked_person(data["person"], case)
            if person is None:
                raise s.CaseError(_("That person is not available; search again."))
        elif data.get("name_latin") or data.get("name_urdu"):
            raw_aliases = data.get("aliases", "").replace("،", ",")  # Urdu comma too
            person = person_create(
                source_district=case.district,
                by=user,
                name_latin=data["name_latin"],
                name_urdu=data["name_urdu"],
                relative_name=data["relative_name"],
                sex=data["sex"],
                age_years=data["age_years"],
                birth_date=data.get("birth_date"),
                identifiers={k: data[k] for k in IdentifierKind.values if data.get(k)},
                aliases=[a.strip() for a in raw_aliases.split(",") if a.strip()],
            )
        return s.party_add(
            case=case,
            by=user,
            role=data["role"],
            person=person,
            organisation_name="" if person else data["organisation_name"],
            note=data["note"],
        )

    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.PartyForm(
            _post(r)[0], initial={"person": r.GET.get("person"), "role": r.GET.get("role")}
        ),
        handle=handle,
        title=_("Add a person or organisation"),
        anchor="parties",
        done=_("Added to the case."),
        template="cases/party_add.html",
        extra={"search": search, "found": found, "searched": search.is_bound},
    )


def _people_scoped(user: Any, case: Case) -> QuerySet[Person]:
    """People the user may link: in cases they run, or recorded in the case's
    district and not yet in any case. Names are shown only for these."""
    managed = cases_for_user(user).filter(managed_cases_q(user))
    return Person.objects.filter(
        Q(parties__case__in=managed) | Q(source_district=case.district, parties__isnull=True)
    ).distinct()


PEOPLE_SCAN_LIMIT = 5000
PICK_SALT = "ahtc.cases.person-pick"


def _pick_token(person: Person, case: Case) -> str:
    """A signed, short-lived token for 'use this person': a person can be linked
    only after a search found them for this case, never by guessing an id."""
    return signing.dumps({"p": person.pk, "c": case.pk}, salt=PICK_SALT)


def _picked_person(token: str, case: Case) -> Person | None:
    try:
        data = signing.loads(token, salt=PICK_SALT, max_age=3600)
    except signing.BadSignature:
        return None
    if data.get("c") != case.pk:
        return None
    return Person.objects.filter(pk=data.get("p")).first()


def _people_found(user: Any, case: Case, form: f.PersonSearchForm) -> list[dict[str, Any]]:
    """Exact identifier matches anywhere in the district (shown by number only when
    the person is in a case the user does not run); name matches only among the
    people the user may see by name."""
    data = form.cleaned_data
    visible = _people_scoped(user, case)
    matches: dict[int, Person] = {}
    for kind in (IdentifierKind.CNIC, IdentifierKind.PHONE, IdentifierKind.PASSPORT):
        if data.get(kind):
            try:
                found = people_with_identifier(kind, data[kind])
            except IdentifierError:
                continue
            in_district = found.filter(source_district=case.district) | found.filter(
                pk__in=visible.values("pk")
            )
            for person in in_district.distinct():
                matches[person.pk] = person
    name = (data.get("name") or "").strip().casefold()
    if len(name) >= 3:
        for person in visible.order_by("-pk")[:PEOPLE_SCAN_LIMIT]:
            names = " ".join([person.name_latin, person.name_urdu]).casefold()
            if name in names:
                matches[person.pk] = person
    audit_record(actor=user, action=AuditAction.VIEW, object_type="people.person", reason="search")
    named = set(visible.filter(pk__in=list(matches)).values_list("pk", flat=True))
    results = []
    for person in list(matches.values())[:25]:
        roles = Party.objects.filter(
            person=person, case__in=cases_for_user(user).filter(managed_cases_q(user))
        ).select_related("case")
        results.append(
            {
                "person": person,
                "roles": roles,
                "named": person.pk in named,
                "token": _pick_token(person, case),
            }
        )
    return results


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
def classify(request: HttpRequest, reference: str) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    provisions = s.offered_provisions(case)
    answers_form = f.ClassificationForm(request.POST or None)
    suggestion = None
    decision_form = None
    if request.method == "POST" and answers_form.is_valid():
        answers = answers_form.answers()
        suggestion = suggest(answers)
        offered = [code for code in suggestion.provisions if provisions.filter(code=code).exists()]
        decision_form = f.DecisionForm(
            request.POST if "decide" in request.POST else None,
            provisions=provisions,
            initial={
                "classification": suggestion.classification,
                "agency": suggestion.agency,
                "provisions": provisions.filter(code__in=offered),
            },
        )
        if "decide" in request.POST and decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                s.classification_decide(
                    case=case,
                    by=request.user,
                    answers=answers,
                    classification=data["classification"],
                    agency=data["agency"],
                    provision_codes=[p.code for p in data["provisions"]],
                    override_reason=data["override_reason"],
                )
            except s.CaseError as exc:
                decision_form.add_error(None, exc.message)
            else:
                messages.success(request, _("Classification recorded."))
                return redirect(_detail_url(case, "classification"))
    elif request.method == "GET":
        last = case.decisions.first()
        if last is not None:
            answers_form = f.ClassificationForm(initial=last.answers)
    suggested = []
    if suggestion is not None:
        by_code = {p.code: p for p in provisions.filter(code__in=suggestion.provisions)}
        suggested = [by_code[c] for c in suggestion.provisions if c in by_code]
    context = {
        "case": case,
        "form": answers_form,
        "suggestion": suggestion,
        "suggested_provisions": suggested,
        "suggested_label": Classification(suggestion.classification).label if suggestion else "",
        "flags": [Flag(x).label for x in suggestion.flags] if suggestion else [],
        "decision_form": decision_form,
    }
    return render(request, "cases/classify.html", context)


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
        return f.FirForm(
            _post(request)[0],
            stations=stations,
            provisions=offered,
            initial={"provisions": _decided_provisions(case, offered)},
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


@staff_view(CASE_WORK)
def consent_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.ConsentForm(
            _post(r)[0],
            parties=c.parties.filter(
                role__in=[PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT]
            ).select_related("case"),
            orgs=_partner_orgs(r.user),
            initial={"given_on": timezone.localdate()},
        ),
        handle=lambda case, d, a, r: s.consent_record(case=case, by=r.user, **d),
        title=_("Record the victim's consent"),
        anchor="consent",
        done=_("Consent recorded."),
    )


@require_POST
@staff_view(CASE_WORK)
def consent_withdraw(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    consent = _in_case(request, Consent, pk, case=case)
    if not confirmed(request):
        return unconfirmed(request, _detail_url(case, "consent"))
    try:
        revoked = s.consent_withdraw(consent=consent, by=request.user)
    except s.CaseError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Consent withdrawn. Shares ended: %(n)d.") % {"n": len(revoked)},
        )
    return redirect(_detail_url(case, "consent"))


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


@never_cache
@accepts_files(evidence_limits)
@staff_view(CASE_WORK)
def evidence_add(request: HttpRequest, reference: str) -> HttpResponse:
    """The file is sealed to storage while it arrives (core/uploads.py); it is
    deleted after the request unless the service claims it for a row."""

    def handle(case: Case, d: dict[str, Any], a: CaseAccess, r: HttpRequest) -> Any:
        upload = d.get("file")
        sealed = upload if isinstance(upload, SealedUpload) else None
        return s.evidence_add(
            case=case,
            by=r.user,
            kind=d["kind"],
            description=d["description"],
            holder=d["holder"],
            upload=sealed,
            data=bytes(upload.read()) if upload and not sealed else None,
        )

    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.EvidenceForm(*_post(r)),
        handle=handle,
        title=_("Add evidence"),
        anchor="evidence",
        done=_("Evidence added; custody starts with you."),
        extra={"multipart": True},
    )


@staff_view(CASE_WORK)
def custody_add(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    evidence = _in_case(request, Evidence, pk, case=case)
    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.CustodyForm(_post(r)[0]),
        handle=lambda case, d, a, r: s.custody_add(evidence=evidence, by=r.user, **d),
        title=_("Record a custody step"),
        anchor="evidence",
        done=_("Custody recorded."),
    )


# staff_view is typed for HttpResponse; a streamed download is not one.
@staff_view(CASE_WORK)  # type: ignore[arg-type]
def evidence_download(request: HttpRequest, reference: str, pk: int) -> HttpResponseBase:
    """Scanned again before delivery: an infected file is held (portal/files.py).
    Streamed: a 2 GB video is never held in memory."""
    from ahtc.portal.files import deliver_stream

    case, access = _load(request, reference)
    if not access.manage:
        return refused(request, case, "lacks case access: manage")
    evidence = _in_case(request, Evidence, pk, case=case)
    if not evidence.stored_name:
        raise Http404
    return deliver_stream(
        request,
        target=evidence,
        stored_name=evidence.stored_name,
        kind=evidence.content_type,
        name=f"{case.reference}-E{evidence.number}",
        size=evidence.size,
        area_code=case.district.code,
        reason="evidence file downloaded",
    )


@staff_view(CASE_WORK)
def task_add(request: HttpRequest, reference: str) -> HttpResponse:
    return _action(
        request,
        reference,
        need="manage",
        build=lambda c, a, r: f.TaskForm(
            _post(r)[0],
            people=_staff_in(c, (Perm.INVESTIGATE, Perm.MANAGE_CASES)),
            initial={"due": timezone.localdate() + dt.timedelta(days=7)},
        ),
        handle=lambda case, d, a, r: s.task_add(case=case, by=r.user, **d),
        title=_("Add a task"),
        anchor="tasks",
        done=_("Task added."),
    )


@require_POST
@staff_view(CASE_WORK)
def task_done(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case, access = _load(request, reference)
    task = _in_case(request, Task, pk, case=case)
    if not (access.manage or task.assignee_id == request.user.pk):
        return refused(request, case, "task not the user's")
    s.task_done(task=task, by=request.user)
    messages.success(request, _("Task done."))
    return redirect(_detail_url(case, "tasks"))


@staff_view(CASE_WORK)
def summary_pdf(request: HttpRequest, reference: str) -> HttpResponse:
    from ahtc.cases.exports import case_summary_pdf, identity_refusal

    case, access = _load(request, reference)
    district = case.district.code
    if not (access.manage or access.prosecute):
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
