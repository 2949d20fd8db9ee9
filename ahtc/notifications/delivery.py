"""Sending notifications by email and SMS: run by background jobs only.

Immediate delivery sends each unread notification once per rise of its
count; the daily digest sends each user one message: their overdue work, and
(for those who chose the digest) every unread notification. Failures are
logged by user id, never by address or number, and never stop the others.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db.models import QuerySet
from django.urls import reverse

from ahtc.accounts.models import RoleAssignment, User
from ahtc.notifications.models import Notification, NotificationKind, Preference, Timing
from ahtc.notifications.selectors import overdue_for_user
from ahtc.notifications.services import overdue_set
from ahtc.notifications.sms import SmsError, sms_adapter
from ahtc.notifications.texts import Line, message

logger = logging.getLogger(__name__)


@dataclass
class Sent:
    emails: int = 0
    sms: int = 0
    failed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"emails": self.emails, "sms": self.sms, "failed": self.failed}


def _preferences(user_ids: list[int]) -> dict[int, Preference]:
    return {p.user_id: p for p in Preference.objects.filter(user_id__in=user_ids)}


def send_to(user: User, preference: Preference, lines: list[Line], sent: Sent) -> None:
    """One message to `user` on each channel they chose; counts and links only."""
    if not lines:
        return
    text = message(lines, language=preference.language)
    if preference.email and user.email:
        try:
            send_mail(text.subject, text.email_body, None, [user.email])
            sent.emails += 1
        except (smtplib.SMTPException, OSError):
            logger.warning("notification email to user %s failed", user.pk)
            sent.failed += 1
    if preference.sms and preference.sms_number:
        try:
            sms_adapter().send(to=preference.sms_number, text=text.sms_body)
            sent.sms += 1
        except SmsError as exc:
            logger.warning("notification SMS to user %s failed: %s", user.pk, exc)
            sent.failed += 1


def deliver(ids: list[int]) -> Sent:
    """Immediate delivery of the given notifications, to those who want it."""
    rows = list(
        Notification.objects.filter(pk__in=ids, read_at=None, recipient__is_active=True)
        .select_related("recipient")
        .order_by("pk")
    )
    preferences = _preferences([n.recipient_id for n in rows])
    sent = Sent()
    for row in rows:
        preference = preferences.get(row.recipient_id) or Preference(user=row.recipient)
        if row.count <= row.sent_count or preference.timing != Timing.IMMEDIATE:
            continue
        send_to(row.recipient, preference, [Line(row.kind, row.count, row.link)], sent)
        Notification.objects.filter(pk=row.pk).update(sent_count=row.count)
    return sent


def digest_recipients() -> QuerySet[User]:
    """Active users of active organisations holding a role today."""
    return User.objects.filter(
        is_active=True,
        organisation__is_active=True,
        pk__in=RoleAssignment.objects.current().values("user_id"),
    ).order_by("pk")


def _digest_lines(user: User, preference: Preference) -> list[Notification]:
    unread = Notification.objects.filter(recipient=user, read_at=None).order_by("kind")
    if preference.timing == Timing.DIGEST:
        return list(unread)
    return list(unread.filter(kind=NotificationKind.OVERDUE))


def digest_send(progress: Callable[[float], None] | None = None) -> Sent:
    """The daily digest: refresh each user's overdue count, then send."""
    users = list(digest_recipients())
    preferences = _preferences([u.pk for u in users])
    link = reverse("cell:home") + "#your-work"
    sent = Sent()
    for done, user in enumerate(users, start=1):
        overdue_set(user=user, count=overdue_for_user(user), link=link)
        preference = preferences.get(user.pk) or Preference(user=user)
        rows = _digest_lines(user, preference)
        send_to(user, preference, [Line(r.kind, r.count, r.link) for r in rows], sent)
        for row in rows:
            Notification.objects.filter(pk=row.pk).update(sent_count=row.count)
        if progress is not None and done % 100 == 0:
            progress(done / len(users))
    return sent
