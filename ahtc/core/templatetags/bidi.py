"""Keep numbers readable in both directions (`{% load bidi %}`).

In Urdu text, and in English text that contains Urdu, the Unicode bidi
algorithm turns the digits after an Arabic-script letter into "Arabic
numbers"; a hyphen or space between two such runs then flows right to left,
so "0300-1112223" shows as "1112223-0300" and a CNIC or a receipt code is
scrambled the same way. Isolating the value (`<bdi dir="ltr">`) keeps it in
the order it was written, in either language.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Phone numbers, CNICs, receipt codes and other digit groups joined by hyphens,
# spaces, dots or slashes (at least 5 digits in all), with an optional "+".
NUMBER = re.compile(r"\+?\d[\d\u00a0 ./-]*\d")
MIN_DIGITS = 5


@register.filter(is_safe=True)
def ltr(value: object) -> SafeString | str:
    """A code, number or reference, isolated left to right: `{{ case.reference|ltr }}`."""
    if value is None or value == "":
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


def _isolated(match: re.Match[str]) -> str:
    text = match.group(0)
    if sum(char.isdigit() for char in text) < MIN_DIGITS:
        return text
    return f'<bdi dir="ltr">{text}</bdi>'


@register.filter(is_safe=True, needs_autoescape=True)
def ltr_numbers(value: object, autoescape: bool = True) -> SafeString:
    """Free text with every phone number, CNIC or code in it isolated:
    `{{ tip.involved|ltr_numbers|linebreaksbr }}`. Escapes first, so the
    result is safe; short numbers (ages, amounts under five digits) are left."""
    text = str(conditional_escape(str(value)) if autoescape else value)
    # Escaping leaves digits, spaces, dots, slashes and hyphens alone.
    return mark_safe(NUMBER.sub(_isolated, text))  # noqa: S308 - escaped above
