"""Budgets per clock minute, shared by every client (no client is identified).

Keys live in the cache for just over one minute. The default cache is per
process; a deployment with several app servers configures a shared cache.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def within_minute_budget(name: str, limit: int) -> bool:
    key = f"budget:{name}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        count = 1
    return count <= limit
