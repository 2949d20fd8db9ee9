from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ahtc.demo.build import demo_build
from ahtc.demo.personas import DEMO_PASSWORD, PERSONAS
from ahtc.demo.scale import add_scale_arguments, scale_command


class Command(BaseCommand):
    help = "Load the deterministic Mandi Bahauddin demo data and print the demo sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        add_scale_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"]:
            ctx = scale_command(self, options)
        else:
            self.stdout.write("Loading demo data (areas, organisations, personas) ...")
            ctx = demo_build()
        base = options["base_url"].rstrip("/")
        self.stdout.write("")
        self.stdout.write(f"Public portal:   {base}/")
        self.stdout.write(f"Cell workspace:  {base}/cell/")
        self.stdout.write(f"API schema:      {base}/api/v1/schema/")
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}; demo data only)")
        self.stdout.write(f"{'username':<20}{'TOTP secret (base32)':<36}role")
        for persona in PERSONAS:
            secret = ctx.secrets[persona.username]
            self.stdout.write(
                f"{persona.username:<20}{secret:<36}{persona.role.label} ({persona.what})"
            )
        self.stdout.write("")
        self.stdout.write("Current code for a persona: ahtc totp USERNAME")
        if ctx.enrolment_codes:
            self.stdout.write("")
            self.stdout.write(
                "Onboarded cell heads who have not enrolled an authenticator yet "
                "(sign in with the demo password, then this one-time code):"
            )
            for username, code in sorted(ctx.enrolment_codes.items()):
                self.stdout.write(f"{username:<20}{code}")
