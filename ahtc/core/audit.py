"""Writing the audit log. Every write goes through `audit_record`."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import AuditAction, AuditEvent, AuditOutcome

# Reasons are stored in English (stable, greppable) and shown translated.
REASON_LABELS = {
    "outside the user's scope": _("outside the user's scope"),
    "wrong username or password": _("wrong username or password"),
    "wrong or missing second-factor code": _("wrong or missing second-factor code"),
    "too many failed sign-ins for one account": _("too many failed sign-ins for one account"),
    "disabled from the workspace": _("disabled from the workspace"),
}


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_label": ""}
    return {"actor": actor, "actor_label": actor.get_username()}


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    outcome: AuditOutcome = AuditOutcome.ALLOWED,
    target: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    area_code: str = "",
    reason: str = "",
) -> AuditEvent:
    """Append one event. `target` gives the record kind and id; values never."""
    if target is not None:
        object_type = target._meta.label_lower
        object_id = target.pk
    return AuditEvent.objects.create(
        **_actor_fields(actor),
        action=action,
        outcome=outcome,
        object_type=object_type,
        object_id=str(object_id),
        area_code=area_code,
        reason=reason[:500],
    )
