from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.portal.models import Tip


def tips_for_user(user: Any) -> QuerySet[Tip]:
    """Reports in the districts where the user may triage. Fails closed."""
    return Tip.objects.filter(user_scope(user).q(Perm.TRIAGE_TIPS, "district__path"))


def tip_for_user(user: Any, pk: Any) -> Tip:
    return get_scoped_or_404(user=user, scoped=tips_for_user(user), pk=pk, audit_allowed=True)
