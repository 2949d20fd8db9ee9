from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ahtc.portal.retention import reports_purge


class Command(BaseCommand):
    help = (
        "List closed citizen reports past their retention period; delete them with "
        "--apply (run daily). Reports that a case or a victim's alert rests on are "
        "never purged."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--apply", action="store_true", help="delete; without it nothing is deleted"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        purged, listed = reports_purge(apply=options["apply"])
        for item in listed:
            self.stdout.write(
                f"{item.reference}  {item.category}  {item.status}  closed {item.closed_on}"
                f"  (kept {item.keep_days} days after closure)"
            )
        verb = "purged" if options["apply"] else "would purge (dry run; --apply deletes)"
        total = sum(purged.values())
        detail = ", ".join(f"{category}: {n}" for category, n in sorted(purged.items()))
        self.stdout.write(f"{verb} {total} reports" + (f" ({detail})" if detail else ""))
