"""`ahtc surveys ...`: instruments and exports from the command line.

ahtc surveys import FILE [--sensitivity ordinary|sensitive|highest]
ahtc surveys builtin [--write DIR]
ahtc surveys ingest FILE --form FORM_ID --district CODE
ahtc surveys list
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.geography.models import Area, AreaLevel
from ahtc.surveys.builtin import builtin_install, xlsx_bytes
from ahtc.surveys.builtin.forms import BUILTIN
from ahtc.surveys.imports import batch_import_now
from ahtc.surveys.models import Instrument, Sensitivity
from ahtc.surveys.services import FormImportError, SurveyError, instrument_import


class Command(BaseCommand):
    help = "Survey instruments (XLSForms) and Kobo/ODK exports (docs/surveys.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import an XLSForm (.xlsx, .xls, .csv, .md)")
        imp.add_argument("file")
        imp.add_argument("--sensitivity", choices=Sensitivity.values)
        builtin = sub.add_parser("builtin", help="install the five built-in instruments")
        builtin.add_argument("--write", metavar="DIR", help="also write their .xlsx files")
        ingest = sub.add_parser("ingest", help="import a Kobo or ODK Central export")
        ingest.add_argument("file")
        ingest.add_argument("--form", required=True, help="the instrument's form id")
        ingest.add_argument("--district", required=True, help="district code, e.g. PK620")
        sub.add_parser("list", help="list the instruments")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "import":
            self._import(Path(options["file"]), options.get("sensitivity"))
        elif action == "builtin":
            self._builtin(options.get("write"))
        elif action == "ingest":
            self._ingest(Path(options["file"]), options["form"], options["district"])
        else:
            for item in Instrument.objects.all():
                count = item.submissions.count()
                self.stdout.write(f"{item.form_id}\t{item.sensitivity}\t{count} submissions")

    def _read(self, path: Path) -> bytes:
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        return path.read_bytes()

    def _import(self, path: Path, sensitivity: str | None) -> None:
        try:
            result = instrument_import(
                content=self._read(path), filename=path.name, by=None, sensitivity=sensitivity
            )
        except FormImportError as exc:
            raise CommandError("\n".join([exc.message, *exc.problems])) from exc
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        state = "unchanged" if result.unchanged else f"version {result.version.number}"
        self.stdout.write(f"{result.instrument.form_id}: {state}")

    def _builtin(self, folder: str | None) -> None:
        for result in builtin_install():
            state = "unchanged" if result.unchanged else f"version {result.version.number}"
            self.stdout.write(f"{result.instrument.form_id}: {state}")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            for form in BUILTIN:
                (Path(folder) / f"{form.form_id}.xlsx").write_bytes(xlsx_bytes(form))

    def _ingest(self, path: Path, form_id: str, code: str) -> None:
        instrument = Instrument.objects.filter(form_id=form_id).first()
        district = Area.objects.filter(code=code, level=AreaLevel.DISTRICT).first()
        if instrument is None or district is None:
            raise CommandError("unknown form id or district code")
        try:
            batch = batch_import_now(
                instrument=instrument,
                district=district,
                file_name=path.name,
                content=self._read(path),
            )
        except SurveyError as exc:
            raise CommandError(exc.message) from exc
        if batch.error:
            raise CommandError(f"not imported: {batch.error}")
        for row in batch.report:
            self.stderr.write(f"{row['sheet']} {row['row']} {row['key']}: {row['reason']}")
        self.stdout.write(
            f"{batch.rows} rows: {batch.imported} imported, {batch.duplicates} duplicates, "
            f"{batch.rejected} rejected"
        )
