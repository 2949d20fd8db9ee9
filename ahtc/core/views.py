from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST


@never_cache
def bench_insert(request: HttpRequest) -> HttpResponse:
    """Baseline for bench/: one INSERT behind the same middleware (AHTC_BENCH only)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    # A plain one-row INSERT (a session row; `clearsessions` removes it): the
    # audit log is no baseline any more, its appends are serialised (hash chain).
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES (%s, '', %s)",
            [secrets.token_hex(20), timezone.now()],
        )
    return render(request, "errors/bench.html")


@require_POST
@never_cache
def session_alive(request: HttpRequest) -> HttpResponse:
    """The idle warning's "Stay signed in" button (static/ahtc/session.js).

    Every request pushes the session's expiry forward (SESSION_SAVE_EVERY_REQUEST);
    this one does nothing else. Signed out already: 401, and the page says so.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "idle_seconds": settings.SESSION_COOKIE_AGE})


@never_cache
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _base(request: HttpRequest) -> str:
    return "cell/base_cell.html" if request.path.startswith("/cell/") else "portal/base_public.html"


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "errors/404.html", {"base": _base(request)}, status=404)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "errors/403.html", {"base": _base(request)}, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403.html", {"base": _base(request)}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors or database work: the error may be the database.
    return render(request, "errors/500.html", {"base": "portal/base_public.html"}, status=500)
