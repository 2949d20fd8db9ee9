"""Who may see and do what with a case. Every case read goes through here.

- Cell staff with MANAGE_CASES see and run every case of their districts.
- An investigating officer sees and runs the cases they lead, and sees a case
  while a task on it is assigned to them.
- A partner agency (VIEW_SHARED, PROSECUTE) sees a case only while it is
  shared with their organisation, or while a handover to them awaits an answer;
  a revoked share hides it on the next request.
- Identities: only users with VIEW_IDENTITY who also run the case; partners
  and monitors see pseudonyms (CASE-V1). Two exceptions, for the agencies that
  must act on the accused: the investigating agency (FIA, after it accepted a
  referral, while the share is active) and the prosecutor of a shared case see
  the suspects' identity, and a victim's only with that victim's identity
  consent (ConsentPurpose.IDENTITY); every such view is audited per person.
- Proceedings: once a case is transferred to FIA, that agency's liaisons record
  the FIR, arrests, challan, hearings and verdicts; the cell reads them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from ahtc.accounts.models import OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.cases.models import (
    CLOSED_STATUSES,
    PROTECTED_ROLES,
    SUSPECT_ROLES,
    Case,
    CaseShare,
    ChallanItem,
    Consent,
    ConsentPurpose,
    Handover,
    HandoverKind,
    HandoverStatus,
    Hearing,
    Task,
)
from ahtc.core.access import get_scoped_or_404

if TYPE_CHECKING:
    from ahtc.cases.forms import CaseFilter

PARTNER_PERMS = (Perm.VIEW_SHARED, Perm.PROSECUTE)
# Agencies that investigate what they accept (and so must know whom they
# investigate). Narrow on purpose: fail closed for the rest.
INVESTIGATING_KINDS = (OrganisationKind.FIA,)


def _active_share(org_id: int) -> Exists:
    return Exists(
        CaseShare.objects.filter(
            case=OuterRef("pk"), organisation_id=org_id, revoked_at__isnull=True
        )
    )


def _pending_handover(user: Any) -> Exists:
    to_me = Q(to_user=user)
    if user.organisation_id:
        to_me |= Q(to_organisation_id=user.organisation_id)
    return Exists(
        Handover.objects.filter(to_me, case=OuterRef("pk"), status=HandoverStatus.PENDING)
    )


def _open_task_for(user: Any) -> Exists:
    return Exists(Task.objects.filter(case=OuterRef("pk"), assignee=user, done_at__isnull=True))


def managed_cases_q(user: Any) -> Q:
    scope = user_scope(user)
    return scope.ids_q(Perm.MANAGE_CASES, "district_id") | (
        scope.ids_q(Perm.INVESTIGATE, "district_id") & Q(lead_officer=user)
    )


def cases_for_user(user: Any) -> QuerySet[Case]:
    scope = user_scope(user)
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    query = managed_cases_q(user)
    # An officer given a task on a case sees it while the task is open.
    query |= scope.ids_q(Perm.INVESTIGATE, "district_id") & Q(_open_task_for(user))
    if user.organisation_id:
        for perm in PARTNER_PERMS:
            query |= scope.ids_q(perm, "district_id") & Q(_active_share(user.organisation_id))
    if any(
        scope.has_perm_anywhere(p) for p in (Perm.MANAGE_CASES, Perm.INVESTIGATE, *PARTNER_PERMS)
    ):
        query |= Q(_pending_handover(user))
    return Case.objects.filter(query)


def case_for_user(user: Any, reference: str) -> Case:
    """One case by reference; 404 and an audit row if the user may not see it."""
    case = Case.objects.filter(reference=reference).only("pk").first()
    return get_scoped_or_404(
        user=user,
        scoped=cases_for_user(user).select_related(
            "district", "lead_officer", "tip", "proceedings_organisation"
        ),
        pk=case.pk if case else 0,
    )


@dataclass(frozen=True)
class CaseAccess:
    manage: bool
    cell: bool  # cell staff (manage cases): sharing, handovers, transfers
    identity: bool
    prosecute: bool
    partner: bool
    override_consent: bool
    export: bool
    # Records the FIR, arrests and the IO's side of the challan, and moves the
    # case: the cell, or the agency running the proceedings after a transfer.
    proceedings: bool = False
    # The investigating agency or the prosecutor: sees the suspects' identity.
    partner_identity: bool = False
    # The agency running the proceedings after a transfer (FIA): adds accused.
    agency_runs: bool = False

    @property
    def manage_or_prosecute(self) -> bool:
        return self.manage or self.prosecute

    @property
    def adds_parties(self) -> bool:
        """The cell adds anyone; the agency running the proceedings, accused only."""
        return self.manage or self.agency_runs

    @property
    def court_work(self) -> bool:
        """Hearings and verdicts: whoever runs the proceedings, or the prosecutor."""
        return self.proceedings or self.prosecute


def case_access(user: Any, case: Case) -> CaseAccess:
    scope = user_scope(user)
    district = case.district
    manage = scope.permits(Perm.MANAGE_CASES, district) or (
        scope.permits(Perm.INVESTIGATE, district) and case.lead_officer_id == user.pk
    )
    shared = (
        bool(user.organisation_id)
        and case.shares.filter(
            organisation_id=user.organisation_id, revoked_at__isnull=True
        ).exists()
    )
    prosecute = shared and scope.permits(Perm.PROSECUTE, district)
    liaison = shared and scope.permits(Perm.VIEW_SHARED, district)
    runs = case.proceedings_organisation_id
    agency_runs = liaison and runs is not None and runs == user.organisation_id
    return CaseAccess(
        manage=manage,
        cell=scope.permits(Perm.MANAGE_CASES, district),
        identity=manage and scope.permits(Perm.VIEW_IDENTITY, district),
        prosecute=prosecute,
        partner=not manage,
        override_consent=manage and scope.permits(Perm.CONSENT_OVERRIDE, district),
        export=scope.permits(Perm.EXPORT, district) and (manage or shared),
        proceedings=agency_runs if runs is not None else manage,
        partner_identity=not manage
        and (prosecute or agency_runs or (liaison and _investigates(case, user))),
        agency_runs=agency_runs and not manage,
    )


def _investigates(case: Case, user: Any) -> bool:
    """The user's agency accepted a referral of this case and investigates."""
    return case.handovers.filter(
        kind=HandoverKind.REFER,
        status=HandoverStatus.ACCEPTED,
        to_organisation_id=user.organisation_id,
        to_organisation__kind__in=INVESTIGATING_KINDS,
    ).exists()


def partner_identified_parties(user: Any, case: Case, access: CaseAccess) -> set[int]:
    """Parties whose identity the investigating agency or the prosecutor is
    shown: every suspect, and a victim only while that victim's identity
    consent (to this agency, or to any) is in force and neither the case nor
    the victim's protection record withholds it. Everyone else: pseudonyms."""
    if not access.partner_identity:
        return set()
    people = case.parties.filter(person__isnull=False)
    shown = set(people.filter(role__in=SUSPECT_ROLES).values_list("pk", flat=True))
    if case.identity_withheld:
        return shown
    consented = Consent.objects.filter(
        case=case, purpose=ConsentPurpose.IDENTITY, withdrawn_at__isnull=True
    ).filter(Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id))
    victims = (
        people.filter(role__in=PROTECTED_ROLES, pk__in=consented.values("party_id"))
        .exclude(person__protection__identity_withheld=True)
        .values_list("pk", flat=True)
    )
    return shown | set(victims)


def exportable_cases_q(user: Any) -> Q:
    """Cases whose rows the user may export: within their *export* scope and
    run by them or shared with their agency (not merely visible by a handover)."""
    scope = user_scope(user)
    run_or_shared = managed_cases_q(user)
    if user.organisation_id:
        run_or_shared |= Q(_active_share(user.organisation_id))
    return scope.q(Perm.EXPORT, "district__path") & run_or_shared


def tasks_due_for_user(user: Any, *, within_days: int = 7) -> QuerySet[Task]:
    horizon = timezone.localdate() + dt.timedelta(days=within_days)
    return (
        Task.objects.filter(done_at__isnull=True, due__lte=horizon)
        .filter(Q(assignee=user) | Q(case__in=cases_for_user(user).filter(managed_cases_q(user))))
        .select_related("case", "assignee")
        .order_by("due", "pk")
    )


def challan_returned_for_user(user: Any) -> QuerySet[ChallanItem]:
    """Challan items the prosecutor returned, waiting for the IO's answer, on
    cases whose proceedings the user runs: the cases they lead or manage, or,
    for an agency's liaison, the cases their agency runs (share active)."""
    runs = managed_cases_q(user) & Q(proceedings_organisation__isnull=True)
    if user.organisation_id:
        runs |= (
            user_scope(user).q(Perm.VIEW_SHARED, "district__path")
            & Q(proceedings_organisation_id=user.organisation_id)
            & Q(_active_share(user.organisation_id))
        )
    cases = cases_for_user(user).filter(runs)
    return (
        ChallanItem.objects.filter(case__in=cases, io_done_at__isnull=True)
        .exclude(objection="")
        .filter(
            Q(organisation__isnull=True, case__proceedings_organisation__isnull=True)
            | Q(organisation_id=F("case__proceedings_organisation_id"))
        )
        .select_related("case")
        .order_by("case__year", "case__number", "pk")
    )


def hearings_due_for_user(user: Any, *, within_days: int = 14) -> QuerySet[Hearing]:
    today = timezone.localdate()
    return (
        Hearing.objects.filter(
            case__in=cases_for_user(user),
            date__gte=today,
            date__lte=today + dt.timedelta(days=within_days),
        )
        .select_related("case")
        .order_by("date", "pk")
    )


def filtered_cases(user: Any, form: CaseFilter) -> QuerySet[Case]:
    """The case list as filtered by the list page's form (also the rows of a
    case-list export): the user's cases, newest first, with overdue tasks counted."""
    rows = cases_for_user(user)
    data = form.cleaned_data if form.is_valid() else {}
    view = data.get("view") or "mine"
    # EXISTS, not joins to tasks and shares: a join repeats a case once per
    # task, which needed DISTINCT over every column of every case in scope for
    # the page and its count (issue 19); no filter here joins, so none does.
    if view == "mine":
        rows = rows.filter(Q(lead_officer=user) | Q(opened_by=user) | Q(_open_task_for(user)))
    elif view == "shared" and user.organisation_id:
        rows = rows.filter(_active_share(user.organisation_id))
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
        rows.select_related("district", "lead_officer")
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
