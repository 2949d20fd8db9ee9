"""`ahtc storage migrate --to s3|filesystem`: move stored files between the
filesystem (MEDIA_ROOT/reports) and the object store (docs/storage.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.core.storage import StoredFileError, file_store, files_copy, filesystem_store


class Command(BaseCommand):
    help = (
        "migrate --to s3: copy stored files from MEDIA_ROOT to the configured object store "
        "(AHTC_STORAGE=s3); --to filesystem: back again. Files are copied as stored "
        "(encrypted); a copy that stops part way can be run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["migrate"])
        parser.add_argument("--to", required=True, choices=["s3", "filesystem"])

    def handle(self, *args: Any, **options: Any) -> None:
        configured = file_store()
        if not configured.is_s3:
            raise CommandError(
                "set AHTC_STORAGE=s3 and the bucket's variables first (docs/storage.md): "
                "the object store is the configured storage, MEDIA_ROOT the other side"
            )
        media = filesystem_store(Path(settings.MEDIA_ROOT))
        source, target = (media, configured) if options["to"] == "s3" else (configured, media)
        try:
            report = files_copy(source=source, target=target)
        except (StoredFileError, OSError) as exc:
            raise CommandError(f"copy stopped: {exc}") from None
        self.stdout.write(
            f"{report.copied} files copied ({report.bytes} bytes), {report.present} already there"
        )
        if options["to"] == "s3":
            self.stdout.write(
                "MEDIA_ROOT/reports is left as it was: delete it once a backup of the "
                "object store has been taken and checked."
            )
