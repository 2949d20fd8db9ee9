"""Receipt-guessing throttle without knowing who is asking.

The portal keeps no address, so the limit is a shared budget per minute for
all receipt look-ups; cache keys live for one window only. With 10^16 codes a
budget of a few hundred guesses a minute makes guessing hopeless, while a
real reporter is never refused for long.
"""

from __future__ import annotations

from django.conf import settings

from ahtc.core.ratelimit import within_minute_budget


def receipt_lookup_allowed() -> bool:
    return within_minute_budget("receipt-lookups", settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE)
