from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: object) -> str:
    """12345678 -> 12,345,678 (digits stay Western for officers' reports)."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(str(value)):,}"
    except ValueError:
        return str(value)
