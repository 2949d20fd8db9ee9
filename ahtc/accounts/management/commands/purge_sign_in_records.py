from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from ahtc.accounts.services import sign_in_records_purge


class Command(BaseCommand):
    help = (
        "Delete staff sign-in records (addresses, browsers) older than "
        "SIGN_IN_RECORDS_DAYS. Sign-ins also do this, at most once an hour."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = sign_in_records_purge()
        days = settings.AHTC_SIGN_IN_RECORDS_DAYS
        self.stdout.write(f"{deleted} sign-in records older than {days} days deleted")
