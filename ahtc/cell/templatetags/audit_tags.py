"""Readable audit rows: record kinds and stored reasons in the reader's language."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.utils.translation import gettext as _

from ahtc.accounts.roles import Perm, Role
from ahtc.core.audit import REASON_LABELS, reason_unsealed
from ahtc.core.models import AuditAction, AuditEvent

register = template.Library()


@register.filter
def audit_record_label(event: AuditEvent) -> str:
    if not event.object_type:
        return "—"
    if event.object_type == "page":
        return _("page %(name)s") % {"name": event.object_id}
    try:
        kind = str(apps.get_model(event.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = event.object_type
    return f"{kind} #{event.object_id}" if event.object_id else kind


@register.filter
def audit_item_count(event: AuditEvent) -> int:
    """How many list entries the row records (read from its seal, no query)."""
    return reason_unsealed(event.reason)[1]


@register.filter
def audit_reason(event: AuditEvent) -> str:
    reason = reason_unsealed(event.reason)[0]
    if event.action in (AuditAction.GRANT, AuditAction.REVOKE) and reason in Role.values:
        label = str(Role(reason).label)
        return f"{label} ({event.area_code})" if event.area_code else label
    if reason.startswith("lacks permission ") and reason[17:] in Perm.values:
        return _("lacks the permission: %(perm)s") % {"perm": Perm(reason[17:]).label}
    return str(REASON_LABELS.get(reason, reason))
