"""The intake queue's default filter is served by an index on PostgreSQL
(issue 19): "open, or linked with no case" is an OR that the open-reports
index cannot answer, so at province scale the queue and its count read every
report of the province (58 ms each on 200,626 reports; 1.6 ms with the index)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from ahtc.accounts.models import User
from ahtc.portal.models import TipStatus
from ahtc.portal.services import tip_set_status
from ahtc.portal.staff_forms import IntakeFilter
from ahtc.portal.staff_views import _filtered
from ahtc.portal.tests.test_intake import make_tip

pytestmark = pytest.mark.postgres


def _plan(queryset: Any) -> str:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    with connection.cursor() as cursor:
        # On a handful of rows a scan is cheaper; forbid it to see whether an
        # index can serve the filter at all (the partial index's predicate
        # must match the queue's filter).
        cursor.execute("SET LOCAL enable_seqscan = off")
    return str(queryset.explain())


@pytest.mark.django_db
def test_default_queue_filter_uses_the_queue_index(officer_mbdin: User) -> None:
    for _ in range(3):
        make_tip()
    tip_set_status(tip=make_tip(), status=TipStatus.NOT_ACTIONABLE, by=officer_mbdin)
    queue = _filtered(officer_mbdin, IntakeFilter(None))
    assert "portal_tip_queue_idx" in _plan(queue)
    assert queue.count() == 3
