"""`ahtc orgs list|create|update|deactivate|reactivate`: organisations from the
command line; every change is audited with no actor (the command line)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ahtc.accounts.management.lookup import (
    area_by_code,
    areas_by_codes,
    organisation_by_ref,
    service_errors,
    table,
)
from ahtc.accounts.models import Organisation, OrganisationKind
from ahtc.accounts.services import (
    organisation_create,
    organisation_deactivate,
    organisation_reactivate,
    organisation_update,
)

# option name -> model field, for create and update
FIELD_OPTIONS = {
    "name": "name_en",
    "name_ur": "name_ur",
    "phone": "phone",
    "contact": "contact_person",
    "email": "email",
    "address": "address",
}


def _fields(parser: CommandParser, *, required_name: bool) -> None:
    parser.add_argument("--kind", choices=OrganisationKind.values, required=required_name)
    parser.add_argument("--name", required=required_name, help="name in English")
    parser.add_argument("--name-ur", dest="name_ur", help="name in Urdu")
    parser.add_argument("--area", required=required_name, help="home area code, e.g. PK620")
    parser.add_argument(
        "--serves", help="further areas served, comma-separated codes ('' for none)"
    )
    parser.add_argument("--phone")
    parser.add_argument("--contact", help="contact person or office")
    parser.add_argument("--email")
    parser.add_argument("--address")


class Command(BaseCommand):
    help = "List, create, update, deactivate or reactivate organisations."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("list", help="organisations, optionally within an area")
        listing.add_argument("--area", help="only those whose home area is within this one")
        listing.add_argument("--kind", choices=OrganisationKind.values)
        _fields(sub.add_parser("create", help="a new organisation"), required_name=True)
        update = sub.add_parser("update", help="change the options given")
        update.add_argument("organisation", help="id or exact English name")
        _fields(update, required_name=False)
        off = sub.add_parser("deactivate", help="its members can no longer sign in")
        off.add_argument("organisation", help="id or exact English name")
        off.add_argument("--reason", default="")
        on = sub.add_parser("reactivate", help="its members may sign in again")
        on.add_argument("organisation", help="id or exact English name")

    def handle(self, *args: Any, **options: Any) -> None:
        with service_errors():
            getattr(self, f"_{options['action']}")(options)

    def _list(self, options: dict[str, Any]) -> None:
        rows = Organisation.objects.select_related("area").order_by("area__path", "name_en")
        if options["area"]:
            rows = rows.filter(area__path__startswith=area_by_code(options["area"]).path)
        if options["kind"]:
            rows = rows.filter(kind=options["kind"])
        lines = [["id", "kind", "area", "status", "name"]]
        for org in rows:
            status = "active" if org.is_active else "deactivated"
            lines.append([str(org.pk), org.kind, org.area.code, status, org.name_en])
        table(lines, self.stdout.write)

    def _values(self, options: dict[str, Any]) -> dict[str, Any]:
        values = {
            field: options[option]
            for option, field in FIELD_OPTIONS.items()
            if options[option] is not None
        }
        if options["kind"]:
            values["kind"] = options["kind"]
        if options["area"]:
            values["area"] = area_by_code(options["area"])
        return values

    def _create(self, options: dict[str, Any]) -> None:
        served = areas_by_codes(options["serves"] or "")
        org = organisation_create(**self._values(options), areas_served=served, by=None)
        self.stdout.write(f"created organisation {org.pk}: {org.name_en} ({org.area.code})")

    def _update(self, options: dict[str, Any]) -> None:
        org = organisation_by_ref(options["organisation"])
        served = None if options["serves"] is None else areas_by_codes(options["serves"])
        changed = organisation_update(
            organisation=org, by=None, areas_served=served, **self._values(options)
        )
        self.stdout.write(f"{org.name_en}: " + (", ".join(changed) or "nothing") + " changed")

    def _deactivate(self, options: dict[str, Any]) -> None:
        org = organisation_by_ref(options["organisation"])
        members = organisation_deactivate(organisation=org, by=None, reason=options["reason"])
        self.stdout.write(f"{org.name_en} deactivated; {members} members can no longer sign in")

    def _reactivate(self, options: dict[str, Any]) -> None:
        org = organisation_by_ref(options["organisation"])
        organisation_reactivate(organisation=org, by=None)
        self.stdout.write(f"{org.name_en} reactivated")
