"""The agencies app's scheduled job: tell the cell when a notice passes its
deadline (daily; jobs/schedule.py).

The notification names no agency and no person: a count and a link to the
inspection list filtered to overdue notices. Each notice is told once
(`Notice.overdue_notified`), so a day the worker missed is caught up the next.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task

from ahtc.accounts.roles import Perm
from ahtc.agencies.models import AgencyStatus, Notice
from ahtc.agencies.selectors import overdue_notices_q
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area
from ahtc.jobs.models import Job
from ahtc.jobs.running import run_job
from ahtc.notifications.models import NotificationKind
from ahtc.notifications.services import notify, users_with_perms


@transaction.atomic
def overdue_notices_notify(*, today: dt.date | None = None) -> int:
    """Tell the officers of each district (those who act on agencies) how many
    of its notices have newly passed their deadline. Returns how many notices."""
    today = today or timezone.localdate()
    fresh = (
        Notice.objects.select_for_update()
        .filter(overdue_notices_q(today), overdue_notified=False)
        .exclude(agency__status=AgencyStatus.CLOSED)
    )
    per_district = Counter(fresh.values_list("agency__district_id", flat=True))
    link = f"{reverse('cell:agencies:inspections')}?due=notices"
    for district in Area.objects.filter(pk__in=per_district):
        officers = list(users_with_perms([Perm.MANAGE_CASES], area=district))
        for _notice in range(per_district[district.pk]):
            notify(kind=NotificationKind.AGENCY_NOTICES, recipients=officers, link=link)
    told = Notice.objects.filter(pk__in=fresh.values("pk")).update(overdue_notified=True)
    if told:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="agencies.notice",
            reason=f"officers told of {told} agency notices past their deadline",
        )
    return told


def _notify(job: Job) -> dict[str, int]:
    return {"notices": overdue_notices_notify()}


@task(takes_context=True)
def agency_notices_overdue_job(context: TaskContext) -> dict[str, int]:
    return run_job(context, _notify)
