"""The audit page pages by position in the log, never counting the table (issue 19)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction

pytestmark = pytest.mark.django_db


def events(n: int, actor: User) -> None:
    for k in range(n):
        audit_record(actor=actor, action=AuditAction.VIEW, area_code="PK620", reason=f"row {k}")


def test_newest_first_and_older_pages_follow(
    dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    client = login_as(dpo_mbdin)
    events(60, dpo_mbdin)
    first = client.get(reverse("cell:audit")).content.decode()
    assert "row 59" in first
    assert "row 9<" not in first
    older = re.search(r'href="\?[^"]*before=(\d+)"', first)
    assert older
    second = client.get(reverse("cell:audit"), {"before": older.group(1)}).content.decode()
    assert "row 9<" in second
    assert "row 59" not in second
    assert "Newest" in second


def test_no_count_of_the_table(dpo_mbdin: User, login_as: Callable[[User], Client]) -> None:
    client = login_as(dpo_mbdin)
    events(3, dpo_mbdin)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("cell:audit"))
    assert not [
        q for q in ctx.captured_queries if "COUNT(" in q["sql"] and "core_auditevent" in q["sql"]
    ]


def test_a_bad_position_is_ignored(dpo_mbdin: User, login_as: Callable[[User], Client]) -> None:
    response = login_as(dpo_mbdin).get(reverse("cell:audit"), {"before": "²"})
    assert response.status_code == 200


def test_the_overview_counts_refusals_of_the_last_week_only(
    dpo_mbdin: User, login_as: Callable[[User], Client]
) -> None:
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from ahtc.core.models import AuditOutcome

    with time_machine.travel(timezone.now() - dt.timedelta(days=30)):
        audit_record(
            actor=None,
            action=AuditAction.VIEW,
            outcome=AuditOutcome.REFUSED,
            area_code="PK620",
            reason="old",
        )
    audit_record(
        actor=None,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        area_code="PK620",
        reason="new",
    )
    page = login_as(dpo_mbdin).get(reverse("cell:home")).content.decode()
    assert "1 refused access attempt in the last 7 days" in page
