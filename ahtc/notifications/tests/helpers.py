"""Synthetic identities the tests plant, to prove no message repeats them."""

from __future__ import annotations

from collections.abc import Iterable

from django.core import mail

from ahtc.notifications.models import Notification

# Made-up values in the shapes a leak would take (never real people).
NAME = "Zarminy Qadeerova"
PHONE = "0300-1112223"
CNIC = "35202-1234567-1"
PLACE = "Kiln No. 7, Phalia road"
REPORT_TEXT = "Keeps the Qadeerova family in debt"
SECRETS = (NAME, PHONE, "03001112223", "3001112223", CNIC, "3520212345671", PLACE, REPORT_TEXT)


def assert_no_identity(texts: Iterable[str]) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (secret, text)


def all_bodies() -> list[str]:
    """Every stored or sent text: notification texts, emails (subject, body)."""
    texts = [n.text for n in Notification.objects.all()]
    texts += [n.link for n in Notification.objects.all()]
    for message in mail.outbox:
        texts += [str(message.subject), str(message.body)]
    return texts
