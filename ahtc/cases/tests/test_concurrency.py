"""Case numbers under concurrency: officers saving at the same moment get
consecutive, unique references (a row-locked counter per district and year).
Needs PostgreSQL: SQLite serialises writers, so it cannot show the race."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from ahtc.accounts.models import User
from ahtc.cases import services
from ahtc.cases.models import Case
from ahtc.geography.models import Area

pytestmark = pytest.mark.postgres

WORKERS = 8


def test_concurrent_openings_get_unique_consecutive_numbers(
    transactional_db: Any, officer_mbdin: User
) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    district = Area.objects.get(code="PK620")

    def open_one(i: int) -> str:
        try:
            case = services.case_open(
                district=district, by=officer_mbdin, title=f"concurrent {i}", origin="walk_in"
            )
            return case.reference
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        references = list(pool.map(open_one, range(WORKERS * 3)))
    numbers = sorted(Case.objects.values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS * 3 + 1))
    assert len(set(references)) == WORKERS * 3
