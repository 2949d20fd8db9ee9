"""Which API tokens a user may see and revoke: their own, and those of the
users they manage (accounts.selectors.users_for_user)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ahtc.accounts.selectors import users_for_user
from ahtc.api.models import ApiToken
from ahtc.core.access import get_scoped_or_404
from ahtc.core.models import AuditAction


def api_tokens_for_user(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(Q(user=user) | Q(user__in=users_for_user(user).values("pk")))


def api_token_for_user(user: Any, pk: Any) -> ApiToken:
    """One token the user may revoke; 404 (and an audit row) otherwise."""
    return get_scoped_or_404(
        user=user, scoped=api_tokens_for_user(user), pk=pk, action=AuditAction.DISABLE
    )
