"""What a notification says, made from its kind and count only.

The texts are fixed sentences with a number: there is no slot in them for a
name, a phone number, an address or a report's words, so no caller can put
one there. Email and SMS bodies are built here too, from the same sentences
and the link.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ahtc.notifications.models import NotificationKind

SENTENCES: dict[str, Promise] = {
    NotificationKind.URGENT_REPORTS: ngettext_lazy(
        "You have %(count)d new urgent citizen report.",
        "You have %(count)d new urgent citizen reports.",
        "count",
    ),
    NotificationKind.REPORTER_REPLIES: ngettext_lazy(
        "A reporter has replied on %(count)d citizen report.",
        "Reporters have replied on %(count)d citizen reports.",
        "count",
    ),
    NotificationKind.REFERRALS: ngettext_lazy(
        "You have %(count)d new referral to answer.",
        "You have %(count)d new referrals to answer.",
        "count",
    ),
    NotificationKind.HANDOVERS: ngettext_lazy(
        "You have %(count)d case handover to answer.",
        "You have %(count)d case handovers to answer.",
        "count",
    ),
    NotificationKind.TASKS: ngettext_lazy(
        "You have %(count)d new task on a case.",
        "You have %(count)d new tasks on cases.",
        "count",
    ),
    NotificationKind.OVERDUE: ngettext_lazy(
        "You have %(count)d overdue item.",
        "You have %(count)d overdue items.",
        "count",
    ),
    # Issue 16: dropouts after school enrolment (ahtc/labour/services/support.py).
    NotificationKind.SCHOOL_DROPOUTS: ngettext_lazy(
        "%(count)d child withdrawn from work has dropped out of school.",
        "%(count)d children withdrawn from work have dropped out of school.",
        "count",
    ),
    # Issue 13: district committees (ahtc/monitoring/committees.py, reports.py).
    NotificationKind.ACTION_ITEMS: ngettext_lazy(
        "%(count)d committee action item is overdue.",
        "%(count)d committee action items are overdue.",
        "count",
    ),
    NotificationKind.COMMITTEE_REPORTS: ngettext_lazy(
        "%(count)d committee report waits for your review.",
        "%(count)d committee reports wait for your review.",
        "count",
    ),
    # Issue 15: the watchlist (ahtc/intelligence/watch.py).
    NotificationKind.WATCHLIST: ngettext_lazy(
        "A watchlisted person appears in %(count)d new record — open the alerts.",
        "A watchlisted person appears in %(count)d new records — open the alerts.",
        "count",
    ),
    # Issue 14: notices to travel agencies past their deadline (ahtc/agencies/tasks.py).
    NotificationKind.AGENCY_NOTICES: ngettext_lazy(
        "%(count)d notice to a travel agency is past its deadline.",
        "%(count)d notices to travel agencies are past their deadline.",
        "count",
    ),
}

SUBJECT = _("AHTC: work is waiting for you")
OPEN_LINK = _("Open the workspace to see it:")
FOOTER = _(
    "This message names no one on purpose. Change how you are told under Notifications, "
    "Preferences."
)


def sentence(kind: str, count: int) -> str:
    """In the active language."""
    lazy: Any = SENTENCES[kind]  # a lazy plural picks its form from the count here
    return str(lazy % {"count": count})


@dataclass(frozen=True)
class Line:
    kind: str
    count: int
    link: str


def absolute(link: str) -> str:
    return f"{settings.AHTC_SITE_URL.rstrip('/')}{link}"


@dataclass(frozen=True)
class Message:
    subject: str
    email_body: str
    sms_body: str


def message(lines: Iterable[Line], *, language: str) -> Message:
    """The email and SMS for `lines`, in `language` (counts and links only)."""
    lines = list(lines)
    with translation.override(language):
        said = [sentence(line.kind, line.count) for line in lines]
        body = "\n\n".join(
            f"{text}\n{OPEN_LINK} {absolute(line.link)}"
            for text, line in zip(said, lines, strict=True)
        )
        sms_link = absolute(lines[0].link) if len(lines) == 1 else absolute("/cell/")
        return Message(
            subject=str(SUBJECT),
            email_body=f"{body}\n\n-- \n{FOOTER}\n",
            sms_body=f"AHTC: {' '.join(said)} {sms_link}",
        )
