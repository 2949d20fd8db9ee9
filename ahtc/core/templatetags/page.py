"""Small helpers for the page frame (`{% load page %}`): templates/base.html and its includes."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def session_idle_seconds() -> int:
    return int(settings.SESSION_COOKIE_AGE)


@register.simple_tag
def session_idle_minutes() -> int:
    return max(1, int(settings.SESSION_COOKIE_AGE) // 60)


@register.simple_tag(takes_context=True)
def page_value(context: Any, name: str) -> Any:
    """A variable that only some views give, read without a failed lookup: a
    missing variable is logged at DEBUG with the whole context, which may hold
    identities or a report being typed."""
    return context.get(name, "")
