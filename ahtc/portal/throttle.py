"""Receipt-guessing throttle without knowing who is asking.

The portal keeps no address, so the limit is a shared budget per minute for
all receipt look-ups; cache keys live for one window only. With 10^16 codes a
budget of a few hundred guesses a minute makes guessing hopeless, while a
real reporter is never refused for long.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def receipt_lookup_allowed() -> bool:
    window = int(time.time() // 60)
    key = f"portal:receipt-lookups:{window}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count <= settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE
