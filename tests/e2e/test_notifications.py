"""The officer's first screen and notifications, in a browser: Urdu, 360 px wide."""

from __future__ import annotations

import re

import pytest

from .conftest import submit
from .test_staff_sign_in import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args() -> dict[str, object]:
    return {"viewport": {"width": 360, "height": 740}}


def fits(page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_officer_sees_work_and_reads_a_notification_on_a_phone_in_urdu(page) -> None:
    from ahtc.accounts.models import User
    from ahtc.notifications.models import Notification, NotificationKind
    from ahtc.notifications.services import notify

    officer = User.objects.get(username="officer_mbdin")
    Notification.objects.filter(recipient=officer).delete()
    for _ in range(2):
        notify(kind=NotificationKind.TASKS, recipients=[officer], link="/cell/cases/due/")

    sign_in(page, "officer_mbdin")
    page.wait_for_url(re.compile(r"/cell/$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#your-work h2").is_visible()
    badge = page.locator(".unread-badge")
    assert badge.is_visible()
    assert "1" in badge.inner_text()
    assert fits(page)

    page.locator("a.notifications-link").click()
    page.wait_for_url(re.compile(r"/cell/notifications/$"))
    assert fits(page)
    submit(page, page.locator(".notification-list button[name=open]").first)
    page.wait_for_url(re.compile(r"/cell/cases/due/$"))
    assert page.locator(".unread-badge").count() == 0
    assert Notification.objects.get(recipient=officer).read_at is not None
