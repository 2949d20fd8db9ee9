"""District vigilance committees: who may do what, and their writes.

Reading a committee's records (members, meetings, action items, reports)
needs *view aggregates* in the district, like every monitoring page: a
committee member of one district asking for another answers 404 (audited).

Writing needs more than reading, and no permission in accounts/roles.py says
it, so the rule is the role held (STYLE.md §6 keeps roles as data; these are
the committee's posts):

- the committee's own records and its report: a *committee member* or the
  *cell head* (DPO, the committee's secretary) holding the role over the district;
- reviewing a submitted report: a *provincial monitor* over the division
  (a grant on the division or the province);
- accepting a reviewed report, and reopening a locked one: a provincial
  monitor holding the role on the province itself.

Nothing here names a victim or an accused: action items are the committee's
decisions, about agencies and posts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import Organisation, RoleAssignment, User
from ahtc.accounts.roles import Perm, Role
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionStatus,
    CommitteeMember,
    Meeting,
)
from ahtc.monitoring.selectors import aggregate_area_for_user
from ahtc.monitoring.services import MonitoringError

COMMITTEE_ROLES = (Role.COMMITTEE_MEMBER, Role.CELL_HEAD)
REVIEW_LEVELS = (AreaLevel.DIVISION, AreaLevel.PROVINCE)


def _holds(user: Any, roles: tuple[str, ...], area: Area, levels: tuple[str, ...] = ()) -> bool:
    return any(
        g.role in roles
        and area.path.startswith(g.area_path)
        and (not levels or g.area_level in levels)
        for g in user_scope(user).grants
    )


def may_run_committee(user: Any, district: Area) -> bool:
    return _holds(user, COMMITTEE_ROLES, district)


def may_review(user: Any, district: Area) -> bool:
    return _holds(user, (Role.PROVINCIAL_MONITOR,), district, REVIEW_LEVELS)


def may_accept(user: Any, district: Area) -> bool:
    return _holds(user, (Role.PROVINCIAL_MONITOR,), district, (AreaLevel.PROVINCE,))


def committee_district_for_user(user: Any, code: str) -> Area:
    """A district whose committee the user may read; 404 (audited) otherwise.
    A province or division code is not a committee: MonitoringError."""
    area = aggregate_area_for_user(user, code)
    if area.level != AreaLevel.DISTRICT:
        raise MonitoringError(_("Choose a district: committees sit in districts."))
    return area


def _in_scope(user: Any, field: str = "district__path") -> Q:
    return user_scope(user).q(Perm.VIEW_AGGREGATES, field)


def action_items_for_user(user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(_in_scope(user))


def action_item_for_user(user: Any, pk: Any) -> ActionItem:
    return get_scoped_or_404(user=user, scoped=action_items_for_user(user), pk=pk)


def meeting_for_user(user: Any, pk: Any) -> Meeting:
    return get_scoped_or_404(user=user, scoped=Meeting.objects.filter(_in_scope(user)), pk=pk)


def member_for_user(user: Any, pk: Any) -> CommitteeMember:
    scoped = CommitteeMember.objects.filter(_in_scope(user))
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk)


def district_agencies(district: Area) -> QuerySet[Organisation]:
    """Active organisations serving the district: in it, or above it."""
    ancestors = [a for a in district.path.split("/") if a]
    paths = ["".join(f"{c}/" for c in ancestors[: i + 1]) for i in range(len(ancestors))]
    return Organisation.objects.filter(
        Q(area__path__startswith=district.path) | Q(area__path__in=paths), is_active=True
    ).order_by("kind", "name_en")


def committee_users(district: Area) -> QuerySet[User]:
    """Who runs the district's committee in the workspace (told of overdue items)."""
    ancestors = [a for a in district.path.split("/") if a]
    paths = ["".join(f"{c}/" for c in ancestors[: i + 1]) for i in range(len(ancestors))]
    grants = RoleAssignment.objects.current().filter(
        role__in=[str(r) for r in COMMITTEE_ROLES], area__path__in=paths
    )
    return User.objects.filter(
        is_active=True, organisation__is_active=True, pk__in=grants.values("user_id")
    )


def overdue_items(today: dt.date) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(status__in=OPEN_STATUSES, due__lt=today)


def committee_url(district: Area, show: str = "") -> str:
    url = f"{reverse('cell:monitoring:committee')}?area={district.code}"
    return f"{url}&show={show}" if show else url


# --- writes ------------------------------------------------------------------------------


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise MonitoringError(_("Only the committee's members and the cell head may do this."))


@transaction.atomic
def member_add(
    *,
    district: Area,
    organisation: Organisation,
    post: str,
    by: User,
    name: str = "",
    role: str = "member",
    user: User | None = None,
) -> CommitteeMember:
    _refuse_unless(may_run_committee(by, district))
    member = CommitteeMember.objects.create(
        district=district, organisation=organisation, post=post, name=name, role=role, user=user
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=member, area_code=district.code)
    return member


@transaction.atomic
def member_retire(*, member: CommitteeMember, by: User) -> CommitteeMember:
    _refuse_unless(may_run_committee(by, member.district))
    CommitteeMember.objects.filter(pk=member.pk).update(active=False)
    member.active = False
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=member,
        area_code=member.district.code,
        reason="no longer serving",
    )
    return member


@transaction.atomic
def meeting_record(
    *,
    district: Area,
    held_on: dt.date,
    agenda: str,
    by: User,
    minutes: str = "",
    attendees: list[CommitteeMember] | None = None,
) -> Meeting:
    _refuse_unless(may_run_committee(by, district))
    if not agenda.strip():
        raise MonitoringError(_("Write the agenda of the meeting."))
    meeting = Meeting.objects.create(
        district=district, held_on=held_on, agenda=agenda, minutes=minutes, recorded_by=by
    )
    present = [m for m in attendees or [] if m.district_id == district.pk]
    meeting.attendees.set(present)
    audit_record(actor=by, action=AuditAction.CREATE, target=meeting, area_code=district.code)
    return meeting


@transaction.atomic
def meeting_minutes_set(*, meeting: Meeting, minutes: str, by: User) -> Meeting:
    _refuse_unless(may_run_committee(by, meeting.district))
    Meeting.objects.filter(pk=meeting.pk).update(minutes=minutes)
    meeting.minutes = minutes
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=meeting,
        area_code=meeting.district.code,
        reason="minutes",
    )
    return meeting


@transaction.atomic
def action_add(
    *,
    meeting: Meeting,
    decision: str,
    organisation: Organisation,
    assignee: str,
    due: dt.date,
    by: User,
    assignee_user: User | None = None,
) -> ActionItem:
    _refuse_unless(may_run_committee(by, meeting.district))
    if due < meeting.held_on:
        raise MonitoringError(_("The due date cannot be before the meeting."))
    item = ActionItem.objects.create(
        meeting=meeting,
        district=meeting.district,
        decision=decision,
        organisation=organisation,
        assignee=assignee,
        assignee_user=assignee_user,
        due=due,
    )
    audit_record(actor=by, action=AuditAction.CREATE, target=item, area_code=item.district.code)
    return item


@transaction.atomic
def action_update(
    *,
    item: ActionItem,
    status: str,
    by: User,
    evidence: str = "",
    due: dt.date | None = None,
    today: dt.date | None = None,
) -> ActionItem:
    """Change an item's status (done needs evidence), evidence or due date."""
    _refuse_unless(may_run_committee(by, item.district))
    status = ActionStatus(status)
    evidence = evidence.strip() or item.evidence
    if status == ActionStatus.DONE and not evidence:
        raise MonitoringError(_("Say what was done (the evidence) before closing the item."))
    changes: dict[str, Any] = {"status": status, "evidence": evidence}
    closing = status in (ActionStatus.DONE, ActionStatus.DROPPED)
    changes["closed_on"] = (today or timezone.localdate()) if closing else None
    if due is not None and due != item.due:
        changes |= {"due": due, "escalated_on": None}  # a new date, a new escalation
    ActionItem.objects.filter(pk=item.pk).update(**changes)
    for name, new in changes.items():
        setattr(item, name, new)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=item,
        area_code=item.district.code,
        reason=f"status {status}" + (f", due {due}" if "due" in changes else ""),
    )
    return item


@transaction.atomic
def actions_escalate(*, today: dt.date) -> int:
    """Tell each district's committee (and the assignee, if they have an
    account) of items that passed their due date since the last sweep. Each
    item is escalated once per due date; the notification says how many."""
    from ahtc.notifications.models import NotificationKind
    from ahtc.notifications.services import notify

    fresh = overdue_items(today).filter(escalated_on__isnull=True).select_related("district")
    items = list(fresh.select_for_update(of=("self",)))
    by_district: dict[int, list[ActionItem]] = {}
    for item in items:
        by_district.setdefault(item.district_id, []).append(item)
    for district_items in by_district.values():
        district = district_items[0].district
        link = committee_url(district, "overdue")
        told = set(committee_users(district)) | {
            i.assignee_user for i in district_items if i.assignee_user is not None
        }
        for _item in district_items:
            notify(kind=NotificationKind.ACTION_ITEMS, recipients=told, link=link)
    ActionItem.objects.filter(pk__in=[i.pk for i in items]).update(escalated_on=today)
    if items:
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type=ActionItem._meta.label_lower,
            reason=f"escalated {len(items)} overdue action items in {len(by_district)} districts",
        )
    return len(items)
