"""`ahtc indicators`: the catalogue, values and targets from the command line.

    ahtc indicators list                                   the catalogue
    ahtc indicators sync                                   load catalogue changes
    ahtc indicators refresh [--full]                       the screens' monthly tallies
    ahtc indicators compute CODE --area PK620 --period 2025B4 [--by sex]
    ahtc indicators target CODE --area PK620 --period FY2025-26 --value 40
                           [--baseline 25 --baseline-date 2025-06-30]

Operators run this on the server: it prints counts only, never a record.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ahtc.geography.models import Area
from ahtc.monitoring.aggregates import refresh as refresh_tallies
from ahtc.monitoring.compute import breakdown, value
from ahtc.monitoring.indicators import CATALOGUE, DIMENSIONS, indicator_def
from ahtc.monitoring.periods import PeriodError, period_parse
from ahtc.monitoring.services import MonitoringError, indicators_sync, target_set


def _decimal(raw: str) -> Decimal:
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise CommandError(f"not a number: {raw}") from exc


def _area(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise CommandError(f"no area with code {code}")
    return area


class Command(BaseCommand):
    help = "List indicators, compute a value, load the catalogue, set a target."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="the catalogue")
        sub.add_parser("sync", help="load the catalogue into the database")
        refresh = sub.add_parser("refresh", help="rebuild the monthly tallies the screens read")
        refresh.add_argument("--full", action="store_true", help="every month, not the recent")
        compute = sub.add_parser("compute", help="one value, or one per category")
        compute.add_argument("code")
        compute.add_argument("--area", required=True)
        compute.add_argument("--period", required=True)
        compute.add_argument("--by", default="", choices=["", *DIMENSIONS])
        target = sub.add_parser("target", help="set a target")
        target.add_argument("code")
        target.add_argument("--area", required=True)
        target.add_argument("--period", required=True)
        target.add_argument("--value", required=True)
        target.add_argument("--baseline", default="")
        target.add_argument("--baseline-date", default="")
        target.add_argument("--baseline-period", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            self._list()
        elif action == "sync":
            report = indicators_sync()
            self.stdout.write(f"{report.created} created, {report.updated} updated")
        elif action == "refresh":
            done = refresh_tallies(full=options["full"])
            kind = "every month" if done.full else "recent months"
            self.stdout.write(f"{done.rows} monthly rows for {done.indicators} indicators ({kind})")
        elif action == "compute":
            self._compute(options)
        else:
            self._target(options)

    def _list(self) -> None:
        for entry in CATALOGUE:
            state = "active" if entry.is_active else f"pending: {entry.pending_note}"
            breakdowns = ",".join(entry.disaggregations) or "-"
            self.stdout.write(f"{entry.code:32} {entry.measure:12} by {breakdowns:36} {state}")
            self.stdout.write(f"    {entry.name}: {entry.definition}")

    def _compute(self, options: dict[str, Any]) -> None:
        code = options["code"]
        try:
            entry = indicator_def(code)
            period = period_parse(options["period"])
        except KeyError as exc:
            raise CommandError(f"no indicator {code} (see: ahtc indicators list)") from exc
        except PeriodError as exc:
            raise CommandError(str(exc)) from exc
        area = _area(options["area"])
        by = options["by"]
        if by and by not in entry.disaggregations:
            raise CommandError(f"{code} cannot be broken down by {by}")
        total = value(code, area, period)
        self.stdout.write(f"{entry.name}, {area.name_en} ({area.code}), {period.code}")
        self.stdout.write(f"total\t{total.display}\t{total.status}\t{total.note}".rstrip())
        if by:
            for category, cell in breakdown(code, area, period, by).items():
                self.stdout.write(f"{category or '(not recorded)'}\t{cell.display}")

    def _target(self, options: dict[str, Any]) -> None:
        baseline = _decimal(options["baseline"]) if options["baseline"] else None
        try:
            raw = options["baseline_date"]
            day = dt.date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise CommandError("the baseline date is YYYY-MM-DD") from exc
        try:
            target = target_set(
                indicator_code=options["code"],
                area=_area(options["area"]),
                period=options["period"],
                value=_decimal(options["value"]),
                by=None,
                baseline_value=baseline,
                baseline_date=day,
                baseline_period=options["baseline_period"],
            )
        except MonitoringError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"target set: {target.indicator.code} {target.period} = {target.value}")
