"""Writes to API tokens. Each one is audited (kind and id, never the key)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ahtc.accounts.models import User
from ahtc.accounts.selectors import account_area_code
from ahtc.api.models import FULL_ACCESS, ApiScope, ApiToken
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction

KEY_PREFIX = "ahtc_"  # recognisable to secret scanners
# Recording every use would write on every API request; once an hour tells
# an administrator whether a token is still in use.
LAST_USED_PRECISION = dt.timedelta(hours=1)


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_scopes_normalise(scopes: Iterable[str]) -> str:
    """Known scopes, each once, in a fixed order; at least one."""
    wanted = set(scopes)
    unknown = wanted - set(ApiScope.values)
    if unknown or not wanted:
        raise ValueError(f"unknown or no scopes: {sorted(unknown)}")
    return " ".join(scope for scope in ApiScope.values if scope in wanted)


@transaction.atomic
def api_token_create(
    *,
    user: User,
    name: str,
    by: User | None,
    days: int | None = None,
    scopes: Iterable[str] = FULL_ACCESS,
) -> tuple[ApiToken, str]:
    """A new token and its key. The key is returned once and never stored."""
    scope_text = api_scopes_normalise(scopes)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    lifetime = dt.timedelta(days=days or settings.AHTC_API_TOKEN_DAYS)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=api_token_hash(key),
        created_at=now,
        created_by=by,
        expires_at=now + lifetime,
        scopes=scope_text,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        target=token,
        area_code=account_area_code(user),
        reason=f"scopes: {scope_text}",
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: User) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=by, action=AuditAction.DISABLE, target=token, area_code=account_area_code(token.user)
    )


@transaction.atomic
def api_token_mark_used(*, token: ApiToken) -> None:
    """Note the use, at most once per LAST_USED_PRECISION (one UPDATE, no audit)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
