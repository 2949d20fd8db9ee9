from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.portal.models import URGENT, Tip, TipStatus


def tips_for_user(user: Any) -> QuerySet[Tip]:
    """Reports in the districts where the user may triage. Fails closed."""
    return Tip.objects.filter(user_scope(user).ids_q(Perm.TRIAGE_TIPS, "district_id"))


def tip_for_user(user: Any, pk: Any) -> Tip:
    return get_scoped_or_404(user=user, scoped=tips_for_user(user), pk=pk, audit_allowed=True)


def _late(urgent: dt.timedelta, normal: dt.timedelta, now: dt.datetime) -> Q:
    return (URGENT & Q(created_at__lt=now - urgent)) | (~URGENT & Q(created_at__lt=now - normal))


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Open reports not acknowledged within their district's service level:
    the queue's "overdue" mark (staff_views.sla_due), as one filter."""
    from ahtc.onboarding.selectors import service_levels
    from ahtc.portal.staff_views import SLA_NORMAL, SLA_URGENT

    now = now or timezone.now()
    districts: dict[tuple[dt.timedelta, dt.timedelta], list[int]] = defaultdict(list)
    for district_id, levels in service_levels().items():
        districts[levels].append(district_id)
    onboarded = [pk for ids in districts.values() for pk in ids]
    late = ~Q(district_id__in=onboarded) & _late(SLA_URGENT, SLA_NORMAL, now)
    for (urgent, normal), ids in districts.items():
        late |= Q(district_id__in=ids) & _late(urgent, normal, now)
    return Q(acknowledged_at__isnull=True, status__in=[TipStatus.NEW, TipStatus.TRIAGED]) & late


def may_open_tip(user: Any, tip: Tip) -> bool:
    """The rule of tips_for_user for one report: an active user of an active
    organisation who may triage reports in the report's district."""
    from ahtc.accounts.selectors import user_may_authenticate

    return user_may_authenticate(user) and user_scope(user).permits(Perm.TRIAGE_TIPS, tip.district)


def tip_assignees(tip: Tip) -> QuerySet[Any]:
    """Who a report can be assigned to: the users `may_open_tip` lets open it
    (a current role with TRIAGE_TIPS held in the district or an area above it)."""
    from ahtc.accounts.models import RoleAssignment, User
    from ahtc.accounts.roles import ROLES

    covering = [code for code in tip.district.path.split("/") if code]
    roles = [role for role, spec in ROLES.items() if Perm.TRIAGE_TIPS in spec.permissions]
    held = RoleAssignment.objects.current().filter(area__code__in=covering, role__in=roles)
    return (
        User.objects.filter(is_active=True, pk__in=held.values("user_id"))
        .exclude(organisation__is_active=False)
        .order_by("username")
    )
