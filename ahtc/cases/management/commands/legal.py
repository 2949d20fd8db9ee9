from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from ahtc.cases.legal import CatalogueError, catalogue_load, provisions_in_force, read_rows
from ahtc.cases.models import LegalProvision


class Command(BaseCommand):
    help = "The legal catalogue: import a dated CSV, or list the sections in force on a date."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="CSV with the columns of data/legal_catalogue.csv")
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="check only; save nothing")
        show = sub.add_parser("list", help="sections in force on a date")
        show.add_argument("--on", help="YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            return self._list(options.get("on"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            with path.open(encoding="utf-8") as fh:
                if options["dry_run"]:
                    rows = read_rows(fh)
                    self.stdout.write(f"check only, nothing saved: {len(rows)} rows are valid")
                    return None
                with transaction.atomic():
                    created, updated = catalogue_load(LegalProvision, fh)
        except (CatalogueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}; nothing was saved") from exc
        self.stdout.write(f"{created} created, {updated} updated")
        return None

    def _list(self, on: str | None) -> None:
        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError("--on must be YYYY-MM-DD") from exc
        for p in provisions_in_force(day).order_by("act", "code"):
            marks = []
            if not p.section_verified:
                marks.append("section number not verified")
            if not p.punishment_verified:
                marks.append("punishment not verified")
            note = f"  [{'; '.join(marks)}]" if marks else ""
            self.stdout.write(f"{p.code:12} {p.label} - {p.title_en}{note}")
