"""Demo of notifications (docs/notifications.md).

- Whatever the earlier builders raised (urgent reports, reporters' replies,
  referrals, handovers, tasks) stays unread in each persona's workspace, but
  counts as already sent: the demo's worker does not mail a year of events.
- Each persona's overdue work is counted as the daily digest would count it,
  so the header's badge and the Overview agree from the first sign-in.
- officer_mbdin is told by SMS as things happen (the console adapter prints
  it in the worker's output; the number is a made-up one); dpo_mbdin chose
  the daily digest.
"""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from ahtc.demo.build import DemoContext
from ahtc.notifications.models import Notification, Timing
from ahtc.notifications.selectors import overdue_for_user
from ahtc.notifications.services import overdue_set, preference_update

DEMO_SMS_NUMBER = "+923000000001"  # synthetic


def build_notifications(ctx: DemoContext) -> None:
    Notification.objects.update(sent_count=F("count"))
    link = reverse("cell:home") + "#your-work"
    for username in sorted(ctx.users):
        user = ctx.users[username]
        overdue_set(user=user, count=overdue_for_user(user), link=link)
    Notification.objects.update(sent_count=F("count"))
    if "officer_mbdin" in ctx.users:
        preference_update(
            user=ctx.users["officer_mbdin"],
            email=False,
            sms=True,
            sms_number=DEMO_SMS_NUMBER,
            timing=Timing.IMMEDIATE,
            language="ur",
        )
    if "dpo_mbdin" in ctx.users:
        preference_update(
            user=ctx.users["dpo_mbdin"],
            email=True,
            sms=False,
            sms_number="",
            timing=Timing.DIGEST,
            language="ur",
        )
