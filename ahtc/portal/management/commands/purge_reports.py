from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ahtc.portal.retention import reports_purge


class Command(BaseCommand):
    help = "Delete closed citizen reports past their retention period (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="count only; delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        purged = reports_purge(dry_run=options["dry_run"])
        verb = "would purge" if options["dry_run"] else "purged"
        total = sum(purged.values())
        detail = ", ".join(f"{category}: {n}" for category, n in sorted(purged.items()))
        self.stdout.write(f"{verb} {total} reports" + (f" ({detail})" if detail else ""))
