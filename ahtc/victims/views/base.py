"""Helpers shared by the victim protection pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from ahtc.accounts.decorators import refused, refused_if
from ahtc.accounts.models import Organisation
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import organisations_for_user, user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord
from ahtc.victims.selectors import record_access, record_for_user

RECORD_WORKERS = (Perm.MANAGE_CASES, Perm.INVESTIGATE)


def _works_records(user: Any) -> bool:
    scope = user_scope(user)
    return any(scope.has_perm_anywhere(p) for p in RECORD_WORKERS)


def _in_record(request: HttpRequest, model: Any, pk: Any, **in_record: Any) -> Any:
    """An object of this record by pk: 404 otherwise, audited when it exists elsewhere."""
    return get_scoped_or_404(
        user=request.user, scoped=model._default_manager.filter(**in_record), pk=pk
    )


def _record_url(record: ProtectionRecord, anchor: str = "") -> str:
    url = reverse("cell:victim", args=[record.number])
    return f"{url}#{anchor}" if anchor else url


def _providers(user: Any, service: str | None = None) -> QuerySet[Organisation]:
    rows = organisations_for_user(user).filter(provider__isnull=False, is_active=True)
    if service:
        # JSON containment (`__contains`) does not exist on SQLite: match in Python.
        offering = [
            pk
            for pk, services in rows.values_list("pk", "provider__services")
            if service in (services or [])
        ]
        rows = rows.filter(pk__in=offering)
    return rows.select_related("provider", "area").order_by("name_en")


def _record_action(
    request: HttpRequest,
    number: str,
    *,
    build: Callable[[ProtectionRecord, HttpRequest], Any],
    handle: Callable[[ProtectionRecord, dict[str, Any], HttpRequest], Any],
    title: str,
    anchor: str,
    done: str,
    need: str = "manage",
) -> HttpResponse:
    record = record_for_user(request.user, number)
    access = record_access(request.user, record)
    if not getattr(access, need):
        return refused(request, record, f"lacks record access: {need}")
    form = build(record, request)
    if request.method == "POST" and form.is_valid():
        try:
            handle(record, form.cleaned_data, request)
        except s.VictimError as exc:
            refused_if(request, record, exc)
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(_record_url(record, anchor))
    context = {"form": form, "title": title, "back": _record_url(record, anchor), "record": record}
    return render(request, "victims/action.html", context)


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None
