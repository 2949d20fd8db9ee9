"""The Urdu fonts that ship with AHTC, for WeasyPrint (`{% load pdf_fonts %}`).

PDFs are rendered from a string with no base URL, so `@font-face` points at the
shipped files by absolute file:// URL (templates/pdf_fonts.html). WeasyPrint then
embeds them whatever fontconfig has installed: a server without an Urdu font
still prints Urdu, and a system copy of Noto is never picked instead of ours.
The files are made by scripts/subset_fonts.py (see static/ahtc/fonts/README.md).
"""

from __future__ import annotations

from pathlib import Path

from django import template

register = template.Library()

FONTS_DIR = Path(__file__).resolve().parent.parent.parent / "static" / "ahtc" / "fonts"


@register.simple_tag
def font_url(name: str) -> str:
    """`{% font_url "AHTCNaskh-Regular.ttf" %}`: a shipped font as a file:// URL."""
    path = FONTS_DIR / "".join(name)  # a plain str: pathlib cannot intern a SafeString
    if path.parent != FONTS_DIR or not path.is_file():
        raise template.TemplateSyntaxError(f"no shipped font called {name!r}")
    return path.as_uri()
