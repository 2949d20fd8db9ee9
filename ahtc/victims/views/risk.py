"""The risk of re-trafficking and re-appearance alerts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.victims import forms as f
from ahtc.victims import services as s
from ahtc.victims.models import ReappearanceAlert
from ahtc.victims.selectors import record_for_user
from ahtc.victims.views.base import _post, _record_action, _record_url


@staff_view(Perm.VIEW_WORKSPACE)
def risk_add(request: HttpRequest, number: str) -> HttpResponse:
    return _record_action(
        request,
        number,
        build=lambda rec, r: f.RiskForm(_post(r)),
        handle=lambda rec, d, r: s.risk_assess(record=rec, by=r.user, **d),
        title=_("Assess the risk of re-trafficking"),
        anchor="risk",
        done=_("Risk assessed."),
    )


@require_POST
@staff_view(Perm.VIEW_WORKSPACE)
def alert_seen(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    record = record_for_user(request.user, number)
    alert = ReappearanceAlert.objects.filter(record=record, pk=pk, seen_at__isnull=True).first()
    if alert is not None:
        alert.seen_at = timezone.now()
        alert.seen_by = request.user  # type: ignore[assignment]
        alert.save(update_fields=["seen_at", "seen_by"])
        audit_record(
            actor=request.user, action=AuditAction.UPDATE, target=record, reason="alert seen"
        )
    return redirect(_record_url(record, "alerts"))
