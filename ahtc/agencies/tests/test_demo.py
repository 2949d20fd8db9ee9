"""The demo's agencies: the Mandi Bahauddin figures and the year's outcomes."""

from __future__ import annotations

from collections import Counter

import pytest

from ahtc.agencies.models import Agency, AgencyParty, AgencyReport, Notice, StatusChange
from ahtc.demo.agencies import build_agencies
from ahtc.demo.build import demo_build


@pytest.mark.django_db
def test_demo_has_the_148_agencies_and_their_year() -> None:
    ctx = demo_build()
    assert Agency.objects.filter(district__code="PK620").count() == 148
    first = Counter(StatusChange.objects.filter(from_status="").values_list("to_status", flat=True))
    assert first == {"licensed": 119, "unregistered": 29}
    now = Counter(Agency.objects.values_list("status", flat=True))
    assert now["registered_after_notice"] == 14
    assert now["closed"] == 6
    assert (now["sealed"], now["under_prosecution"]) == (2, 1)
    assert now["notice_served"] == 6
    assert Notice.objects.count() == 29
    assert AgencyParty.objects.exists()
    assert AgencyReport.objects.exists()
    build_agencies(ctx)  # idempotent
    assert Agency.objects.count() == 148
