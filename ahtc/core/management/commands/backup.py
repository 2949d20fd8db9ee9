"""Write an encrypted archive of the database and the stored files
(ahtc/core/backup/; docs/operations.md, "Backups")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ahtc.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Write an encrypted backup archive (mode 600) of the database and stored files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="archive path (default: ahtc-backup-<time>.ahtcbak)")

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = Path(options["output"] or f"ahtc-backup-{stamp}.ahtcbak")
        if settings.PRODUCTION and not settings.AHTC_BACKUP_KEY:
            raise CommandError("production needs BACKUP_KEY (make one with `ahtc genkey`)")
        try:
            backup_create(
                output=output,
                key=settings.AHTC_BACKUP_KEY,
                progress=self.stdout.write,
            )
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from None
