"""Who may read which aggregates, and the refusal of the rows behind them.

Statistics are read with *view aggregates* (accounts/roles.py) inside the
areas where the user holds it: a provincial monitor the province, a district
committee member their district. An area outside that scope answers 404 and
an audit row (core.access), never a number.

Monitors, committees and analysts see aggregates only (DESIGN.md, access
model). Asking for the records behind a number is refused and audited, unless
the user works those records in that area with their own permission, in which
case they are sent to their own list (which applies its own access rules).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import area_for_user, user_scope
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.geography.models import Area, AreaLevel, AreaQuerySet

PERM = Perm.VIEW_AGGREGATES

# The permission that lets a user open the records an indicator counts, by module.
RECORD_PERMS: dict[str, tuple[Perm, ...]] = {
    "portal": (Perm.TRIAGE_TIPS,),
    "cases": (Perm.MANAGE_CASES,),
    "victims": (Perm.MANAGE_CASES,),
    "labour": (Perm.MANAGE_CASES,),
}


def may_view_aggregates(user: Any) -> bool:
    return user_scope(user).has_perm_anywhere(PERM)


def aggregate_areas_for_user(user: Any) -> AreaQuerySet:
    """Areas whose statistics the user may read (everything under their grants)."""
    return AreaQuerySet(Area).filter(user_scope(user).q(PERM)).order_by("path")


def aggregate_area_for_user(user: Any, code: str) -> Area:
    """One area by code, inside the user's aggregate scope; 404 and audit otherwise."""
    return area_for_user(user, code, PERM)


def home_area(user: Any) -> Area | None:
    """The widest area where the user reads statistics (their first screen's area)."""
    paths = user_scope(user).paths(PERM)
    if not paths:
        return None
    widest = min(paths, key=lambda p: (p.count("/"), p))
    return Area.objects.filter(path=widest).first()


def area_choices(user: Any) -> list[Area]:
    """Areas for the pickers: province, divisions and districts in scope, then
    the tehsils of a user scoped to one district (current and past ones)."""
    rows = aggregate_areas_for_user(user)
    home = home_area(user)
    if home is None or home.level != AreaLevel.DISTRICT:
        rows = rows.exclude(level=AreaLevel.TEHSIL)
    return list(rows.filter(Q(level__in=[a for a in AreaLevel.values if a != "country"])))


def may_open_rows(user: Any, module: str, area: Area) -> bool:
    scope = user_scope(user)
    return any(scope.permits(p, area) for p in RECORD_PERMS.get(module, ()))


def rows_refused(*, user: Any, indicator: str, area_code: str, period: str, via: str) -> None:
    """Record an attempt to reach the records behind an aggregate."""
    audit_record(
        actor=user,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        object_type="monitoring.rows",
        object_id=indicator,
        area_code=area_code,
        reason=f"records behind an aggregate ({period}, {via}): aggregates only",
    )


def may_set_targets(user: Any, area: Area) -> bool:
    """*Set targets* over the area (accounts/roles.py): a provincial monitor in
    the province or their division, a district committee member in their
    district (and its tehsils)."""
    return user_scope(user).permits(Perm.SET_TARGETS, area)


def target_areas(user: Any) -> list[Area]:
    """The areas in the pickers where the user may set targets."""
    return [a for a in area_choices(user) if may_set_targets(user, a)]
