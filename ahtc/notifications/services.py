"""Writes for notifications: tell people that work waits, by count and link.

The domain services call the `notify_*` functions inside their own
transactions (one line each). A notification is stored at once; email and
SMS are sent by a background job queued when the transaction commits, never
in the request. Nothing identifying is passed in: the functions take the
record only to find whom to tell and which list to link.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import RoleAssignment, User
from ahtc.accounts.roles import ROLES, Perm
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.notifications.models import Notification, NotificationKind, Preference

if TYPE_CHECKING:
    from ahtc.accounts.models import Organisation
    from ahtc.cases.models import Handover, Task
    from ahtc.geography.models import Area
    from ahtc.portal.models import Tip
    from ahtc.victims.models import Referral


def roles_with(perms: Iterable[Perm]) -> list[str]:
    wanted = set(perms)
    return [str(role) for role, spec in ROLES.items() if wanted & spec.permissions]


def _ancestor_paths(area: Area) -> list[str]:
    """`PK6/PK6DV03/PK620/` -> the paths of the area and each area above it."""
    codes = area.ancestor_codes()
    return ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]


def users_with_perms(
    perms: Iterable[Perm], *, area: Area | None = None, organisation: Organisation | None = None
) -> QuerySet[User]:
    """Active users holding, today, a role with one of `perms` in an area
    covering `area` (if given), in `organisation` (if given)."""
    grants = RoleAssignment.objects.current().filter(role__in=roles_with(perms))
    if area is not None:
        grants = grants.filter(area__path__in=_ancestor_paths(area))
    users = User.objects.filter(
        is_active=True, organisation__is_active=True, pk__in=grants.values("user_id")
    )
    if organisation is not None:
        users = users.filter(organisation=organisation)
    return users


def _bump(recipient_id: int, kind: str, link: str, now: Any) -> int:
    unread = Notification.objects.filter(recipient_id=recipient_id, kind=kind, read_at=None)
    if unread.update(count=F("count") + 1, link=link, updated_at=now):
        return int(unread.values_list("pk", flat=True).get())
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert wins the race
            created = Notification.objects.create(
                recipient_id=recipient_id, kind=kind, link=link, created_at=now, updated_at=now
            )
            return int(created.pk)
    except IntegrityError:
        unread.update(count=F("count") + 1, link=link, updated_at=now)
        return int(unread.values_list("pk", flat=True).get())


@transaction.atomic
def notify(
    *,
    kind: NotificationKind,
    recipients: Iterable[User] | QuerySet[User],
    link: str,
    by: Any = None,
) -> list[int]:
    """One more item of `kind` for each recipient (not `by` themselves).
    Returns the ids of the notifications raised."""
    if not link.startswith("/cell/"):
        raise ValueError("a notification links to a list inside the workspace")
    now = timezone.now()
    ids = sorted(
        {user.pk for user in recipients if user.is_active and user.pk != getattr(by, "pk", None)}
    )
    raised = [_bump(pk, str(kind), link, now) for pk in ids]
    if raised:
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            object_type=Notification._meta.label_lower,
            reason=f"notified {len(raised)} user(s): {kind}",
        )
        transaction.on_commit(lambda: _deliver_later(raised))
    return raised


class _Pending:
    """The notifications raised in one transaction: sent by one job after it
    commits (a demo build or a bulk action queues one job, not hundreds)."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.flushed = False

    def flush(self) -> None:
        from ahtc.jobs.models import JobKind
        from ahtc.jobs.services import job_enqueue
        from ahtc.notifications.tasks import notifications_deliver_job

        self.flushed = True
        job_enqueue(
            task=notifications_deliver_job,
            kind=JobKind.NOTIFICATIONS_SEND,
            kwargs={"ids": sorted(self.ids)},
        )


_local = threading.local()


def _deliver_later(ids: list[int]) -> None:
    pending: _Pending | None = getattr(_local, "pending", None)
    # A rolled-back transaction drops its callback: start a new batch then.
    waiting = (
        pending is not None
        and not pending.flushed
        and any(entry[1] == pending.flush for entry in transaction.get_connection().run_on_commit)
    )
    if pending is None or not waiting:
        pending = _Pending()
        _local.pending = pending
        transaction.on_commit(pending.flush)
    pending.ids.update(ids)


# --- the events ------------------------------------------------------------------


def _triage_officers(district: Area) -> QuerySet[User]:
    return users_with_perms([Perm.TRIAGE_TIPS], area=district)


def notify_urgent_report(*, tip: Tip) -> list[int]:
    """A report saying someone is in danger now, or that a child is involved."""
    if not tip.urgent:
        return []
    link = reverse("cell:intake") + "?urgent=on"
    return notify(
        kind=NotificationKind.URGENT_REPORTS,
        recipients=_triage_officers(tip.district),
        link=link,
        by=tip.recorded_by,
    )


def notify_reporter_reply(*, tip: Tip) -> list[int]:
    """The assigned officer, if they may still triage there; else the district's."""
    officers = _triage_officers(tip.district)
    if tip.assigned_to_id is not None and officers.filter(pk=tip.assigned_to_id).exists():
        officers = officers.filter(pk=tip.assigned_to_id)
    link = reverse("cell:intake") + "?reply_waiting=on"
    return notify(kind=NotificationKind.REPORTER_REPLIES, recipients=officers, link=link)


def notify_referral_sent(*, referral: Referral, by: Any) -> list[int]:
    """The provider's staff who answer referrals (victims/selectors.py)."""
    staff = users_with_perms([Perm.VIEW_SHARED, Perm.PROSECUTE], organisation=referral.provider)
    return notify(
        kind=NotificationKind.REFERRALS, recipients=staff, link=reverse("cell:referrals"), by=by
    )


def notify_handover(*, handover: Handover, by: Any) -> list[int]:
    """Whoever may answer it (cases/services.py may_answer)."""
    from ahtc.cases.models import HandoverKind

    recipients: QuerySet[User] | list[User] = []
    if handover.kind == HandoverKind.ASSIGN:
        recipients = [handover.to_user] if handover.to_user is not None else []
    elif handover.to_organisation is None:
        pass  # a transfer or referral always names one (cases/services.py)
    elif handover.kind == HandoverKind.TRANSFER:
        recipients = users_with_perms([Perm.MANAGE_CASES], organisation=handover.to_organisation)
    else:
        recipients = users_with_perms(
            [Perm.VIEW_SHARED, Perm.PROSECUTE], organisation=handover.to_organisation
        )
    return notify(
        kind=NotificationKind.HANDOVERS, recipients=recipients, link=reverse("cell:cases"), by=by
    )


def notify_task_assigned(*, task: Task, by: Any) -> list[int]:
    return notify(
        kind=NotificationKind.TASKS,
        recipients=[task.assignee],
        link=reverse("cell:cases_due"),
        by=by,
    )


# --- the reader's own actions ---------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(actor=by, action=AuditAction.UPDATE, target=notification, reason="read")
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    done = Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())
    if done:
        audit_record(
            actor=user,
            action=AuditAction.UPDATE,
            object_type=Notification._meta.label_lower,
            reason=f"{done} marked read",
        )
    return done


def preference_for(user: User) -> Preference:
    """The stored preferences, or the defaults (not saved)."""
    found = Preference.objects.filter(user=user).first()
    return found if found is not None else Preference(user=user)


@transaction.atomic
def preference_update(
    *, user: User, email: bool, sms: bool, sms_number: str, timing: str, language: str
) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.email, preference.sms, preference.timing = email, sms, timing
    preference.sms_number, preference.language = sms_number.strip(), language
    preference.save()
    audit_record(
        actor=user, action=AuditAction.UPDATE, target=preference, reason="notification preferences"
    )
    return preference


@transaction.atomic
def overdue_set(*, user: User, count: int, link: str) -> int | None:
    """The daily overdue notification: its count is the current total (not
    added to); none when nothing is overdue."""
    unread = Notification.objects.filter(
        recipient=user, kind=NotificationKind.OVERDUE, read_at=None
    )
    if count <= 0:
        return None
    now = timezone.now()
    if unread.update(count=count, link=link, updated_at=now, sent_count=0):
        return int(unread.values_list("pk", flat=True).get())
    created = Notification.objects.create(
        recipient=user, kind=NotificationKind.OVERDUE, count=count, link=link
    )
    return int(created.pk)
