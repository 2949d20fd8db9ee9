"""Print audit rows as JSON lines with their chain hashes, for shipping off the
host (cron or a log shipper); `audit_verify --file` checks a shipped copy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Min
from django.utils import timezone

from ahtc.core.audit import audit_export_line, audit_rows_with_items
from ahtc.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Write audit rows as JSON lines (id order) with prev_hash and row_hash, "
        "and each row's list entries (items) when it has them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        start = parser.add_mutually_exclusive_group()
        start.add_argument("--after-id", type=int, help="rows after this id (incremental)")
        start.add_argument("--since", help="rows from this date or time (ISO 8601) on")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        after_id = options["after_id"] or 0
        if options["since"]:
            after_id = self._first_id_since(options["since"]) - 1
        last = after_id
        for row in audit_rows_with_items(
            batch_size=max(1, options["batch_size"]), after_id=after_id
        ):
            self.stdout.write(audit_export_line(row))
            last = row["id"]
        self.stderr.write(f"last id {last}")

    def _first_id_since(self, text: str) -> int:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError as exc:
            raise CommandError("--since takes a date or time in ISO 8601 form") from exc
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        first = AuditEvent.objects.filter(at__gte=moment).aggregate(first=Min("id"))["first"]
        # Nothing since then: start after the newest row (prints nothing).
        newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        return first if first is not None else newest + 1
