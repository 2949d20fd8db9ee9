"""Who may see a child-labour finding, and how much of it.

- Cell staff of the finding's district: officers and cell heads (*manage
  cases*) read and write; investigating officers read. Names are shown to
  those with *view identity* there, each one an audited read.
- Analysts of the cell see counts only, never a row or a name.
- The education authority a child was referred to sees that child's
  reference, age and school place (no name, no place of work, no case), and
  records the enrolment.
- Everyone else, and every other district: nothing (404 for a record, 403 for
  a page), failing closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from ahtc.accounts.models import OrganisationKind
from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.labour.models import (
    BrickKiln,
    ChildLabourFinding,
    Inspection,
    Notice,
    Schooling,
    Worker,
    Workshop,
)

READ_PERMS = (Perm.MANAGE_CASES, Perm.INVESTIGATE)
# Cell roles that see the counts; of these, only the analyst sees nothing more.
COUNT_ROLES = frozenset(
    {Role.CELL_HEAD, Role.CELL_OFFICER, Role.INVESTIGATING_OFFICER, Role.ANALYST}
)


def findings_for_user(user: Any) -> QuerySet[ChildLabourFinding]:
    if not getattr(user, "is_authenticated", False):
        return ChildLabourFinding.objects.none()
    scope = user_scope(user)
    query = Q(pk__in=[])
    for perm in READ_PERMS:
        query |= scope.q(perm, "district__path")
    return ChildLabourFinding.objects.filter(query)


def finding_for_user(user: Any, reference: str) -> ChildLabourFinding:
    found = ChildLabourFinding.objects.filter(reference=reference).only("pk").first()
    return get_scoped_or_404(
        user=user,
        scoped=findings_for_user(user).select_related("district", "tehsil", "person"),
        pk=found.pk if found else 0,
    )


@dataclass(frozen=True)
class FindingAccess:
    write: bool
    identity: bool


def finding_access(user: Any, finding: ChildLabourFinding) -> FindingAccess:
    scope = user_scope(user)
    return FindingAccess(
        write=scope.permits(Perm.MANAGE_CASES, finding.district),
        identity=scope.permits(Perm.VIEW_IDENTITY, finding.district),
    )


def reads_findings(user: Any) -> bool:
    scope = user_scope(user)
    return any(scope.has_perm_anywhere(p) for p in READ_PERMS)


def writes_findings(user: Any) -> bool:
    return user_scope(user).has_perm_anywhere(Perm.MANAGE_CASES)


# --- counts -----------------------------------------------------------------------------


def counted_findings_for_user(user: Any) -> QuerySet[ChildLabourFinding]:
    query = Q(pk__in=[])
    for grant in user_scope(user).grants:
        if grant.role in COUNT_ROLES:
            query |= Q(district__path__startswith=grant.area_path)
    return ChildLabourFinding.objects.filter(query)


def counts_findings(user: Any) -> bool:
    return any(grant.role in COUNT_ROLES for grant in user_scope(user).grants)


def finding_counts(rows: QuerySet[ChildLabourFinding]) -> list[dict[str, Any]]:
    """Per district, in one GROUP BY: found, withdrawn, referred, enrolled,
    and schooling when found."""
    counted = (
        rows.values("district__code", "district__name_en", "district__name_ur")
        .annotate(
            found=Count("pk"),
            withdrawn_count=Count("pk", filter=Q(withdrawn=True)),
            referred=Count("pk", filter=Q(referred_on__isnull=False)),
            enrolled=Count("pk", filter=Q(enrolled_on__isnull=False)),
            never=Count("pk", filter=Q(schooling=Schooling.NEVER)),
            dropped=Count("pk", filter=Q(schooling=Schooling.DROPPED_OUT)),
            victims=Count("pk", filter=Q(victim_record__isnull=False)),
        )
        .order_by("district__name_en")
    )
    return [dict(row) for row in counted]


# --- the education authority ------------------------------------------------------------


def schooling_for_user(user: Any) -> QuerySet[ChildLabourFinding]:
    """Children referred for schooling to the user's education authority, in
    districts where the user holds a partner's role."""
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    if organisation is None or organisation.kind != OrganisationKind.EDUCATION:
        return ChildLabourFinding.objects.none()
    scope = user_scope(user)
    return ChildLabourFinding.objects.filter(
        scope.q(Perm.VIEW_SHARED, "district__path"),
        education_id=organisation.pk,
        referred_on__isnull=False,
    )


def places_schools(user: Any) -> bool:
    organisation = getattr(user, "organisation", None) if user.is_authenticated else None
    return (
        organisation is not None
        and organisation.kind == OrganisationKind.EDUCATION
        and user_scope(user).has_perm_anywhere(Perm.VIEW_SHARED)
    )


def schooling_finding_for_user(user: Any, reference: str) -> ChildLabourFinding:
    found = ChildLabourFinding.objects.filter(reference=reference).only("pk").first()
    return get_scoped_or_404(
        user=user,
        scoped=schooling_for_user(user).select_related("district"),
        pk=found.pk if found else 0,
    )


# --- the registry: kilns and workshops -----------------------------------------------------
#
# Cell staff of the district (*manage cases*, *investigate*) and the Labour
# Department's liaisons there (*view shared* in a Labour organisation) see the
# registry: places, inspections, wages, undertakings, worker counts. Workers
# are listed by number, never by name. Cell staff and the Labour Department
# record; only cell staff hand a situation over to case management (a case is
# theirs). The education authority and everyone else: nothing.


def _labour_liaison(user: Any) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.LABOUR


def _registry_q(user: Any, path: str) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = user_scope(user)
    query = Q(pk__in=[])
    for perm in READ_PERMS:
        query |= scope.q(perm, path)
    if _labour_liaison(user):
        query |= scope.q(Perm.VIEW_SHARED, path)
    return query


def kilns_for_user(user: Any) -> QuerySet[BrickKiln]:
    return BrickKiln.objects.filter(_registry_q(user, "district__path"))


def workshops_for_user(user: Any) -> QuerySet[Workshop]:
    return Workshop.objects.filter(_registry_q(user, "district__path"))


def kiln_for_user(user: Any, reference: str) -> BrickKiln:
    found = BrickKiln.objects.filter(reference=reference).only("pk").first()
    return get_scoped_or_404(
        user=user,
        scoped=kilns_for_user(user).select_related("district", "tehsil"),
        pk=found.pk if found else 0,
    )


def workshop_for_user(user: Any, reference: str) -> Workshop:
    found = Workshop.objects.filter(reference=reference).only("pk").first()
    return get_scoped_or_404(
        user=user,
        scoped=workshops_for_user(user).select_related("district", "tehsil"),
        pk=found.pk if found else 0,
    )


def worker_for_user(user: Any, pk: int) -> Worker:
    """A worker at a kiln or workshop the user may see (shown by number only)."""
    return get_scoped_or_404(
        user=user,
        scoped=Worker.objects.filter(_registry_q(user, "district__path")).select_related(
            "district", "kiln", "workshop"
        ),
        pk=pk,
    )


def inspection_for_user(user: Any, pk: int) -> Inspection:
    return get_scoped_or_404(
        user=user,
        scoped=Inspection.objects.filter(_registry_q(user, "district__path")).select_related(
            "district", "kiln", "workshop"
        ),
        pk=pk,
    )


def notice_for_user(user: Any, pk: int) -> Notice:
    return get_scoped_or_404(
        user=user,
        scoped=Notice.objects.filter(
            _registry_q(user, "inspection__district__path")
        ).select_related("inspection__district", "inspection__kiln", "inspection__workshop"),
        pk=pk,
    )


def reads_registry(user: Any) -> bool:
    scope = user_scope(user)
    if any(scope.has_perm_anywhere(p) for p in READ_PERMS):
        return True
    return _labour_liaison(user) and scope.has_perm_anywhere(Perm.VIEW_SHARED)


@dataclass(frozen=True)
class RegistryAccess:
    write: bool  # inspections, wages, workers, advances, EOBI
    handover: bool  # open a case for a bonded-labour situation


def registry_access(user: Any, district: Any) -> RegistryAccess:
    scope = user_scope(user)
    cell = scope.permits(Perm.MANAGE_CASES, district)
    labour = _labour_liaison(user) and scope.permits(Perm.VIEW_SHARED, district)
    return RegistryAccess(write=cell or labour, handover=cell)


def registry_districts(user: Any) -> list[Any]:
    """Districts where the user may record in the registry."""
    from ahtc.accounts.selectors import districts_for_user

    districts = list(districts_for_user(user, Perm.MANAGE_CASES))
    if _labour_liaison(user):
        districts += [d for d in districts_for_user(user, Perm.VIEW_SHARED) if d not in districts]
    return sorted(districts, key=lambda d: d.name_en)
