"""Duplicate suggestions at scale: the old ranking against the new, same run.

    .venv/bin/python bench/duplicates_scale.py [--reports 20000] [--probes 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:PORT/ahtc_dups \\
        .venv/bin/python bench/duplicates_scale.py --reports 200000

Without DATABASE_URL it works in a fresh temporary SQLite database (keep it at
20,000 reports or so there); with it, in that (throw-away) database. Steps:

1. migrate, load the Punjab areas, one cell officer for a small district
   (Attock, PK611);
2. fill `--reports` citizen reports over the 41 districts, Mandi Bahauddin
   35%, each with 1-4 indicator rows drawn with skew: a few very common
   words ("muhammad"-like), a long tail of names, phones from a pool so some
   repeat (synthetic values only, hashed as the app hashes them);
3. for the officer's newest `--probes` reports with indicators, times
   `possible_duplicates` as it was (kept below as `old_possible_duplicates`,
   the baseline) and as it is now, and counts how often each says nothing.

Prints p50/p95 per algorithm, the ratio new/old, and "none found" counts: the
old ranking drops a small district's matches when stronger ones elsewhere fill
its province-wide top 20.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")
SMALL_DISTRICT = "PK611"  # Attock
BUSY_DISTRICT = "PK620"  # Mandi Bahauddin


def setup(var_dir: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["AHTC_VAR_DIR"] = var_dir
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ahtc.geography.models import Area
    from ahtc.geography.services import area_import_csv

    if not Area.objects.exists():
        area_import_csv(source="punjab")


def officer() -> Any:
    from ahtc.accounts.models import User
    from ahtc.accounts.roles import Role
    from ahtc.accounts.services import organisation_create, role_grant, user_create
    from ahtc.geography.models import Area

    existing = User.objects.filter(username="bench_attock").first()
    if existing:
        return existing
    area = Area.objects.get(code=SMALL_DISTRICT)
    org = organisation_create(kind="police_ahtc", name_en="Bench cell", area=area)
    user = user_create(
        username="bench_attock", password=secrets.token_urlsafe(16), organisation=org
    )
    role_grant(user=user, role=Role.CELL_OFFICER, area=area)
    return user


def _values(rng: random.Random) -> list[tuple[str, str]]:
    """1-4 synthetic indicators: common words, a tail of names, pooled phones."""
    found = set()
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.3:
            found.add(("name", f"common{rng.randint(1, 8)}"))
        elif roll < 0.75:
            found.add(("name", f"name{int(rng.paretovariate(1.2)) % 5000}"))
        else:
            found.add(("phone", f"0300{rng.randint(0, 40_000):07d}"))
    return sorted(found)


def fill(reports: int, *, seed: int = 19) -> float:
    from ahtc.geography.models import Area, AreaLevel
    from ahtc.portal.duplicates import _hash
    from ahtc.portal.models import Channel, Tip, TipCategory, TipIndicator, TipStatus
    from ahtc.portal.receipts import idempotency_hash, receipt_code_for, receipt_hash

    started = time.monotonic()
    rng = random.Random(seed)
    districts = list(Area.objects.filter(level=AreaLevel.DISTRICT))
    weights = [35.0 * len(districts) / 65 if d.code == BUSY_DISTRICT else 1.0 for d in districts]
    hashes: dict[tuple[str, str], str] = {}
    now = dt.datetime.now(dt.UTC)
    start = Tip.objects.count()
    for first in range(start, start + reports, 2000):
        tips, values = [], []
        for index in range(first, min(first + 2000, start + reports)):
            token = f"dups-bench-{seed}-{index}"
            tips.append(
                Tip(
                    idempotency_hash=idempotency_hash(token),
                    receipt_hash=receipt_hash(receipt_code_for(token)),
                    channel=Channel.WEB,
                    category=rng.choice(TipCategory.values),
                    district=rng.choices(districts, weights)[0],
                    description=f"Synthetic bench report {index}.",
                    child_involved="no",
                    status=rng.choice([TipStatus.NEW, TipStatus.TRIAGED]),
                    created_at=now - dt.timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                )
            )
            values.append(_values(rng))
        Tip.objects.bulk_create(tips)
        rows = []
        for tip, found in zip(tips, values, strict=True):
            for kind, value in found:
                key = hashes.setdefault((kind, value), _hash(kind, value))
                rows.append(
                    TipIndicator(tip=tip, kind=kind, value_hash=key, district_id=tip.district_id)
                )
        TipIndicator.objects.bulk_create(rows)
    return time.monotonic() - started


def old_possible_duplicates(tip: Any, within: Any, limit: int = 5) -> list[Any]:
    """The algorithm before issue 19, verbatim: ranked over the province, the
    top 20 then filtered to the user's districts."""
    from django.utils.translation import gettext as _

    from ahtc.portal.duplicates import NEARBY, WEIGHTS, Candidate
    from ahtc.portal.models import IndicatorKind, TipIndicator

    reasons: dict[int, set[str]] = defaultdict(set)
    score: dict[int, int] = defaultdict(int)
    mine = tip.indicators.values_list("value_hash", flat=True)
    shared = TipIndicator.objects.filter(value_hash__in=mine).exclude(tip=tip)
    for other_id, kind in shared.values_list("tip_id", "kind"):
        reasons[other_id].add(str(IndicatorKind(kind).label))
        score[other_id] += WEIGHTS[kind]
    near = within.filter(
        district=tip.district,
        category=tip.category,
        created_at__range=(tip.created_at - NEARBY, tip.created_at + NEARBY),
    ).exclude(pk=tip.pk)
    for other_id in near.values_list("pk", flat=True)[:50]:
        reasons[other_id].add(_("same kind, same district, within two weeks"))
        score[other_id] += 1
    ranked = sorted(reasons, key=lambda pk: (-score[pk], -pk))
    visible = within.filter(pk__in=ranked[: limit * 4]).select_related("district")
    by_id = {t.pk: t for t in visible}
    found = [Candidate(by_id[pk], sorted(reasons[pk])) for pk in ranked if pk in by_id]
    return found[:limit]


def measure(name: str, run: Callable[[Any], list[Any]], probes: list[Any]) -> dict[str, Any]:
    times, empty = [], 0
    for tip in probes:
        started = time.perf_counter()
        found = run(tip)
        times.append((time.perf_counter() - started) * 1000)
        empty += not found
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return {"name": name, "p50": statistics.median(times), "p95": p95, "empty": empty}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ahtc-dups-") as var_dir:
        setup(var_dir)
        from django.db import connection

        from ahtc.portal.duplicates import possible_duplicates
        from ahtc.portal.models import Tip
        from ahtc.portal.selectors import tips_for_user

        user = officer()
        seconds = fill(args.reports)
        print(f"{connection.vendor}: {Tip.objects.count()} reports, filled in {seconds:.1f} s")
        within = tips_for_user(user)
        probes = list(
            within.filter(indicators__isnull=False)
            .distinct()
            .order_by("-created_at")[: args.probes]
        )
        old = measure("old", lambda t: old_possible_duplicates(t, within), probes)
        new = measure("new", lambda t: possible_duplicates(t, user), probes)
        for row in (old, new):
            print(
                f"{row['name']:>4}: p50 {row['p50']:7.2f} ms  p95 {row['p95']:7.2f} ms  "
                f"none found for {row['empty']} of {len(probes)} reports"
            )
        print(
            f"ratio new/old: p50 {new['p50'] / old['p50']:.3f}  p95 {new['p95'] / old['p95']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
