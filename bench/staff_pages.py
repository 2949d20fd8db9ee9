"""Every staff page, export and API list: p50/p95 and query counts (issue 19).

    DATABASE_URL=... .venv/bin/python bench/staff_pages.py --label small --repeat 20

Runs in process against whatever the database holds (the demo, or the
province-scale data of `ahtc demo --scale province`), as the demo personas
(signed in with a verified second factor, as the tests do). For each page:
two warm-up requests, then `--repeat` timed ones; the query count is that of
the last request. The **baseline** is `/healthz` timed the same way in the
same run: each line prints its p95 as a ratio to the baseline's p95 (a page
at ratio 50 is fifty health checks' worth of work). Nothing is written
except sessions, audit rows of the reads and API tokens named "bench".

`bench/staff_pages.sh` makes a throw-away PostgreSQL, runs this on the demo
and then at province scale, and prints both tables.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

GOAL_MS = 300.0


@dataclass
class Row:
    label: str
    persona: str
    page: str
    status: int
    p50_ms: float
    p95_ms: float
    queries: int
    ratio: float = 0.0


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _client(username: str) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ahtc.accounts.models import User

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user, backend="ahtc.accounts.backends.ActiveOrganisationBackend")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.cookies["ahtc_lang"] = "en"
    return client


def _api_client(username: str) -> Any:
    from rest_framework.test import APIClient

    from ahtc.accounts.models import User
    from ahtc.api.services import api_token_create

    user = User.objects.get(username=username)
    _token, key = api_token_create(user=user, name="bench", by=None, days=1)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _first(query: Callable[[], Any]) -> Any:
    try:
        return query()
    except Exception:  # a page the data cannot name is skipped, not fatal
        return None


def pages(username: str) -> Iterator[tuple[str, str]]:
    """(name, url) of the pages this persona works with, on this database."""
    from django.urls import reverse

    from ahtc.accounts.models import User
    from ahtc.cases.selectors import cases_for_user
    from ahtc.portal.selectors import tips_for_user
    from ahtc.victims.selectors import records_for_user

    user = User.objects.get(username=username)
    yield "overview", reverse("cell:home")
    yield "intake queue", reverse("cell:intake")
    yield "intake queue (closed)", reverse("cell:intake") + "?status=not_actionable"
    yield "case list (mine)", reverse("cell:cases")
    yield "case list (all)", reverse("cell:cases") + "?view=district"
    yield "due and overdue", reverse("cell:cases_due")
    yield "victims list", reverse("cell:victims")
    yield "referrals inbox", reverse("cell:referrals")
    yield "audit", reverse("cell:audit")
    yield "notifications", reverse("cell:notifications:list")
    tip = _first(lambda: tips_for_user(user).order_by("-created_at").first())
    if tip is not None:
        yield "report detail", reverse("cell:intake_detail", args=[tip.pk])
    case = _first(lambda: cases_for_user(user).order_by("-year", "-number").first())
    if case is not None:
        yield "case page", reverse("cell:case", args=[case.reference])
        yield "person search", reverse("cell:case_party", args=[case.reference]) + "?name=bilal"
    record = _first(lambda: records_for_user(user).order_by("-created_at").first())
    if record is not None:
        yield "victim page", reverse("cell:victim", args=[record.number])
    yield from _network_pages(user)


def _network_pages(user: Any) -> Iterator[tuple[str, str]]:
    """Link analysis, where the persona may use it: the networks and the
    network of the person with most links (warm: the graph is kept between
    requests, docs/intelligence.md)."""
    from django.urls import reverse

    from ahtc.intelligence.graph import graph_for_user
    from ahtc.intelligence.selectors import may_analyse

    if not may_analyse(user):
        return
    yield "networks", reverse("cell:intelligence:networks")
    graph = graph_for_user(user)
    degree: dict[int, int] = {}
    for link in graph.links:
        for end in (link.source, link.target):
            degree[end] = degree.get(end, 0) + 1
    if degree:
        busiest = max(degree, key=lambda n: (degree[n], -n))
        person = min(graph.nodes[busiest].people)
        yield "person network", reverse("cell:intelligence:person", args=[person])


API = [
    ("API cases", "/api/v1/cases/"),
    ("API referrals", "/api/v1/referrals/"),
    ("API areas", "/api/v1/areas/"),
]

PERSONAS = ["officer_mbdin", "dpo_mbdin", "io_mbdin", "provincial_monitor", "fia_liaison"]


def measure(label: str, persona: str, page: str, get: Callable[[], Any], repeat: int) -> Row:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    status = 0
    for _ in range(2):
        status = get().status_code
    times: list[float] = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = get()
            times.append((time.perf_counter() - started) * 1000)
        status, queries = response.status_code, len(ctx.captured_queries)
    return Row(label, persona, page, status, statistics.median(times), _p95(times), queries)


def exports(label: str, repeat: int) -> Iterator[Row]:
    """The files behind the export jobs, made directly (what a job's worker does)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ahtc.accounts.models import User
    from ahtc.cases.exports import case_list_file
    from ahtc.cases.selectors import cases_for_user
    from ahtc.victims.views import _caseload, _export_file

    head = User.objects.get(username="dpo_mbdin")
    jobs: list[tuple[str, Callable[[], Any]]] = [
        ("case list CSV", lambda: case_list_file(cases=cases_for_user(head), fmt="csv")),
        ("case list XLSX", lambda: case_list_file(cases=cases_for_user(head), fmt="xlsx")),
        ("victims CSV", lambda: _export_file(head, _caseload(head, "all"), identity=False)),
        (
            "victims CSV with names",
            lambda: _export_file(head, _caseload(head, "all"), identity=True, reason="bench"),
        ),
    ]
    for name, make in jobs:
        times: list[float] = []
        queries = 0
        for _ in range(max(1, repeat // 5)):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                make()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(ctx.captured_queries)
        yield Row(label, "dpo_mbdin", name, 200, statistics.median(times), _p95(times), queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--label", default="run")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json", help="also write the rows to this file")
    parser.add_argument("--personas", help="comma-separated usernames (default: all five)")
    parser.add_argument("--pages", help="comma-separated page names (default: every page)")
    parser.add_argument("--no-exports", action="store_true", help="skip the export files")
    args = parser.parse_args()
    personas = args.personas.split(",") if args.personas else PERSONAS
    wanted = set(args.pages.split(",")) if args.pages else None

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's response hooks; no test database
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    from ahtc.portal.models import Tip

    print(f"{args.label}: {Tip.objects.count()} reports in the database")
    anonymous = Client()
    baseline = measure(args.label, "-", "baseline /healthz", lambda: anonymous.get("/healthz"), 50)
    rows = [baseline]
    for persona in personas:
        client = _client(persona)
        for name, url in pages(persona):
            if wanted is not None and name not in wanted:
                continue
            rows.append(
                measure(args.label, persona, name, lambda u=url, c=client: c.get(u), args.repeat)
            )
    api = _api_client("officer_mbdin")
    for name, url in API:
        if wanted is None or name in wanted:
            rows.append(measure(args.label, "officer_mbdin", name, lambda u=url: api.get(u), 10))
    if not args.no_exports:
        rows.extend(exports(args.label, args.repeat))
    for row in rows:
        row.ratio = row.p95_ms / max(baseline.p95_ms, 0.001)

    print(
        f"{'persona':<20} {'page':<26} {'st':>3} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'queries':>7} {'ratio':>7}"
    )
    for r in rows:
        flag = (
            "  > goal"
            if r.p95_ms > GOAL_MS and not r.page.startswith(("case list", "victims CSV"))
            else ""
        )
        print(
            f"{r.persona:<20} {r.page:<26} {r.status:>3} {r.p50_ms:>8.1f} {r.p95_ms:>8.1f} "
            f"{r.queries:>7} {r.ratio:>7.1f}{flag}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps([asdict(r) for r in rows], indent=1))


if __name__ == "__main__":
    main()
