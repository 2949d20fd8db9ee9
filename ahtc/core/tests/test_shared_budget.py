"""One budget for every process: two server processes draw on the same count.

Runs on PostgreSQL (make test-postgres), with the database cache or, when
REDIS_URL is set (as in CI), with Redis: the child processes reach the same
test database and cache as this one. SQLite's test database lives in this
process's memory, so it cannot be shared.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.postgres

CHILD = """
import django, sys
django.setup()
from ahtc.core.ratelimit import within_minute_budget
print(" ".join("1" if within_minute_budget("two-processes", 7) else "0" for _ in range(5)))
"""


def _child_env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}"
    url += f":{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "ahtc.settings"}


def _run_child() -> list[str]:
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", CHILD],
        env=_child_env(),
        cwd=Path(settings.BASE_DIR),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.split()


def test_two_processes_draw_on_one_budget(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.fail("run with DATABASE_URL pointing at PostgreSQL (make test-postgres)")
    from django.core.cache import cache

    # The budget is per clock minute: two children that straddle a minute
    # (each starts Django, seconds on a loaded machine) draw on two budgets.
    # Such a run says nothing either way, so it is run again.
    for _ in range(3):
        cache.clear()
        minute = int(time.time() // 60)
        first, second = _run_child(), _run_child()
        if int(time.time() // 60) == minute:
            break
    # Seven allowed in all: five in the first process, two in the second.
    assert first == ["1", "1", "1", "1", "1"]
    assert second == ["1", "1", "0", "0", "0"]
