"""Spam brakes without third parties and without knowing who is sending.

1. A proof of work: the form carries a signed challenge that names its
   difficulty; the browser (static/ahtc/pow.js) finds a nonce so that
   SHA-256(challenge:nonce) starts with that many zero bits — under a second
   on a cheap phone at the base difficulty, costly in bulk. The difficulty of
   new challenges rises with the number of reports arriving this minute, so a
   flood makes each further report dearer for the flooder, while a challenge
   already handed out keeps the difficulty it was given. Each challenge counts
   once, in the shared cache (every app server sees the same used challenges).
2. A per-minute budget for reports with a valid proof. Reports without one
   (no JavaScript, old phones, a stale page) are never refused for being too
   many: past their own budget they are stored and held for review, so one
   sender cannot shut the portal for everyone else.
3. A retry of a report already stored is never limited: nothing is lost.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache

from ahtc.core.hashing import keyed_hex
from ahtc.core.ratelimit import minute_count, within_minute_budget

CHALLENGE_MAX_AGE = 2 * 60 * 60
MAX_EXTRA_BITS = 8
BUDGETS = ("submissions-verified", "submissions-unverified")


def _sign(body: str) -> str:
    return keyed_hex(key=settings.SECRET_KEY, purpose="pow", value=body)[:24]


def current_bits() -> int:
    """The base difficulty, plus one bit each time this minute's arrivals
    double past `POW_LOAD_STEP`."""
    base: int = settings.AHTC_POW_BITS
    arrivals = sum(minute_count(name) for name in BUDGETS)
    step = max(settings.AHTC_POW_LOAD_STEP, 1)
    extra = 0
    while arrivals >= step and extra < MAX_EXTRA_BITS:
        extra += 1
        step *= 2
    return base + extra


def challenge_new(bits: int | None = None) -> str:
    bits = current_bits() if bits is None else bits
    body = f"{int(time.time())}.{secrets.token_hex(8)}.{bits}"
    return f"{body}.{_sign(body)}"


def challenge_bits(challenge: str) -> int:
    """The difficulty a challenge asks for (the base difficulty if unreadable)."""
    parts = challenge.split(".")
    if len(parts) == 4 and parts[2].isdigit():
        return min(int(parts[2]), settings.AHTC_POW_BITS + MAX_EXTRA_BITS)
    return int(settings.AHTC_POW_BITS)


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + (8 - byte.bit_length())
    return bits


def _well_formed(challenge: str, nonce: str) -> list[str] | None:
    parts = challenge.split(".")
    if len(parts) != 4 or not nonce.isascii() or not nonce.isdigit() or len(nonce) > 12:
        return None
    if not (parts[0].isascii() and parts[0].isdigit() and parts[2].isdigit()):
        return None
    if not hmac.compare_digest(parts[3], _sign(".".join(parts[:3]))):
        return None
    return parts


def challenge_verify(challenge: str, nonce: str) -> bool:
    parts = _well_formed(challenge, nonce)
    if parts is None or time.time() - int(parts[0]) > CHALLENGE_MAX_AGE:
        return False
    needed = max(int(parts[2]), settings.AHTC_POW_BITS)
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if _leading_zero_bits(digest) < needed:
        return False
    # One use per solved challenge, whichever app server sees it.
    return bool(cache.add(f"portal:pow-used:{parts[3]}", 1, timeout=CHALLENGE_MAX_AGE))


def submission_allowed(*, verified: bool) -> bool:
    """Verified reports within their budget go straight to the queue;
    unverified ones past theirs are held for review (never refused). Every
    call counts one arrival, which is what raises the difficulty."""
    if verified:
        return within_minute_budget(BUDGETS[0], settings.AHTC_SUBMISSIONS_PER_MINUTE_VERIFIED)
    return within_minute_budget(BUDGETS[1], settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED)
