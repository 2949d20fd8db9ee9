"""Load an `ahtc backup` archive into an empty database and file storage
(ahtc/core/backup/; docs/operations.md, "Backups")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Restore an encrypted backup archive into an empty database and file storage."
    # The target is empty: checks that read the database have nothing to read.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="an archive written by `ahtc backup`")
        parser.add_argument(
            "--check", action="store_true", help="only read and authenticate the archive"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            if options["check"]:
                manifest = backup_verify(archive=archive, key=settings.AHTC_BACKUP_KEY)
                self.stdout.write(
                    f"archive intact: {manifest.engine}, made {manifest.created}, "
                    f"{len(manifest.tables)} tables, {manifest.rows} rows, {manifest.files} files"
                )
                return
            backup_restore(
                archive=archive,
                key=settings.AHTC_BACKUP_KEY,
                database=settings.DATABASES["default"],
                progress=self.stdout.write,
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore failed: {exc}") from None
        self.stdout.write("restore complete; the archive's manifest matches the restored data")
