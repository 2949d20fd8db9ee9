"""What a user may do where: the role scope every access function builds on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.accounts.roles import Perm, Role, role_permissions
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
    rows = RoleAssignment.objects.filter(user=user).select_related("area")
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
    (an FIA circle for a division serves each of its districts)."""
    scope = user_scope(user)
    above = {code for path in scope.paths(Perm.VIEW_AREA) for code in path.split("/") if code}
    return Organisation.objects.filter(
        scope.q(Perm.VIEW_AREA, "area__path") | Q(area__code__in=above)
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
    """At least one known role held in an area that has not ended."""
    today = timezone.localdate()
    return (
        RoleAssignment.objects.filter(user=user, role__in=Role.values)
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
