"""Rate limits for the API: a budget per token per clock minute (docs/api.md).

The count lives in the shared cache (`core.ratelimit`), so every app server
spends from the same budget. A 2FA session counts against its user; calls
without credentials (only the schema answers them) share one budget, so no
client address is ever stored. Over budget: 429 with `Retry-After`, the
seconds until the next minute starts.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from ahtc.api.models import ApiToken
from ahtc.core.ratelimit import within_minute_budget

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def budget_of(request: Request) -> tuple[str, int]:
    """The budget a request spends from: its name and its size per minute."""
    token = request.auth
    if isinstance(token, ApiToken):
        # The key hash, not the row id: ids are reused in test databases,
        # hashes never, and the hash is what the row is found by anyway.
        limit = getattr(token, "requests_per_minute", None) or settings.AHTC_API_REQUESTS_PER_MINUTE
        return f"api:token:{token.key_hash[:32]}", int(limit)
    user = request.user
    if user is not None and user.is_authenticated:
        return f"api:user:{user.pk}", settings.AHTC_API_REQUESTS_PER_MINUTE
    return "api:anonymous", settings.AHTC_API_ANONYMOUS_PER_MINUTE


class ApiRateThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: APIView) -> bool:
        name, limit = budget_of(request)
        return within_minute_budget(name, limit)

    def wait(self) -> float:
        return float(max(1, math.ceil(60 - time.time() % 60)))


class IntakeRateThrottle(ApiRateThrottle):
    """Report intake (reports:submit) spends from a budget of its own per
    token, AHTC_API_INTAKE_PER_MINUTE: a gateway's burst of reports neither
    uses up nor is used up by the same token's other calls."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        name, _limit = budget_of(request)
        return within_minute_budget(f"{name}:intake", settings.AHTC_API_INTAKE_PER_MINUTE)
