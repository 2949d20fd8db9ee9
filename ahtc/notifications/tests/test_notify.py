"""Who is told what: the triggers, coalescing, sending by the job (never the
request), preferences, and no identity in any text, email or SMS."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ahtc.accounts.models import Organisation, User
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, HandoverKind
from ahtc.jobs.models import Job, JobKind
from ahtc.jobs.tests.helpers import run_jobs
from ahtc.notifications import sms as sms_module
from ahtc.notifications.models import Notification, NotificationKind, Preference, Timing
from ahtc.notifications.services import notify, preference_update
from ahtc.notifications.tests.helpers import (
    CNIC,
    NAME,
    PHONE,
    PLACE,
    REPORT_TEXT,
    all_bodies,
    assert_no_identity,
)
from ahtc.portal.models import Tip, TipStatus
from ahtc.portal.services import tip_reporter_reply, tip_set_status, tip_staff_reply
from ahtc.portal.tests.test_intake import make_tip
from ahtc.victims import services as victim_services
from ahtc.victims.models import ProtectionRecord, ServiceType

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
Capture = Callable[..., Any]


def with_email(*users: User, language: str = "en") -> None:
    """Users with an email address who read their messages in `language`
    (the default for everyone is Urdu: test_emails_are_in_urdu_by_default)."""
    for user in users:
        user.email = f"{user.username}@example.test"
        user.save(update_fields=["email"])
        Preference.objects.update_or_create(user=user, defaults={"language": language})


def unread(user: User, kind: str) -> Notification | None:
    return Notification.objects.filter(recipient=user, kind=kind, read_at=None).first()


def urgent_tip(**changes: Any) -> Tip:
    values: dict[str, Any] = {
        "danger_now": True,
        "description": REPORT_TEXT,
        "involved": NAME,
        "place": PLACE,
        "contact": f"{PHONE} CNIC {CNIC}",
    }
    values.update(changes)
    return make_tip(**values)


@pytest.fixture
def sms_out(monkeypatch: pytest.MonkeyPatch, settings: Any) -> io.StringIO:
    """The console adapter, writing where the test can read."""
    out = io.StringIO()
    settings.AHTC_SMS_BACKEND = "console"
    monkeypatch.setattr(sms_module, "sms_adapter", lambda: sms_module.ConsoleSms(out))
    monkeypatch.setattr(
        "ahtc.notifications.delivery.sms_adapter", lambda: sms_module.ConsoleSms(out)
    )
    return out


# --- urgent reports ----------------------------------------------------------------------


def test_urgent_report_tells_the_districts_triage_officers_only(
    officer_mbdin: User, dpo_mbdin: User, officer_gujrat: User, io_mbdin: User
) -> None:
    urgent_tip()
    assert unread(officer_mbdin, NotificationKind.URGENT_REPORTS) is not None
    assert unread(dpo_mbdin, NotificationKind.URGENT_REPORTS) is not None
    assert unread(officer_gujrat, NotificationKind.URGENT_REPORTS) is None  # other district
    assert unread(io_mbdin, NotificationKind.URGENT_REPORTS) is None  # does not triage


def test_an_ordinary_report_tells_no_one(officer_mbdin: User) -> None:
    make_tip()
    assert not Notification.objects.exists()


def test_events_of_one_kind_coalesce_into_one_unread_notification(officer_mbdin: User) -> None:
    for _ in range(3):
        urgent_tip()
    row = Notification.objects.get(recipient=officer_mbdin)
    assert row.count == 3
    assert row.text == "You have 3 new urgent citizen reports."
    assert row.link == reverse("cell:intake") + "?urgent=on"


def test_after_reading_a_new_event_starts_a_new_notification(officer_mbdin: User) -> None:
    urgent_tip()
    Notification.objects.filter(recipient=officer_mbdin).update(read_at=dt.datetime.now(dt.UTC))
    urgent_tip()
    assert list(
        Notification.objects.filter(recipient=officer_mbdin).values_list("count", flat=True)
    ) == [1, 1]


def test_disabled_user_is_not_told(officer_mbdin: User) -> None:
    officer_mbdin.is_active = False
    officer_mbdin.save(update_fields=["is_active"])
    urgent_tip()
    assert not Notification.objects.exists()


# --- reporter replies: the queue's mark and who is told ---------------------------------


def test_reporter_reply_marks_the_report_and_tells_the_district_when_unassigned(
    officer_mbdin: User, dpo_mbdin: User, officer_gujrat: User
) -> None:
    tip = make_tip()
    tip_reporter_reply(tip=tip, body=f"He is {NAME}, call {PHONE}")
    tip.refresh_from_db()
    assert tip.reply_waiting is True
    assert unread(officer_mbdin, NotificationKind.REPORTER_REPLIES) is not None
    assert unread(dpo_mbdin, NotificationKind.REPORTER_REPLIES) is not None
    assert unread(officer_gujrat, NotificationKind.REPORTER_REPLIES) is None
    assert_no_identity(all_bodies())


def test_reporter_reply_tells_only_the_assigned_officer(
    officer_mbdin: User, dpo_mbdin: User
) -> None:
    tip = make_tip()
    tip_set_status(tip=tip, status=TipStatus.NEW, by=dpo_mbdin, assign_to=officer_mbdin)
    tip_reporter_reply(tip=tip, body="More details")
    assert unread(officer_mbdin, NotificationKind.REPORTER_REPLIES) is not None
    assert unread(dpo_mbdin, NotificationKind.REPORTER_REPLIES) is None


def test_staff_reply_clears_the_mark(officer_mbdin: User) -> None:
    tip = make_tip()
    tip_reporter_reply(tip=tip, body="More details")
    tip_staff_reply(tip=tip, body="Thank you", by=officer_mbdin)
    tip.refresh_from_db()
    assert tip.reply_waiting is False


def test_opening_the_report_clears_the_mark_but_another_districts_officer_cannot(
    officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
) -> None:
    tip = make_tip()
    tip_reporter_reply(tip=tip, body="More details")
    queue = reverse("cell:intake") + "?reply_waiting=on"
    client = login_as(officer_gujrat)
    assert client.get(reverse("cell:intake_detail", args=[tip.pk])).status_code == 404
    tip.refresh_from_db()
    assert tip.reply_waiting is True
    client = login_as(officer_mbdin)
    listing = client.get(queue).content.decode()
    assert tip.reference in listing
    assert "reply waiting" in listing
    assert client.get(reverse("cell:intake_detail", args=[tip.pk])).status_code == 200
    tip.refresh_from_db()
    assert tip.reply_waiting is False
    assert tip.reference not in client.get(queue).content.decode()


# --- referrals, handovers, tasks ---------------------------------------------------------


def test_referral_sent_tells_the_providers_staff_only(
    record: ProtectionRecord,
    officer_mbdin: User,
    health_org: Organisation,
    health_user: User,
    labour_liaison: User,
    give_consent: Callable[..., Any],
) -> None:
    give_consent(record, ServiceType.HEALTH)
    victim_services.referral_create(
        record=record, by=officer_mbdin, provider=health_org, service=ServiceType.HEALTH, needs="x"
    )
    row = unread(health_user, NotificationKind.REFERRALS)
    assert row is not None
    assert row.link == reverse("cell:referrals")
    assert unread(labour_liaison, NotificationKind.REFERRALS) is None
    assert unread(officer_mbdin, NotificationKind.REFERRALS) is None  # not the sender


def test_a_draft_referral_tells_no_one_until_it_is_sent(
    make_record: Callable[..., ProtectionRecord],
    officer_mbdin: User,
    cpb_user: User,
    give_consent: Callable[..., Any],
) -> None:
    record = make_record(child=True)  # a draft to the Child Protection Bureau
    draft = record.referrals.get()
    assert unread(cpb_user, NotificationKind.REFERRALS) is None
    give_consent(record, ServiceType.SOCIAL_CARE, identity=True)
    victim_services.referral_send(referral=draft, by=officer_mbdin)
    assert unread(cpb_user, NotificationKind.REFERRALS) is not None


def test_handover_tells_whoever_may_answer(
    make_case: Callable[..., Case],
    officer_mbdin: User,
    io_mbdin: User,
    fia_liaison: User,
    officer_gujrat: User,
    labour_liaison: User,
) -> None:
    case_services.handover_create(
        case=make_case(),
        by=officer_mbdin,
        kind=HandoverKind.ASSIGN,
        reason="Lead it",
        to_user=io_mbdin,
    )
    assert unread(io_mbdin, NotificationKind.HANDOVERS) is not None
    assert unread(fia_liaison, NotificationKind.HANDOVERS) is None
    case_services.handover_create(
        case=make_case(),
        by=officer_mbdin,
        kind=HandoverKind.REFER,
        reason="Abroad",
        to_organisation=fia_liaison.organisation,
    )
    assert unread(fia_liaison, NotificationKind.HANDOVERS) is not None
    case_services.handover_create(
        case=make_case(),
        by=officer_mbdin,
        kind=HandoverKind.TRANSFER,
        reason="They live in Gujrat",
        to_organisation=officer_gujrat.organisation,
    )
    assert unread(officer_gujrat, NotificationKind.HANDOVERS) is not None
    assert unread(labour_liaison, NotificationKind.HANDOVERS) is None
    assert unread(officer_mbdin, NotificationKind.HANDOVERS) is None  # the sender


def test_task_tells_its_assignee_but_not_someone_who_assigns_themself(
    case: Case, officer_mbdin: User, io_mbdin: User
) -> None:
    due = timezone.localdate() + dt.timedelta(days=3)
    case_services.task_add(case=case, by=officer_mbdin, title="t", assignee=io_mbdin, due=due)
    case_services.task_add(case=case, by=officer_mbdin, title="u", assignee=officer_mbdin, due=due)
    row = unread(io_mbdin, NotificationKind.TASKS)
    assert row is not None
    assert row.link == reverse("cell:cases_due")
    assert unread(officer_mbdin, NotificationKind.TASKS) is None


# --- sending: by the job, never the request; preferences ---------------------------------


def test_email_is_sent_by_the_job_not_the_request(
    case: Case,
    officer_mbdin: User,
    io_mbdin: User,
    login_as: LoginAs,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with_email(io_mbdin)
    client = login_as(officer_mbdin)
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("cell:case_task", args=[case.reference]),
            {"title": "Trace the agent", "assignee": io_mbdin.pk, "due": due},
        )
    assert response.status_code == 302
    assert mail.outbox == []  # nothing sent while the request ran
    assert Job.objects.filter(kind=JobKind.NOTIFICATIONS_SEND).count() == 1
    assert run_jobs() == 1
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [io_mbdin.email]
    assert "You have 1 new task on a case." in email.body
    assert "http://127.0.0.1:8000/cell/cases/due/" in email.body
    assert case.reference not in email.body
    assert case.title not in email.body


def test_emails_are_in_urdu_by_default(
    officer_mbdin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    officer_mbdin.email = "officer@example.test"
    officer_mbdin.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        urgent_tip()
    run_jobs()
    [email] = mail.outbox
    assert "فوری" in email.body  # "urgent"
    assert "You have" not in email.body


def test_two_events_before_the_job_runs_send_one_email_with_the_total(
    officer_mbdin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with_email(officer_mbdin)
    for _ in range(2):  # two transactions, two jobs
        with django_capture_on_commit_callbacks(execute=True):
            urgent_tip()
    assert run_jobs() == 2
    assert len(mail.outbox) == 1
    assert "You have 2 new urgent citizen reports." in mail.outbox[0].body


def test_one_transaction_queues_one_job(
    officer_mbdin: User, dpo_mbdin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        urgent_tip()
        tip_reporter_reply(tip=make_tip(), body="More")
    assert Job.objects.filter(kind=JobKind.NOTIFICATIONS_SEND).count() == 1


def test_no_identity_in_texts_emails_or_sms(
    officer_mbdin: User,
    dpo_mbdin: User,
    sms_out: io.StringIO,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with_email(officer_mbdin, dpo_mbdin)
    preference_update(
        user=officer_mbdin,
        email=True,
        sms=True,
        sms_number="+923001234567",
        timing=Timing.IMMEDIATE,
        language="ur",
    )
    with django_capture_on_commit_callbacks(execute=True):
        tip = urgent_tip()
        tip_reporter_reply(tip=tip, body=f"{NAME} {PHONE} {CNIC} {PLACE}")
    run_jobs()
    assert len(mail.outbox) == 4  # two kinds, two officers
    assert "SMS to +923001234567" in sms_out.getvalue()
    assert_no_identity([*all_bodies(), sms_out.getvalue()])


def test_preferences_are_respected(
    officer_mbdin: User,
    dpo_mbdin: User,
    sms_out: io.StringIO,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with_email(officer_mbdin, dpo_mbdin)
    # The officer wants SMS only; the cell head wants the daily digest.
    preference_update(
        user=officer_mbdin,
        email=False,
        sms=True,
        sms_number="+923001234567",
        timing=Timing.IMMEDIATE,
        language="en",
    )
    preference_update(
        user=dpo_mbdin, email=True, sms=False, sms_number="", timing=Timing.DIGEST, language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        urgent_tip()
    run_jobs()
    assert mail.outbox == []
    assert sms_out.getvalue().count("SMS to") == 1
    assert "You have 1 new urgent citizen report." in sms_out.getvalue()
    # Both still see it in the workspace.
    assert unread(officer_mbdin, NotificationKind.URGENT_REPORTS) is not None
    assert unread(dpo_mbdin, NotificationKind.URGENT_REPORTS) is not None


def test_email_in_the_readers_language(
    officer_mbdin: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with_email(officer_mbdin)
    preference_update(
        user=officer_mbdin, email=True, sms=False, sms_number="", timing="immediate", language="ur"
    )
    with django_capture_on_commit_callbacks(execute=True):
        urgent_tip()
    run_jobs()
    assert len(mail.outbox) == 1
    assert Preference.objects.get(user=officer_mbdin).language == "ur"


def test_notify_refuses_to_link_outside_the_workspace(officer_mbdin: User) -> None:
    with pytest.raises(ValueError, match="inside the workspace"):
        notify(kind=NotificationKind.TASKS, recipients=[officer_mbdin], link="https://evil.test/")
