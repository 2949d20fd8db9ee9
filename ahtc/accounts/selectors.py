"""What a user may do where: the role scope every access function builds on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ahtc.accounts.models import (
    RESET_APPROVAL_HOURS,
    AuthenticatorReset,
    Organisation,
    ResetStatus,
    RoleAssignment,
    User,
)
from ahtc.accounts.roles import Perm, Role, role_permissions, roles_grantable_by
from ahtc.core.access import get_scoped_or_404
from ahtc.geography.models import Area, AreaLevel, AreaQuerySet

_CACHE_ATTR = "_ahtc_scope"


@dataclass(frozen=True)
class Grant:
    role: str
    area_id: int
    area_path: str
    permissions: frozenset[Perm]
    area_level: str


@dataclass(frozen=True)
class Scope:
    grants: tuple[Grant, ...]

    def paths(self, perm: Perm) -> list[str]:
        return sorted({g.area_path for g in self.grants if perm in g.permissions})

    def has_perm_anywhere(self, perm: Perm) -> bool:
        return bool(self.paths(perm))

    def permits(self, perm: Perm, area: Area) -> bool:
        return any(area.path.startswith(path) for path in self.paths(perm))

    def q(self, perm: Perm, path_field: str = "path") -> Q:
        """A filter for rows whose area path lies inside the user's scope.

        Fails closed: no grant for `perm` gives a filter that matches nothing.
        """
        query = Q(pk__in=[])
        for path in self.paths(perm):
            query |= Q(**{f"{path_field}__startswith": path})
        return query

    @cached_property
    def _areas(self) -> list[tuple[int, str]]:
        """(id, path) of every area under any of the grants: one query, kept on
        the scope, which lives for one request."""
        under = Q(pk__in=[])
        for path in {g.area_path for g in self.grants}:
            under |= Q(path__startswith=path)
        return list(Area.objects.filter(under).values_list("pk", "path"))

    def area_ids(self, perm: Perm) -> list[int]:
        """The ids of every area inside the scope for `perm`."""
        paths = tuple(self.paths(perm))
        if not paths:
            return []
        return [pk for pk, path in self._areas if path.startswith(paths)]

    def ids_q(self, perm: Perm, id_field: str) -> Q:
        """The same rows as q(perm, "<fk>__path") as a filter on the foreign key
        itself (`id_field`, e.g. "district_id"). PostgreSQL estimates a list of
        ids from the column's statistics; through the area's path it guessed
        1 row in 18 for a district holding 1 in 3 of the province's records,
        and planned per-row probes. Fails closed: no grant matches nothing."""
        return Q(**{f"{id_field}__in": self.area_ids(perm)})

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}


EMPTY_SCOPE = Scope(grants=())


def user_scope(user: Any) -> Scope:
    """The user's grants, read once per request and cached on the user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached: Scope | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    # One query; only assignments in force today (valid_from / valid_to).
    rows = RoleAssignment.objects.current().filter(user=user).select_related("area")
    scope = Scope(
        grants=tuple(
            Grant(
                role=row.role,
                area_id=row.area_id,
                area_path=row.area.path,
                permissions=role_permissions(row.role),
                area_level=row.area.level,
            )
            for row in rows
        )
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def areas_for_user(user: Any, perm: Perm = Perm.VIEW_AREA) -> AreaQuerySet:
    return AreaQuerySet(Area).filter(user_scope(user).q(perm))


def districts_for_user(user: Any, perm: Perm = Perm.VIEW_WORKSPACE) -> QuerySet[Area]:
    return areas_for_user(user, perm).of_level(AreaLevel.DISTRICT).current()


def area_for_user(user: Any, code: str, perm: Perm = Perm.VIEW_AREA) -> Area:
    """One area the user may see, by code; 404 (and an audit row) otherwise."""
    area = Area.objects.filter(code=code).only("pk").first()
    return get_scoped_or_404(
        user=user, scoped=areas_for_user(user, perm), pk=area.pk if area else 0
    )


def organisations_for_user(user: Any) -> QuerySet[Organisation]:
    """Organisations serving the user's areas: inside them, or above them
    (an FIA circle for a division serves each of its districts), by their home
    area or by one of their further `areas_served`. The served areas are
    matched in a subquery, so rows are never repeated and counts stay right."""
    scope = user_scope(user)
    above = {code for path in scope.paths(Perm.VIEW_AREA) for code in path.split("/") if code}
    served = Organisation.areas_served.through.objects.filter(
        scope.q(Perm.VIEW_AREA, "area__path") | Q(area__code__in=above)
    ).values("organisation_id")
    return Organisation.objects.filter(
        scope.q(Perm.VIEW_AREA, "area__path") | Q(area__code__in=above) | Q(pk__in=served)
    )


def organisation_for_user(user: Any, pk: Any) -> Organisation:
    return get_scoped_or_404(user=user, scoped=organisations_for_user(user), pk=pk)


def users_for_user(user: Any) -> QuerySet[User]:
    """Staff a user may manage (DESIGN.md, access model): each organisation
    administers its own users, inside the manager's area scope; only an
    administrator holding the role for a whole province manages every
    organisation's users in it. Fails closed: no grant, no one."""
    scope = user_scope(user)
    own = Q(pk__in=[])
    if getattr(user, "organisation_id", None) is not None:
        own = scope.q(Perm.MANAGE_USERS, "organisation__area__path") & Q(
            organisation_id=user.organisation_id
        )
    provincial = Q(pk__in=[])
    for path in _provincial_admin_paths(scope):
        provincial |= Q(organisation__area__path__startswith=path)
    return User.objects.filter(own | provincial)


def _provincial_admin_paths(scope: Scope) -> list[str]:
    return [
        g.area_path
        for g in scope.grants
        if g.role == Role.ADMINISTRATOR and g.area_level == AreaLevel.PROVINCE
    ]


def is_provincial_administrator(user: Any) -> bool:
    return bool(_provincial_admin_paths(user_scope(user)))


def may_manage_user(user: Any, target: User) -> bool:
    return users_for_user(user).filter(pk=target.pk).exists()


def may_manage_members_of(user: Any, organisation: Organisation) -> bool:
    """Whether `user` manages this organisation's members (users_for_user's rule)."""
    scope = user_scope(user)
    if not scope.permits(Perm.MANAGE_USERS, organisation.area):
        return False
    if organisation.pk == getattr(user, "organisation_id", None):
        return True
    return any(organisation.area.path.startswith(p) for p in _provincial_admin_paths(scope))


def user_for_user(user: Any, pk: Any) -> User:
    return get_scoped_or_404(user=user, scoped=users_for_user(user), pk=pk)


def user_may_authenticate(user: Any) -> bool:
    """Active, in an active organisation: what sign-in checks on every request
    (backends.ActiveOrganisationBackend) and API tokens check too."""
    if user is None or not user.is_active:
        return False
    organisation = getattr(user, "organisation", None)
    return organisation is None or bool(organisation.is_active)


def user_has_current_role(user: Any) -> bool:
    """At least one known role, in force today, held in an area that has not ended."""
    today = timezone.localdate()
    return (
        RoleAssignment.objects.current(today)
        .filter(user=user, role__in=Role.values)
        .filter(Q(area__valid_to__isnull=True) | Q(area__valid_to__gt=today))
        .exists()
    )


def province_root_code() -> str:
    """The province this deployment serves: where events without an account
    (sign-ins with unknown usernames) are filed, for the provincial administrator."""
    code = (
        Area.objects.filter(level=AreaLevel.PROVINCE)
        .order_by("path")
        .values_list("code", flat=True)
        .first()
    )
    return code or ""


def account_area_code(user: User | None) -> str:
    """Where an account's events are filed: its organisation's area, or the province."""
    organisation = getattr(user, "organisation", None)
    if organisation is not None:
        return str(organisation.area.code)
    return province_root_code()


def account_for_username(username: str) -> User | None:
    """The account a sign-in names, as Django's backend finds it (exact match)."""
    return User.objects.filter(username=username).select_related("organisation__area").first()


# --- administration (issue 11) ----------------------------------------------------------

GRANT_LEVELS = (AreaLevel.PROVINCE, AreaLevel.DIVISION, AreaLevel.DISTRICT)
EXPIRY_WARNING_DAYS = 14


def may_manage_organisation(user: Any, organisation: Organisation) -> bool:
    """Create, edit or deactivate organisations: reference data, for holders of
    MANAGE_REFERENCE whose scope covers the organisation's home area."""
    return user_scope(user).permits(Perm.MANAGE_REFERENCE, organisation.area)


def reference_areas_for_user(user: Any) -> AreaQuerySet:
    """Current areas (province to district) where `user` manages organisations."""
    scope = user_scope(user)
    return (
        AreaQuerySet(Area)
        .filter(scope.q(Perm.MANAGE_REFERENCE))
        .current()
        .filter(level__in=GRANT_LEVELS)
        .order_by("path")
    )


def grant_areas_for_user(user: Any) -> AreaQuerySet:
    """Current areas (province to district) where `user` may grant roles."""
    scope = user_scope(user)
    return (
        AreaQuerySet(Area)
        .filter(scope.q(Perm.MANAGE_USERS))
        .current()
        .filter(level__in=GRANT_LEVELS)
        .order_by("path")
    )


def organisations_for_new_user(user: Any) -> QuerySet[Organisation]:
    """Where `user` may create accounts: their own organisation, or any active
    one in the province of a provincial administrator."""
    scope = user_scope(user)
    query = Q(pk__in=[])
    own = getattr(user, "organisation", None)
    if own is not None and scope.permits(Perm.MANAGE_USERS, own.area):
        query |= Q(pk=own.pk)
    for path in _provincial_admin_paths(scope):
        query |= Q(area__path__startswith=path)
    return Organisation.objects.filter(query, is_active=True).select_related("area")


def grant_refusal(by: Any, target: User, role: str, area: Area) -> str:
    """Why `by` may not grant or revoke `role` in `area` for `target`, or "".

    Rules (issue 11): no one changes their own roles; only users one manages
    (users_for_user); the provincial administrator grants any role in the
    province; everyone else only inside their user-management scope, and only
    a role they hold there themselves (or one it may delegate, roles.DELEGABLE).
    """
    if by.pk == target.pk:
        return "own account"
    if not may_manage_user(by, target):
        return "outside the user's scope"
    scope = user_scope(by)
    if any(area.path.startswith(path) for path in _provincial_admin_paths(scope)):
        return ""
    if not scope.permits(Perm.MANAGE_USERS, area):
        return "area outside the manager's scope"
    held = {g.role for g in scope.grants if area.path.startswith(g.area_path)}
    if role not in roles_grantable_by(held):
        return "role not held by the manager"
    return ""


def resets_for_user(user: Any) -> QuerySet[AuthenticatorReset]:
    """Authenticator resets of the users `user` manages."""
    return AuthenticatorReset.objects.filter(user__in=users_for_user(user).values("pk"))


def reset_for_user(user: Any, pk: Any) -> AuthenticatorReset:
    return get_scoped_or_404(user=user, scoped=resets_for_user(user), pk=pk)


def resets_waiting_for(user: Any, now: dt.datetime | None = None) -> QuerySet[AuthenticatorReset]:
    """Open requests that `user` may approve: asked by someone else, under 48 hours old."""
    since = (now or timezone.now()) - dt.timedelta(hours=RESET_APPROVAL_HOURS)
    return (
        resets_for_user(user)
        .filter(status=ResetStatus.PENDING, requested_at__gt=since)
        .exclude(requested_by=user)
    )


def administration_waiting(user: Any) -> dict[str, int]:
    """Counts for the overview of those who manage users (three queries)."""
    if not user_scope(user).has_perm_anywhere(Perm.MANAGE_USERS):
        return {}
    managed = users_for_user(user).values("pk")
    today = timezone.localdate()
    soon = today + dt.timedelta(days=EXPIRY_WARNING_DAYS)
    return {
        "resets_waiting": resets_waiting_for(user).count(),
        "stranded_members": User.objects.filter(
            pk__in=managed, is_active=True, organisation__is_active=False
        ).count(),
        "roles_expiring": RoleAssignment.objects.filter(
            user__in=managed, valid_to__gte=today, valid_to__lte=soon
        ).count(),
    }
