"""Receipt-guessing throttle without knowing who is asking.

The portal keeps no address, so limits are budgets per minute shared by all
look-ups; cache keys live for one window only. A look-up that carries a solved,
unused proof of work (static/ahtc/pow.js) draws on a large budget; one without
draws on a small one. A flood without proofs therefore cannot keep reporters
whose phones run the proof from their reports, and every guess with a proof
costs the guesser. With 10^16 codes, guessing stays hopeless either way.
"""

from __future__ import annotations

from django.conf import settings

from ahtc.core.ratelimit import within_minute_budget
from ahtc.portal.antispam import challenge_verify


def receipt_lookup_allowed(*, challenge: str = "", nonce: str = "") -> bool:
    if challenge and challenge_verify(challenge[:100], nonce[:12]):
        return within_minute_budget(
            "receipt-lookups-verified", settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE_VERIFIED
        )
    return within_minute_budget("receipt-lookups", settings.AHTC_RECEIPT_LOOKUPS_PER_MINUTE)
