"""The notification pages: the list, mark-read (own only), the unread badge
on every workspace page, and the preferences form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.notifications.models import Notification, NotificationKind, Preference, Timing
from ahtc.notifications.selectors import unread_count
from ahtc.notifications.services import notify

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
LIST = "/cell/notifications/"
PREFS = "/cell/notifications/preferences/"


def tell(user: User, times: int = 1, kind: str = NotificationKind.TASKS) -> Notification:
    for _ in range(times):
        notify(kind=NotificationKind(kind), recipients=[user], link="/cell/cases/due/")
    return Notification.objects.get(recipient=user, kind=kind, read_at=None)


def test_anonymous_goes_to_sign_in(client: Client) -> None:
    for url in (LIST, PREFS):
        assert client.get(url)["Location"].startswith(reverse("accounts:login"))


def test_list_shows_the_readers_notifications_as_counts(
    officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
) -> None:
    tell(officer_mbdin, 2)
    tell(officer_gujrat, 5, NotificationKind.URGENT_REPORTS)
    page = login_as(officer_mbdin).get(LIST).content.decode()
    assert "You have 2 new tasks on cases." in page
    assert "urgent" not in page  # someone else's


def test_list_in_urdu(officer_mbdin: User, login_as: LoginAs) -> None:
    tell(officer_mbdin)
    client = login_as(officer_mbdin)
    client.cookies["ahtc_lang"] = "ur"
    page = client.get(LIST).content.decode()
    assert 'dir="rtl"' in page


def test_unread_badge_on_workspace_pages(officer_mbdin: User, login_as: LoginAs) -> None:
    client = login_as(officer_mbdin)
    assert "unread-badge" not in client.get(reverse("cell:home")).content.decode()
    tell(officer_mbdin)
    tell(officer_mbdin, kind=NotificationKind.URGENT_REPORTS)
    for url in (reverse("cell:home"), reverse("cell:intake"), LIST):
        assert "2 unread" in client.get(url).content.decode(), url


def test_unread_count_is_one_query_per_request(
    officer_mbdin: User, rf: RequestFactory, django_assert_num_queries: Any
) -> None:
    tell(officer_mbdin)
    request = rf.get("/cell/")
    request.user = officer_mbdin
    with django_assert_num_queries(1):
        assert unread_count(request) == 1
        assert unread_count(request) == 1


def test_mark_read_and_open(officer_mbdin: User, login_as: LoginAs) -> None:
    row = tell(officer_mbdin)
    client = login_as(officer_mbdin)
    url = reverse("cell:notifications:read", args=[row.pk])
    assert client.get(url).status_code == 405  # a change is a POST
    response = client.post(url, {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/cell/cases/due/"
    row.refresh_from_db()
    assert row.read_at is not None
    assert "unread-badge" not in client.get(LIST).content.decode()


def test_another_users_notification_is_404_and_audited(
    officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
) -> None:
    theirs = tell(officer_gujrat)
    client = login_as(officer_mbdin)
    response = client.post(reverse("cell:notifications:read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert AuditEvent.objects.filter(
        actor=officer_mbdin, outcome=AuditOutcome.REFUSED, object_type="notifications.notification"
    ).exists()


def test_mark_all_read_touches_only_ones_own(
    officer_mbdin: User, officer_gujrat: User, login_as: LoginAs
) -> None:
    tell(officer_mbdin)
    tell(officer_mbdin, kind=NotificationKind.REFERRALS)
    theirs = tell(officer_gujrat)
    login_as(officer_mbdin).post(reverse("cell:notifications:read_all"))
    assert not Notification.objects.filter(recipient=officer_mbdin, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- preferences ------------------------------------------------------------------------


def test_preferences_are_saved_and_audited(officer_mbdin: User, login_as: LoginAs) -> None:
    officer_mbdin.email = "officer@example.test"
    officer_mbdin.save(update_fields=["email"])
    client = login_as(officer_mbdin)
    assert client.get(PREFS).status_code == 200
    response = client.post(
        PREFS,
        {
            "email": "on",
            "sms": "on",
            "sms_number": "0300 1234567",
            "timing": Timing.DIGEST,
            "language": "en",
        },
    )
    assert response.status_code == 302
    saved = Preference.objects.get(user=officer_mbdin)
    assert (saved.email, saved.sms, saved.sms_number, saved.timing) == (
        True,
        True,
        "+923001234567",
        Timing.DIGEST,
    )
    assert AuditEvent.objects.filter(
        actor=officer_mbdin, object_type="notifications.preference"
    ).exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"sms": "on", "sms_number": "12ab"}, "This is not a valid mobile number."),
        ({"sms": "on", "sms_number": ""}, "Give the number to send SMS to."),
        ({"email": "on"}, "Your account has no email address"),
    ],
)
def test_refused_preferences_keep_what_was_typed_and_say_why(
    officer_mbdin: User, login_as: LoginAs, data: dict[str, str], error: str
) -> None:
    client = login_as(officer_mbdin)  # no email address on this account
    response = client.post(PREFS, {"timing": Timing.IMMEDIATE, "language": "en", **data})
    assert response.status_code == 200
    page = response.content.decode()
    assert error in page
    if data.get("sms_number"):
        assert f'value="{data["sms_number"]}"' in page
    assert not Preference.objects.filter(user=officer_mbdin).exists()
