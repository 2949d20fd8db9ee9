from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp

from ahtc.accounts.services import demo_totp_key
from ahtc.demo.personas import PERSONAS


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo persona (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", choices=[p.username for p in PERSONAS])

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.AHTC_DEMO_ALLOWED:
            raise CommandError("demo codes are not available in production")
        key = bytes.fromhex(demo_totp_key(options["username"]))
        self.stdout.write(f"{totp(key, t0=0, step=30, digits=6):06d}")
