from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Role
from ahtc.accounts.services import enrolment_issue, enrolment_link, role_grant, user_create
from ahtc.geography.models import Area


class Command(BaseCommand):
    help = "Create a staff user in an organisation with one role in one area."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--organisation", required=True, help="organisation id or exact English name"
        )
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--area", required=True, help="area code, e.g. PK620")
        parser.add_argument("--name", default="", help="name shown to colleagues")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--base-url", default="", help="site address to print a full enrolment link"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = self._organisation(options["organisation"])
        area = Area.objects.filter(code=options["area"]).first()
        if area is None:
            raise CommandError(f"no area has the code {options['area']}")
        password = secrets.token_urlsafe(12)
        try:
            user = user_create(
                username=options["username"],
                password=password,
                organisation=organisation,
                display_name=options["name"],
                email=options["email"],
            )
            role_grant(user=user, role=Role(options["role"]), area=area)
            code = enrolment_issue(user=user)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            f"created {user.username}; initial password (give it privately; "
            f"it is not shown again): {password}"
        )
        link = options["base_url"].rstrip("/") + enrolment_link(code)
        self.stdout.write(f"enrolment code (one use, 72 hours): {code}")
        self.stdout.write(f"enrolment link: {link}")
        self.stdout.write("They enrol an authenticator app at first sign-in with this code.")

    def _organisation(self, value: str) -> Organisation:
        query = (
            Organisation.objects.filter(pk=int(value))
            if value.isdigit()
            else (Organisation.objects.filter(name_en=value))
        )
        found = list(query[:2])
        if len(found) != 1:
            raise CommandError(f"no single organisation matches {value!r}")
        return found[0]
