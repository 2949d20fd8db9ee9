"""Numbers, amounts, file sizes and arrows as a reader of the page's language
writes them (`{% load figures %}`; docs/urdu.md).

Amounts use lakh grouping with the number first in both languages
(«3,00,000 روپے», "3,00,000 rupees"), never "Rs" before the amount. File
sizes and kinds are words of the page's language, never "(jpeg)". Arrows
point the way the line is read: right to left in Urdu.
"""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.translation import get_language_bidi, gettext, pgettext_lazy

register = template.Library()

KB = 1024
MB = 1024 * 1024


def lakh_grouping(value: int) -> str:
    """300000 -> 3,00,000; 12345678 -> 1,23,45,678 (the last three digits, then twos)."""
    sign, digits = ("-", str(-value)) if value < 0 else ("", str(value))
    if len(digits) <= 3:
        return sign + digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        head, pair = head[:-2], head[-2:]
        pairs.insert(0, pair)
    return sign + ",".join([head, *pairs, tail])


def _whole(value: object) -> int | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return int(str(value))
    except ValueError:
        try:
            return round(float(str(value)))
        except ValueError:
            return None


@register.filter
def lakh(value: object) -> str:
    """A whole number with lakh grouping: `{{ count|lakh }}`."""
    number = _whole(value)
    return "—" if number is None else lakh_grouping(number)


@register.filter
def rupees(value: object) -> str:
    """An amount in rupees, number first: `{{ e.amount_pkr|rupees }}` -> «3,00,000 روپے»."""
    number = _whole(value)
    if number is None:
        return "—"
    return gettext("%(amount)s rupees") % {"amount": lakh_grouping(number)}


def _decimal(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@register.filter
def file_size(value: object) -> str:
    """Bytes as KB or MB in the page's language: `{{ f.size|file_size }}` -> «8 ایم بی»."""
    size = _whole(value)
    if size is None:
        return "—"
    if size >= MB:
        return gettext("%(size)s MB") % {"size": _decimal(size / MB)}
    return gettext("%(size)s KB") % {"size": max(1, round(size / KB))}


FILE_KINDS = {
    "jpeg": pgettext_lazy("file kind", "photo"),
    "png": pgettext_lazy("file kind", "photo"),
    "webp": pgettext_lazy("file kind", "photo"),
    "pdf": pgettext_lazy("file kind", "PDF document"),
    "ogg": pgettext_lazy("file kind", "voice note"),
    "amr": pgettext_lazy("file kind", "voice note"),
    "mp4": pgettext_lazy("file kind", "voice note or video"),
    "webm": pgettext_lazy("file kind", "video"),
    "avi": pgettext_lazy("file kind", "video"),
}


@register.filter
def file_kind(value: object) -> str:
    """A stored file kind (jpeg, pdf, ogg ...) in words: `{{ f.kind|file_kind }}`."""
    return str(FILE_KINDS.get(str(value), pgettext_lazy("file kind", "file")))


@register.simple_tag
def arrow() -> str:
    """The arrow from one step to the next in the reading direction: `{% arrow %}`."""
    return "←" if get_language_bidi() else "→"


@register.filter
def route(stops: Iterable[object]) -> str:
    """Places joined by arrows pointing the way the line is read: `{{ route|route }}`."""
    return f" {arrow()} ".join(str(stop) for stop in stops)
