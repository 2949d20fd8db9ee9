"""Keyed hashes (HMAC-SHA256) with a purpose label, so one key never yields
the same digest for two different uses."""

from __future__ import annotations

import hashlib
import hmac

from django.core.exceptions import ImproperlyConfigured


def keyed_digest(*, key: str, purpose: str, value: str) -> bytes:
    if not key:
        raise ImproperlyConfigured(f"no key is configured for {purpose} hashes")
    return hmac.new(key.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def keyed_hex(*, key: str, purpose: str, value: str) -> str:
    return keyed_digest(key=key, purpose=purpose, value=value).hex()
