"""The intake queue's default filter is served by an index on PostgreSQL
(issue 19): "open, or linked with no case" is an OR that the open-reports
index cannot answer, so at province scale the queue and its count read every
report of the province (58 ms each on 200,626 reports; 1.6 ms with the index,
docs/benchmarks.md).

A partial index serves a query only when the query's condition implies the
index's. These tests hold the two together: the index and the queue are built
from one condition, the queue's SQL carries it, and PostgreSQL has the index
with that predicate. (Whether the planner picks it on a handful of test rows
depends on statistics, so the plan itself is measured by the benchmark, not
asserted here.)"""

from __future__ import annotations

import pytest
from django.db import connection

from ahtc.accounts.models import User
from ahtc.portal.models import Tip, TipStatus, queue_default_q
from ahtc.portal.services import tip_set_status
from ahtc.portal.staff_forms import IntakeFilter
from ahtc.portal.staff_views import _filtered
from ahtc.portal.tests.test_intake import make_tip


def _indexdef(name: str) -> str:
    """PostgreSQL's definition of the index (the PostgreSQL tests only)."""
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [name])
        (definition,) = cursor.fetchone()
    return str(definition)


def _where(sql: str) -> str:
    return sql.split(" WHERE ", 1)[1].split(" ORDER BY ", 1)[0]


def test_the_queue_index_has_the_default_filters_condition() -> None:
    index = next(i for i in Tip._meta.indexes if i.name == "portal_tip_queue_idx")
    assert index.condition == queue_default_q()


@pytest.mark.django_db
def test_the_default_queue_filters_on_the_index_condition(officer_mbdin: User) -> None:
    for _ in range(3):
        make_tip()
    tip_set_status(tip=make_tip(), status=TipStatus.NOT_ACTIONABLE, by=officer_mbdin)
    queue = _filtered(officer_mbdin, IntakeFilter(None))
    condition = _where(str(Tip.objects.filter(queue_default_q()).query))
    assert condition in str(queue.query)
    assert queue.count() == 3


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_has_the_partial_index() -> None:
    definition = _indexdef("portal_tip_queue_idx")
    assert "WHERE" in definition
    assert "link_review" in definition
    assert "status" in definition


STATUS_INDEX_COLUMNS = {
    "district_id", "status", "created_at", "id", "held_for_review", "danger_now", "child_involved",
}  # fmt: skip


@pytest.mark.django_db
def test_the_queue_by_status_reads_only_the_status_index_columns(officer_mbdin: User) -> None:
    """The page is sorted and counted as ids: with a status chosen, every column
    the query touches is in portal_tip_status_idx, so PostgreSQL can answer it
    from the index alone (a closed status: 211 + 143 ms -> 16 + 4 ms for a
    district's 30,894 reports, docs/benchmarks.md)."""
    import re

    form = IntakeFilter({"status": TipStatus.NOT_ACTIONABLE})
    ids = _filtered(officer_mbdin, form).values_list("pk", flat=True)
    columns = set(re.findall(r'"portal_tip"\."(\w+)"', str(ids.query)))
    assert columns <= STATUS_INDEX_COLUMNS
    index = next(i for i in Tip._meta.indexes if i.name == "portal_tip_status_idx")
    assert {f"{f}_id" if f == "district" else f for f in index.fields} | set(
        index.include
    ) == STATUS_INDEX_COLUMNS


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_has_the_covering_status_index() -> None:
    definition = _indexdef("portal_tip_status_idx")
    assert "INCLUDE (id, held_for_review, danger_now, child_involved)" in definition
