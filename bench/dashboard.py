"""The provincial dashboard against hand-written SQL, in one run (issue 13).

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py [--repeat 30]

Against whatever the database holds (the province-scale data of `ahtc demo
--scale province`, docs/scale.md), on PostgreSQL. Steps:

1. refresh the pre-aggregated months (monitoring/aggregates.py), timed, as
   the scheduled job does (a full rebuild, then an hourly one);
2. the dashboard page as `provincial_monitor` (the province, this fiscal
   year): two warm-up requests, then `--repeat` timed ones; the same with the
   stored months switched off (everything live: what the page costs when the
   job has stopped); the explorer and the map the same way;
3. **the baseline**: the same aggregates as hand-written SQL over the records
   (the eight key figures for this and last fiscal year, the 12-month trend,
   the comparison of districts), timed the same way on the same connection.

Prints p50/p95 of each and the ratio of the page's p95 to the SQL's (goal:
p95 ≤ 300 ms and ratio ≤ 2). Writes only sessions, audit rows of the reads
and the stored months.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

GOAL_MS = 300.0
GOAL_RATIO = 2.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def timed(get: Callable[[], Any], repeat: int, warm: int = 2) -> tuple[float, float, Any]:
    """(p50 ms, p95 ms, last result) of `repeat` calls after `warm` ones."""
    result = None
    for _ in range(warm):
        result = get()
    times: list[float] = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = get()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), _p95(times), result


# Counted rows, their date, the district column (through joins) and extra conditions:
# the dashboard's eight key figures written by hand.
KPI_SQL = {
    "reports_received": (
        "portal_tip t JOIN geography_area a ON a.id = t.district_id",
        "t.created_at",
        "COUNT(*)",
        "",
    ),
    "cases_opened": (
        "cases_case c JOIN geography_area a ON a.id = c.district_id",
        "c.created_at",
        "COUNT(*)",
        "",
    ),
    "firs_registered": (
        "cases_fir f JOIN cases_case c ON c.id = f.case_id "
        "JOIN geography_area a ON a.id = c.district_id",
        "f.date",
        "COUNT(*)",
        "",
    ),
    "accused_convicted": (
        "cases_verdict v JOIN cases_party p ON p.id = v.party_id "
        "JOIN cases_case c ON c.id = p.case_id JOIN geography_area a ON a.id = c.district_id",
        "v.date",
        "COUNT(DISTINCT p.id)",
        "AND v.outcome = 'convicted'",
    ),
    "conviction_rate": (
        "cases_verdict v JOIN cases_party p ON p.id = v.party_id "
        "JOIN cases_case c ON c.id = p.case_id JOIN geography_area a ON a.id = c.district_id",
        "v.date",
        "COUNT(DISTINCT p.id) FILTER (WHERE v.outcome = 'convicted'), COUNT(DISTINCT p.id)",
        "AND v.outcome IN ('convicted', 'acquitted')",
    ),
    "victims_identified": (
        "victims_protectionrecord r JOIN geography_area a ON a.id = r.district_id",
        "r.created_at",
        "COUNT(*)",
        "AND r.trafficking_status <> 'NotAVictimOfTrafficking'",
    ),
    "referrals_completed": (
        "victims_referral f JOIN victims_protectionrecord r ON r.id = f.record_id "
        "JOIN geography_area a ON a.id = r.district_id",
        "f.delivered_on",
        "COUNT(*)",
        "",
    ),
    "children_withdrawn": (
        "labour_childlabourfinding w JOIN geography_area a ON a.id = w.district_id",
        "w.withdrawn_on",
        "COUNT(*)",
        "",
    ),
}


def hand_written(path: str, periods: list[Any], months: list[Any]) -> Callable[[], list[Any]]:
    """The dashboard's aggregates in plain SQL: one statement per key figure and
    period, the trend grouped by month, the comparison grouped by district."""
    from django.db import connection

    like = path + "%"  # paths end with "/"
    statements: list[tuple[str, list[Any]]] = []
    for rows, when, what, extra in KPI_SQL.values():
        for period in periods:
            start, end = period.bounds() if "created_at" in when else (period.start, period.end)
            sql = (
                f"SELECT {what} FROM {rows} WHERE a.path LIKE %s "  # noqa: S608
                f"AND {when} >= %s AND {when} < %s {extra}"
            )
            statements.append((sql, [like, start, end]))
    victims = KPI_SQL["victims_identified"]
    first, last = months[0].bounds()[0], months[-1].bounds()[1]
    statements.append(
        (
            "SELECT date_trunc('month', r.created_at AT TIME ZONE 'Asia/Karachi') AS m, "  # noqa: S608
            "COUNT(*) "
            f"FROM {victims[0]} WHERE a.path LIKE %s AND r.created_at >= %s "
            f"AND r.created_at < %s {victims[3]} GROUP BY m",
            [like, first, last],
        )
    )
    start, end = periods[0].bounds()
    statements.append(
        (
            f"SELECT a.path, COUNT(*) FROM {victims[0]} WHERE a.path LIKE %s "  # noqa: S608
            f"AND r.created_at >= %s AND r.created_at < %s {victims[3]} GROUP BY a.path",
            [like, start, end],
        )
    )

    def run() -> list[Any]:
        found = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                found.append(cursor.fetchall())
        return found

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--persona", default="provincial_monitor")
    parser.add_argument("--no-refresh", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from staff_pages import _client

    from ahtc.monitoring.aggregates import refresh
    from ahtc.monitoring.periods import PeriodKind, months_ending, period_containing
    from ahtc.monitoring.selectors import home_area
    from ahtc.portal.models import Tip

    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    print(f"{Tip.objects.count()} reports in the database, {timezone.localdate()}")
    if not args.no_refresh:
        for full in (True, False):
            started = time.perf_counter()
            done = refresh(full=full)
            print(
                f"refresh ({'full' if full else 'recent months'}): {done.rows} stored rows "
                f"for {done.indicators} indicators in {time.perf_counter() - started:.1f} s"
            )

    client = _client(args.persona)
    today = timezone.localdate()
    period = period_containing(today, PeriodKind.FISCAL_YEAR)
    months = months_ending(period_containing(today, PeriodKind.MONTH))
    area = home_area(_user(args.persona))
    assert area is not None
    query = f"?area={area.code}&period={period.code}"
    pages = {
        "dashboard": "/cell/monitoring/" + query,
        "explorer": f"/cell/monitoring/explore/{query}&indicator=victims_identified&by=sex",
        "map": "/cell/monitoring/map/" + query,
    }
    rows: list[tuple[str, float, float]] = []
    for name, url in pages.items():
        p50, p95, response = timed(functools.partial(client.get, url), args.repeat)
        assert response.status_code == 200, (name, response.status_code)
        rows.append((name, p50, p95))
    settings.MONITORING_AGGREGATES_MAX_AGE = 0  # everything live
    p50, p95, _ = timed(lambda: client.get(pages["dashboard"]), max(5, args.repeat // 3))
    rows.append(("dashboard, all live", p50, p95))
    sql = hand_written(area.path, [period, period.previous()], months)
    p50, p95, _ = timed(sql, args.repeat)
    rows.append(("hand-written SQL", p50, p95))

    baseline = rows[-1][2]
    print(f"\n{'what':<22} {'p50 ms':>8} {'p95 ms':>8} {'p95 / SQL':>10}")
    for name, p50, p95 in rows:
        print(f"{name:<22} {p50:>8.1f} {p95:>8.1f} {p95 / max(baseline, 0.001):>10.2f}")
    dashboard = rows[0][2]
    print(
        f"\ndashboard p95 {dashboard:.0f} ms (goal ≤ {GOAL_MS:.0f}): "
        f"{'met' if dashboard <= GOAL_MS else 'NOT met'}; ratio to SQL "
        f"{dashboard / max(baseline, 0.001):.2f} (goal ≤ {GOAL_RATIO:.0f}): "
        f"{'met' if dashboard <= GOAL_RATIO * baseline else 'NOT met'}"
    )


def _user(username: str) -> Any:
    from ahtc.accounts.models import User

    return User.objects.get(username=username)


if __name__ == "__main__":
    main()
