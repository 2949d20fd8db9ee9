"""Spam brakes without third parties and without knowing who is sending.

1. A small proof of work: the form carries a signed challenge; the browser
   (static/ahtc/pow.js) finds a nonce so that SHA-256(challenge:nonce) starts
   with POW_BITS zero bits — under a second on a cheap phone, costly in bulk.
   Each challenge counts once.
2. Per-minute budgets shared by everyone: a large one for submissions with a
   valid proof, a smaller one for those without (no JavaScript, old phones).
   A retry of a report already stored is never limited: nothing is lost.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import cache

from ahtc.core.hashing import keyed_hex
from ahtc.core.ratelimit import within_minute_budget

CHALLENGE_MAX_AGE = 2 * 60 * 60


def _sign(body: str) -> str:
    return keyed_hex(key=settings.SECRET_KEY, purpose="pow", value=body)[:24]


def challenge_new() -> str:
    body = f"{int(time.time())}.{secrets.token_hex(8)}"
    return f"{body}.{_sign(body)}"


def _leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + (8 - byte.bit_length())
    return bits


def challenge_verify(challenge: str, nonce: str) -> bool:
    parts = challenge.split(".")
    if len(parts) != 3 or not nonce.isdigit() or len(nonce) > 12:
        return False
    body = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(parts[2], _sign(body)) or not parts[0].isdigit():
        return False
    if time.time() - int(parts[0]) > CHALLENGE_MAX_AGE:
        return False
    digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
    if _leading_zero_bits(digest) < settings.AHTC_POW_BITS:
        return False
    # One submission per solved challenge.
    return bool(cache.add(f"portal:pow-used:{parts[2]}", 1, timeout=CHALLENGE_MAX_AGE))


def submission_allowed(*, verified: bool) -> bool:
    if verified:
        return within_minute_budget(
            "submissions-verified", settings.AHTC_SUBMISSIONS_PER_MINUTE_VERIFIED
        )
    return within_minute_budget(
        "submissions-unverified", settings.AHTC_SUBMISSIONS_PER_MINUTE_UNVERIFIED
    )
