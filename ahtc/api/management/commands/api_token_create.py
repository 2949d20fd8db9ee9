from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ahtc.accounts.models import User
from ahtc.accounts.selectors import user_has_current_role, user_may_authenticate
from ahtc.api.models import FULL_ACCESS, ApiScope
from ahtc.api.services import api_token_create


class Command(BaseCommand):
    help = (
        "Create an API token for a partner system acting as USERNAME. The key is "
        "printed once and stored only as its SHA-256; list and revoke tokens in "
        "the workspace (/cell/tokens/)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="the system that will use it")
        parser.add_argument("--days", type=int, default=None, help="lifetime (API_TOKEN_DAYS)")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiScope.values,
            dest="scopes",
            help="what the token may do; repeat for more (default: read and write); "
            "reports:submit alone for a gateway that sends citizen reports",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not user_may_authenticate(user):
            raise CommandError(f"no active user {options['username']!r} in an active organisation")
        if not user_has_current_role(user):
            raise CommandError(f"{user.username} holds no current role")
        days = options["days"]
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1")
        scopes = options["scopes"] or FULL_ACCESS
        token, key = api_token_create(
            user=user, name=options["name"][:100], by=None, days=days, scopes=scopes
        )
        expires = f"{token.expires_at:%Y-%m-%d}"
        self.stdout.write(
            f"token {token.pk} for {user.username}, scopes {token.scopes}, expires {expires}"
        )
        self.stdout.write(f"key (shown once; give it to the system privately): {key}")
