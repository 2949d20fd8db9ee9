"""The daily digest: a scheduled job that counts each user's overdue work
and sends one message, by the preferences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.module_loading import import_string

from ahtc.accounts.models import User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case
from ahtc.jobs.models import Job, JobKind
from ahtc.jobs.schedule import DAY, SCHEDULE, schedules_run_due
from ahtc.jobs.tests.helpers import run_jobs
from ahtc.notifications.models import Notification, NotificationKind, Preference, Timing
from ahtc.notifications.services import notify, preference_update
from ahtc.notifications.tasks import notifications_digest_job
from ahtc.notifications.tests.helpers import assert_no_identity

pytestmark = pytest.mark.django_db

ENTRY = next(e for e in SCHEDULE if e.name == "notifications_digest")


def with_email(*users: User, language: str = "en") -> None:
    """Users with an email address who read their messages in `language`
    (the default for everyone is Urdu: test_emails_are_in_urdu_by_default)."""
    for user in users:
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
        Preference.objects.update_or_create(user=user, defaults={"language": language})


def overdue_task(case: Case, by: User, to: User) -> None:
    due = timezone.localdate() - dt.timedelta(days=3)
    case_services.task_add(case=case, by=by, title="Secret title", assignee=to, due=due)


def run_digest() -> None:
    started = schedules_run_due(worker_id="test", schedule=[ENTRY])
    assert [job.kind for job in started] == [JobKind.NOTIFICATIONS_DIGEST]
    assert run_jobs() == 1


def test_the_digest_is_a_daily_scheduled_job() -> None:
    assert ENTRY.every == DAY
    assert ENTRY.kind == JobKind.NOTIFICATIONS_DIGEST
    assert import_string(ENTRY.task) is notifications_digest_job


def test_digest_counts_overdue_work_and_emails_it(
    officer_mbdin: User,
    io_mbdin: User,
    officer_gujrat: User,
    make_case: Callable[..., Case],
    gujrat: Any,
) -> None:
    with_email(officer_mbdin, io_mbdin, officer_gujrat)
    overdue_task(make_case(), officer_mbdin, io_mbdin)
    mail.outbox.clear()
    run_digest()
    for user in (officer_mbdin, io_mbdin):  # the district's officer and the assignee
        row = Notification.objects.get(recipient=user, kind=NotificationKind.OVERDUE)
        assert row.count == 1
        assert row.link == "/cell/#your-work"
    assert not Notification.objects.filter(recipient=officer_gujrat).exists()
    bodies = {m.to[0]: str(m.body) for m in mail.outbox}
    assert set(bodies) == {officer_mbdin.email, io_mbdin.email}
    assert "You have 1 overdue item." in bodies[io_mbdin.email]
    assert all("Secret title" not in body for body in bodies.values())
    assert_no_identity(bodies.values())
    job = Job.objects.get(kind=JobKind.NOTIFICATIONS_DIGEST)
    assert job.status == "SUCCESSFUL"


def test_the_next_digest_replaces_the_count_instead_of_adding(
    officer_mbdin: User, io_mbdin: User, make_case: Callable[..., Case]
) -> None:
    overdue_task(make_case(), officer_mbdin, io_mbdin)
    run_digest()
    schedules_run_due(worker_id="test", schedule=[ENTRY], now=timezone.now() + DAY)
    run_jobs()
    row = Notification.objects.get(recipient=io_mbdin, kind=NotificationKind.OVERDUE)
    assert row.count == 1


def test_digest_mode_sends_everything_unread_in_one_message(
    officer_mbdin: User, io_mbdin: User, make_case: Callable[..., Case]
) -> None:
    with_email(io_mbdin)
    preference_update(
        user=io_mbdin, email=True, sms=False, sms_number="", timing=Timing.DIGEST, language="en"
    )
    overdue_task(make_case(), officer_mbdin, io_mbdin)  # also a "new task" notification
    run_jobs()  # the immediate sends: none for a digest reader
    assert mail.outbox == []
    run_digest()
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    assert "You have 1 overdue item." in body
    assert "You have 1 new task on a case." in body


def test_nothing_overdue_sends_nothing(officer_mbdin: User) -> None:
    with_email(officer_mbdin)
    notify(kind=NotificationKind.TASKS, recipients=[officer_mbdin], link="/cell/cases/due/")
    run_digest()  # immediate reader: the digest carries overdue work only
    assert mail.outbox == []
    assert not Notification.objects.filter(kind=NotificationKind.OVERDUE).exists()
