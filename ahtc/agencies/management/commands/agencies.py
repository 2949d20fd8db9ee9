"""`ahtc agencies link [--district CODE]`; `ahtc agencies import FILE --district CODE --user NAME`.

`link` joins case parties of role broker / travel agent that name an agency
(free text, from before the registry) to the agency of that name in the
case's district; `import` reads a CSV or XLSX file as the import page does,
here and now, and prints each rejected row with its reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.accounts.models import User
from ahtc.agencies.imports import import_run, import_start
from ahtc.agencies.links import broker_parties_link
from ahtc.agencies.models import AgencyImport
from ahtc.agencies.recruits import recruiters_link_by_text
from ahtc.geography.models import Area, AreaLevel


class Command(BaseCommand):
    help = "Travel-agency registry: link case parties by name; import a file."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        link = sub.add_parser("link", help="link broker parties to agencies by name")
        link.add_argument("--district", default="")  # also victims' recruiters
        imp = sub.add_parser("import", help="import agencies from CSV or XLSX")
        imp.add_argument("file")
        imp.add_argument("--district", required=True)
        imp.add_argument("--user", required=True, help="a cell officer of the district")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "link":
            district = _district(options["district"]) if options["district"] else None
            linked = broker_parties_link(district=district)
            self.stdout.write(f"linked {linked} broker parties to agencies")
            matched = recruiters_link_by_text(district=district)
            self.stdout.write(
                f"linked {len(matched.links)} victims' recruiters to agencies; "
                f"{matched.left} left as text"
            )
            return
        self._import(Path(options["file"]), _district(options["district"]), options["user"])

    def _import(self, path: Path, district: Area, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username}")
        if not path.is_file():
            raise CommandError(f"no file {path}")
        job = import_start(
            district=district,
            by=user,
            file_name=path.name,
            content=path.read_bytes(),
            queue=False,
        )
        created = import_run(job.pk)
        job = AgencyImport.objects.get(pk=job.pk)
        if job.error:
            raise CommandError(job.error)
        for row in job.rejections:
            reason = row["reason"] % row["params"] if row["params"] else row["reason"]
            self.stdout.write(f"row {row['row']}: {row['name']}: {reason}")
        self.stdout.write(f"{created} agencies registered, {len(job.rejections)} rows rejected")


def _district(code: str) -> Area:
    district = Area.objects.filter(code=code, level=AreaLevel.DISTRICT).first()
    if district is None:
        raise CommandError(f"no district {code}")
    return district
