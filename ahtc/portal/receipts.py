"""Receipt codes: 16 random-looking digits that only the reporter keeps.

We store no code, only HMAC-SHA256(RECEIPT_KEY, code). The key lives in the
environment, not the database, so a stolen database cannot be searched for
codes (10^16 candidates, each needing the key). A keyed hash rather than a
memory-hard one because lookups must stay cheap at hundreds of submissions a
second; see docs/threat-model.md.

The code is derived from the client's one-time submission token, so a retry
of the same submission gives the same code without the code being stored.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings

from ahtc.core.hashing import keyed_digest

CODE_DIGITS = 16


def _mac(purpose: str, value: str) -> bytes:
    return keyed_digest(key=settings.AHTC_RECEIPT_KEY, purpose=purpose, value=value)


def idempotency_hash(client_token: str) -> str:
    return _mac("idem", client_token).hex()


def receipt_code_for(client_token: str) -> str:
    number = int.from_bytes(_mac("code", client_token), "big") % 10**CODE_DIGITS
    return f"{number:0{CODE_DIGITS}d}"


def receipt_hash(code: str) -> str:
    return _mac("receipt", normalise_code(code)).hex()


def normalise_code(raw: str) -> str:
    """Accept spaces, dashes and Urdu/Arabic-Indic digits as typed on phones."""
    digits = (unicodedata.decimal(char, None) for char in raw)
    return "".join(str(d) for d in digits if d is not None)


def format_code(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
