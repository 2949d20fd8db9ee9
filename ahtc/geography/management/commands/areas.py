from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.geography.services import (
    ImportFileError,
    ImportReport,
    area_import_csv,
    police_station_import_csv,
)


class Command(BaseCommand):
    help = "Import an area hierarchy or police stations from CSV (see docs/areas.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="areas CSV, or the builtin name 'punjab'")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check only; save nothing")
        ps = sub.add_parser("import-police-stations", help="police stations CSV")
        ps.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "import":
                report = area_import_csv(source=options["file"], dry_run=options["dry_run"])
            else:
                report = police_station_import_csv(source=options["file"])
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        self._print(report)
        if report.rejected and not report.accepted:
            raise CommandError("no row was accepted")

    def _print(self, report: ImportReport) -> None:
        prefix = "check only, nothing saved: " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}{report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged, {len(report.rejected)} rejected"
        )
        for row in report.rejected:
            self.stderr.write(f"  line {row.line} {row.code or '(no code)'}: {row.reason}")
