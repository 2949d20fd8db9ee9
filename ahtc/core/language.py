"""The language choice: one cookie, set the way Django's `set_language` sets it.

Views that switch the language inside their own answer (the report form and
the receipt page keep what is on them, see portal/switch.py) use these helpers,
so the cookie is the same whichever way the language was changed.
"""

from __future__ import annotations

from typing import Literal, cast

from django.conf import settings
from django.http import HttpResponse

SameSite = Literal["Lax", "Strict", "None"] | None


def language_chosen(value: object) -> str | None:
    """The language code if it is one we offer, else None."""
    codes = {code for code, _name in settings.LANGUAGES}
    return value if isinstance(value, str) and value in codes else None


def language_cookie_set(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
    )
    response.headers["Content-Language"] = language
