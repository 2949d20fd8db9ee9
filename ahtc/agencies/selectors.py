"""Who may see an agency, and how much of it (docs/agencies.md, "Access").

- Cell officers and cell heads (*manage cases*) of the agency's district read
  and write: they register, inspect and serve notices.
- Investigating officers of the district read (agencies turn up in their cases).
- FIA (an organisation of kind FIA, holding *view shared* over the district,
  e.g. a circle for the division) reads: emigration offences are FIA's.
- Everyone else is refused, the Labour Department included: travel agencies
  are regulated under emigration and tourism law, not labour law, and labour
  staff have no case in the registry. Provincial monitors see the indicators.
- Owners' and staff's names are identities: shown only to users with *view
  identity* in the district (each showing audited); others see pseudonyms.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from ahtc.accounts.models import OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.agencies.models import Agency, AgencyStatus, Inspection, Notice
from ahtc.core.access import get_scoped_or_404


def _fia(user: Any) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.FIA


def readable_q(user: Any, path_field: str = "district__path") -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = user_scope(user)
    query = scope.q(Perm.MANAGE_CASES, path_field) | scope.q(Perm.INVESTIGATE, path_field)
    if _fia(user):
        query |= scope.q(Perm.VIEW_SHARED, path_field)
    return query


def agencies_for_user(user: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(readable_q(user))


def agency_for_user(user: Any, pk: Any) -> Agency:
    """One agency; 404 (and an audit row when it exists) outside the user's reach."""
    scoped = agencies_for_user(user).select_related("district", "tehsil")
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk)


def reads_agencies(user: Any) -> bool:
    scope = user_scope(user)
    return (
        scope.has_perm_anywhere(Perm.MANAGE_CASES)
        or scope.has_perm_anywhere(Perm.INVESTIGATE)
        or (_fia(user) and scope.has_perm_anywhere(Perm.VIEW_SHARED))
    )


def writes_agencies(user: Any) -> bool:
    return user_scope(user).has_perm_anywhere(Perm.MANAGE_CASES)


@dataclass(frozen=True)
class AgencyAccess:
    write: bool
    identity: bool
    export: bool


def agency_access(user: Any, agency: Agency) -> AgencyAccess:
    scope = user_scope(user)
    return AgencyAccess(
        write=scope.permits(Perm.MANAGE_CASES, agency.district),
        identity=scope.permits(Perm.VIEW_IDENTITY, agency.district),
        export=scope.permits(Perm.EXPORT, agency.district),
    )


# --- enforcement: what is due (the inspection list's filters and the Overview) ---------


def enforced_for_user(user: Any) -> QuerySet[Agency]:
    """The agencies of the inspection list: readable and not closed."""
    return agencies_for_user(user).exclude(status=AgencyStatus.CLOSED)


def overdue_notices_q(today: dt.date) -> Q:
    """A notice past its deadline with no compliance recorded (Notice.overdue_on)."""
    return Q(complied_on__isnull=True, deadline__lt=today)


def overdue_notices_for_user(user: Any, today: dt.date) -> QuerySet[Notice]:
    return Notice.objects.filter(overdue_notices_q(today), agency__in=enforced_for_user(user))


def with_overdue_notices(agencies: QuerySet[Agency], today: dt.date) -> QuerySet[Agency]:
    overdue = Notice.objects.filter(overdue_notices_q(today), agency=OuterRef("pk"))
    return agencies.filter(Exists(overdue))


def due_for_reinspection(agencies: QuerySet[Agency], today: dt.date) -> QuerySet[Agency]:
    """Agencies whose latest inspection set a re-inspection day that has come
    (the inspection list's "re-inspection due")."""
    latest = (
        Inspection.objects.filter(agency=OuterRef("pk"))
        .order_by("-on", "-pk")
        .values("reinspect_on")[:1]
    )
    return agencies.annotate(reinspect_day=Subquery(latest)).filter(reinspect_day__lte=today)
