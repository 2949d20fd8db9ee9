from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.portal.reconcile import files_reconcile


class Command(BaseCommand):
    help = (
        "Find rows whose encrypted file is missing and files that no row names; "
        "--delete-orphans removes unnamed files older than an hour. Exits 1 when a "
        "file is missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--delete-orphans", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        result = files_reconcile(delete_orphans=options["delete_orphans"])
        for item in result.missing:
            self.stdout.write(f"missing file: {item.kind} {item.pk} ({item.stored_name})")
        for name in result.orphans:
            state = "deleted" if name in result.deleted else "kept (recent, or no --delete-orphans)"
            self.stdout.write(f"file with no record: {name} {state}")
        self.stdout.write(
            f"{len(result.missing)} missing, {len(result.orphans)} unnamed, "
            f"{len(result.deleted)} deleted"
        )
        if result.missing:
            raise CommandError("some records have lost their files (listed above)")
