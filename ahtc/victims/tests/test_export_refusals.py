"""Refused victim-list CSV exports, with or without names, leave an audit row
(action export, outcome refused, the kind and why) that the district's cell
head sees on the audit page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome
from ahtc.jobs.tests.helpers import follow_export
from ahtc.victims.models import ProtectionRecord

pytestmark = pytest.mark.django_db

LoginAs = Callable[[User], Client]
PLAIN = {"export": "csv"}
NAMED = {"export": "csv", "identity": "1", "reason": "court order 12/2025"}


def refusal(user: User) -> AuditEvent:
    [event] = AuditEvent.objects.filter(
        actor=user, action=AuditAction.EXPORT, outcome=AuditOutcome.REFUSED
    )
    assert event.object_type == "victims.protectionrecord"
    return event


@pytest.mark.parametrize(
    ("persona", "asked", "reason"),
    [
        ("io_mbdin", PLAIN, "victim list csv refused: lacks permission export"),
        ("io_mbdin", NAMED, "victim list csv WITH IDENTITIES refused: lacks permission export"),
        (
            "officer_mbdin",
            NAMED,
            "victim list csv WITH IDENTITIES refused: lacks permission export_identity",
        ),
        (
            "dpo_mbdin",
            {"export": "csv", "identity": "1"},
            "victim list csv WITH IDENTITIES refused: no reason given for exporting names",
        ),
        ("fia_liaison", PLAIN, "victim list csv refused: no access to victim records"),
        (
            "health_user",
            NAMED,
            "victim list csv WITH IDENTITIES refused: no access to victim records",
        ),
        ("provincial_monitor", PLAIN, "victim list csv refused: no access to victim records"),
    ],
)
def test_refused_victim_export_is_audited(
    request: pytest.FixtureRequest,
    login_as: LoginAs,
    record: ProtectionRecord,
    persona: str,
    asked: dict[str, str],
    reason: str,
) -> None:
    user: User = request.getfixturevalue(persona)
    response = login_as(user).get(reverse("cell:victims"), asked)
    assert response.status_code == 403
    assert b"Victim Person" not in response.content
    event = refusal(user)
    assert event.reason == reason
    assert user.organisation is not None
    assert event.area_code == user.organisation.area.code


def test_cell_head_sees_the_refused_export_on_the_audit_page(
    login_as: LoginAs, record: ProtectionRecord, officer_mbdin: User, dpo_mbdin: User
) -> None:
    login_as(officer_mbdin).get(reverse("cell:victims"), NAMED)
    assert refusal(officer_mbdin).area_code == record.district.code
    page = login_as(dpo_mbdin).get(reverse("cell:audit"), {"action": "export"})
    assert "victim list csv WITH IDENTITIES refused" in page.content.decode()


def test_allowed_export_writes_no_refusal(
    login_as: LoginAs, record: ProtectionRecord, dpo_mbdin: User
) -> None:
    client = login_as(dpo_mbdin)
    assert follow_export(client, client.get(reverse("cell:victims"), NAMED)).status_code == 200
    assert not AuditEvent.objects.filter(outcome=AuditOutcome.REFUSED).exists()
