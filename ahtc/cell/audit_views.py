"""One audit row in full: its summary and every entry of the list it records
(core.AuditItem), for rows too long for one line of the audit log."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.cell.views import _audit_for_user
from ahtc.core.access import get_scoped_or_404
from ahtc.core.models import AuditEvent

ENTRIES_PER_PAGE = 1000


@staff_view(Perm.VIEW_AUDIT)
def audit_event(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    event: AuditEvent = get_scoped_or_404(user=user, scoped=_audit_for_user(user), pk=pk)
    entries = event.items.order_by("position").values_list("text", flat=True)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cell/audit_event.html", {"event": event, "page": page})
