"""The one access pattern every app uses.

Each protected record kind has its own `<kind>_for_user(user, pk)` function
that builds the queryset of what the user may see and hands it to
`get_scoped_or_404`. Anything outside that queryset is a 404, whether it
exists or not, so a refusal tells an intruder nothing; when it does exist the
refusal is audited.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models
from django.http import Http404

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome

M = TypeVar("M", bound=models.Model)


def get_scoped_or_404(
    *,
    user: Any,
    scoped: models.QuerySet[M],
    pk: Any,
    action: AuditAction = AuditAction.VIEW,
    audit_allowed: bool = False,
) -> M:
    model = scoped.model
    try:
        obj = scoped.filter(pk=pk).first()
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    if obj is None:
        if model._default_manager.filter(pk=pk).exists():
            audit_record(
                actor=user,
                action=action,
                outcome=AuditOutcome.REFUSED,
                object_type=model._meta.label_lower,
                object_id=pk,
                reason="outside the user's scope",
            )
        raise Http404
    if audit_allowed:
        audit_record(actor=user, action=action, target=obj)
    return obj
