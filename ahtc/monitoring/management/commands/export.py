"""`ahtc export`: the standard exports, written to a file and audited.

    ahtc export htcds --area PK620 --out victims.xlsx --user officer_mbdin
                      [--identity --reason "Transfer to FIA, letter 12/2025"]
    ahtc export statistics --area PK6 --out ctdc.xlsx --user provincial_monitor
                      [--year 2025] [--k 11]

The export runs as the named user, with their permissions as they are now
(docs/monitoring.md, standard exports): a user without them is refused, and
the refusal is audited like the export itself.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ahtc.accounts.models import User
from ahtc.geography.models import Area
from ahtc.monitoring.exports_std import K_DEFAULT, htcds_export, statistics_export
from ahtc.monitoring.services import MonitoringError


class Command(BaseCommand):
    help = "Standard exports: HTCDS v2 case-level (XLSX), CTDC statistics with suppression."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        htcds = sub.add_parser("htcds", help="victims' records in the HTCDS v2 layout")
        stats = sub.add_parser("statistics", help="CTDC statistics with small cells suppressed")
        for each in (htcds, stats):
            each.add_argument("--area", required=True)
            each.add_argument("--out", required=True)
            each.add_argument("--user", required=True, help="the user the export runs as")
        htcds.add_argument("--identity", action="store_true")
        htcds.add_argument("--reason", default="")
        stats.add_argument("--year", type=int)
        stats.add_argument("--k", type=int, default=K_DEFAULT)

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        area = Area.objects.filter(code=options["area"]).first()
        if user is None or area is None:
            raise CommandError("unknown user or area code")
        try:
            if options["kind"] == "htcds":
                content = htcds_export(
                    user=user, area=area, identity=options["identity"], reason=options["reason"]
                )
            else:
                content = statistics_export(
                    user=user, area=area, year=options["year"], k=options["k"]
                )
        except MonitoringError as exc:
            raise CommandError(exc.message) from exc
        Path(options["out"]).write_bytes(content)
        self.stdout.write(f"wrote {options['out']} ({len(content)} bytes)")
