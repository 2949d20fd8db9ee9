"""Reads of the rollout register and each district's service levels."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ahtc.accounts.models import RoleAssignment
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.geography.models import Area, AreaLevel
from ahtc.onboarding.models import DistrictRollout


def register_q(user: Any) -> Q:
    """Districts whose rollout a user may read: administrators (reference
    data) and those who read statistics, inside their scope."""
    scope = user_scope(user)
    return scope.q(Perm.MANAGE_REFERENCE, "path") | scope.q(Perm.VIEW_AGGREGATES, "path")


def may_read_register(user: Any) -> bool:
    scope = user_scope(user)
    return scope.has_perm_anywhere(Perm.MANAGE_REFERENCE) or scope.has_perm_anywhere(
        Perm.VIEW_AGGREGATES
    )


def onboardable_districts(user: Any) -> QuerySet[Area]:
    """Current districts inside the user's reference-data scope."""
    return (
        Area.objects.filter(user_scope(user).q(Perm.MANAGE_REFERENCE), level=AreaLevel.DISTRICT)
        .current()
        .order_by("path")
    )


def rollout_for_user(user: Any, code: str, perm: Perm = Perm.MANAGE_REFERENCE) -> DistrictRollout:
    scoped = DistrictRollout.objects.filter(user_scope(user).q(perm, "district__path"))
    row = DistrictRollout.objects.filter(district__code=code).only("pk").first()
    rollout: DistrictRollout = get_scoped_or_404(user=user, scoped=scoped, pk=row.pk if row else 0)
    return rollout


@dataclass
class RegisterRow:
    district: Area
    rollout: DistrictRollout | None
    staffed: Counter[str] = field(default_factory=Counter)

    @property
    def staffed_total(self) -> int:
        return sum(self.staffed.values())


def rollout_register(user: Any, today: dt.date | None = None) -> list[RegisterRow]:
    """Every district the user may read, onboarded or not, with the number of
    people holding each role in it now (three queries whatever the size)."""
    today = today or timezone.localdate()
    districts = list(
        Area.objects.filter(register_q(user), level=AreaLevel.DISTRICT).current().order_by("path")
    )
    rollouts = {
        r.district_id: r
        for r in DistrictRollout.objects.filter(district__in=districts).select_related(
            "cell", "committee"
        )
    }
    counts = (
        RoleAssignment.objects.current(today)
        .filter(area__in=districts, user__is_active=True)
        .values("area_id", "role")
        .annotate(people=Count("user", distinct=True))
    )
    staffed: dict[int, Counter[str]] = {}
    for row in counts:
        staffed.setdefault(row["area_id"], Counter())[row["role"]] = row["people"]
    return [
        RegisterRow(district=d, rollout=rollouts.get(d.pk), staffed=staffed.get(d.pk, Counter()))
        for d in districts
    ]


def service_levels(
    district_ids: list[int] | None = None,
) -> dict[int, tuple[dt.timedelta, dt.timedelta]]:
    """Onboarded districts' (urgent, normal) acknowledgement times, by district id."""
    rows = DistrictRollout.objects.all()
    if district_ids is not None:
        rows = rows.filter(district_id__in=set(district_ids))
    return {
        district_id: (dt.timedelta(hours=urgent), dt.timedelta(hours=normal))
        for district_id, urgent, normal in rows.values_list(
            "district_id", "sla_urgent_hours", "sla_normal_hours"
        )
    }
