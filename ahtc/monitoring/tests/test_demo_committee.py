"""The demo's committee: Mandi Bahauddin's members, meetings, action items
(some overdue) and its two-monthly reports of 2025 through every step of the
sign-off; the other Gujrat-division districts on time or late."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from ahtc.demo.build import demo_build
from ahtc.geography.models import Area
from ahtc.monitoring.committees import overdue_items
from ahtc.monitoring.models import CommitteeMember, CommitteeReport, Meeting, ReportStep
from ahtc.monitoring.periods import period_parse
from ahtc.monitoring.reports import timeliness


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            demo_build()
            yield
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_demo_committee_of_mandi_bahauddin(demo: None) -> None:
    assert CommitteeMember.objects.filter(district__code="PK620").count() >= 8
    assert Meeting.objects.filter(district__code="PK620", held_on__year=2025).count() == 6
    assert overdue_items(timezone.localdate()).filter(district__code="PK620").exists()
    reports = CommitteeReport.objects.filter(district__code="PK620", period__startswith="2025B")
    assert set(reports.values_list("status", flat=True)) == {
        "accepted",
        "reviewed",
        "submitted",
        "draft",
    }
    reopened = reports.filter(events__step=ReportStep.REOPENED).distinct()
    assert reopened.count() == 2
    assert all(e.reason for e in reopened[0].events.filter(step=ReportStep.REOPENED))


@pytest.mark.django_db
def test_demo_division_reports_on_time_and_late(demo: None) -> None:
    result = timeliness(Area.objects.get(code="PK6DV03"), period_parse("2025B2"))
    states = {row.district.code: row.on_time for row in result.rows}
    assert states["PK620"] is True
    assert states["PK610"] is False
    assert states.get("PK637") is None
