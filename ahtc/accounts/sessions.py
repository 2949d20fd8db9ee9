"""A user's stored sessions, as administrators see them (issue 11).

Sessions live in Django's database store. At sign-in the view records when
the session started and the browser family (never the full user agent, never
the address); the last request is known because every request pushes the
expiry forward by SESSION_COOKIE_AGE (settings.SESSION_SAVE_EVERY_REQUEST).
A session is named on pages by a hash of its key: the key itself is a
credential and is never shown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

STARTED_KEY = "ahtc_started"
BROWSER_KEY = "ahtc_browser"

# Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari".
BROWSER_FAMILIES = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
)


@dataclass(frozen=True)
class SessionInfo:
    ref: str
    started: dt.datetime | None
    last_seen: dt.datetime
    expires: dt.datetime
    browser: str


def browser_family(user_agent: str) -> str:
    for marker, family in BROWSER_FAMILIES:
        if marker in user_agent:
            return family
    return ""


def session_mark(request: HttpRequest) -> None:
    """Called at sign-in: when the session started and in which browser family."""
    request.session[STARTED_KEY] = timezone.now().isoformat()
    request.session[BROWSER_KEY] = browser_family(request.META.get("HTTP_USER_AGENT", ""))


def session_ref(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()[:16]


def _live_sessions() -> Iterable[Session]:
    return Session.objects.filter(expire_date__gt=timezone.now()).iterator()


def session_keys_of(user_ids: set[int]) -> list[str]:
    """Keys of the live stored sessions of these users (one pass over the store)."""
    wanted = {str(pk) for pk in user_ids}
    return [
        s.session_key for s in _live_sessions() if s.get_decoded().get("_auth_user_id") in wanted
    ]


def sessions_of(user_id: int) -> list[SessionInfo]:
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    found = []
    for session in _live_sessions():
        data = session.get_decoded()
        if data.get("_auth_user_id") != str(user_id):
            continue
        started = parse_datetime(str(data.get(STARTED_KEY, "")))
        found.append(
            SessionInfo(
                ref=session_ref(session.session_key),
                started=started,
                last_seen=session.expire_date - idle,
                expires=session.expire_date,
                browser=str(data.get(BROWSER_KEY, "")),
            )
        )
    return sorted(found, key=lambda info: info.last_seen, reverse=True)


def sessions_delete(*, user_ids: set[int], ref: str = "") -> int:
    """Delete the stored sessions of these users (only the one named `ref`, if given)."""
    keys = [k for k in session_keys_of(user_ids) if not ref or session_ref(k) == ref]
    deleted, _per_model = Session.objects.filter(session_key__in=keys).delete()
    return deleted
