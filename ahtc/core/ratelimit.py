"""Budgets per clock minute, shared by every client (no client is identified).

Keys live in the cache for just over one minute. The cache is shared by every
app server (the database cache by default, Redis in production; settings), so
a budget is one budget for the whole deployment.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def _key(name: str) -> str:
    return f"budget:{name}:{int(time.time() // 60)}"


def within_minute_budget(name: str, limit: int) -> bool:
    key = _key(name)
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        count = 1
    return count <= limit


def minute_count(name: str) -> int:
    """How many were counted under `name` this minute (without counting one)."""
    value = cache.get(_key(name), 0)
    return int(value) if isinstance(value, int) else 0
