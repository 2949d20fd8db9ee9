"""How often one sender may verify agents: a budget per sender per minute.

The budget stops one scraper, not the public: each sender spends from its own
budget, so a flood from one place leaves everyone else's answers alone. A
sender is a keyed hash (HMAC with the site key) of the address the request
came from (accounts/lockout.client_address), used only as the name of a cache
counter that expires after one minute (core/ratelimit.py). The address itself
is never stored, logged or written to the database.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from ahtc.accounts.lockout import client_address
from ahtc.core.hashing import keyed_hex
from ahtc.core.ratelimit import within_minute_budget


def sender_key(request: HttpRequest) -> str:
    address = client_address(request) or "unknown"
    digest = keyed_hex(key=settings.SECRET_KEY, purpose="agency-verify-sender", value=address)
    return f"agency-verify:{digest[:32]}"


def verify_allowed(request: HttpRequest) -> bool:
    return within_minute_budget(sender_key(request), settings.AHTC_AGENCY_VERIFY_PER_MINUTE)
