"""The installable portal: the web app manifest and the service worker.

The service worker is served from the site root (`/sw.js`) so that its scope
covers the home page and the report form. It keeps only the pages in
`OFFLINE_PAGES` and the files in `OFFLINE_ASSETS`; everything else, and
every POST, goes to the network untouched (see templates/portal/sw.js).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, get_language_bidi, gettext
from django.views.decorators.http import require_safe

THEME_COLOUR = "#0b5d3b"
BACKGROUND_COLOUR = "#ffffff"

# Static files the report form needs offline (paths under STATIC_URL).
OFFLINE_ASSETS = ("ahtc/base.css", "ahtc/files.js", "ahtc/offline.js", "ahtc/icon.svg")
# Kept offline once the browser has fetched them, never fetched ahead: only a
# phone without an Urdu font of its own downloads the Urdu web font (base.css).
OFFLINE_WHEN_USED = ("ahtc/fonts/AHTCNaskh-Regular.woff2", "ahtc/fonts/AHTCNaskh-Bold.woff2")
# Public pages kept offline (URL names). Never a page that shows a receipt
# code or a follow-up thread: those answer POSTs and are never stored.
OFFLINE_PAGES = ("portal:home", "portal:report")


def _icons() -> list[dict[str, str]]:
    return [
        {"src": static("ahtc/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
        {"src": static("ahtc/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("ahtc/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {
            "src": static("ahtc/icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest, in the language of the page that links it."""
    home = reverse("portal:home")
    data: dict[str, object] = {
        "id": home,
        "name": gettext("Anti-Human Trafficking Cell"),
        "short_name": gettext("AHTC"),
        "description": gettext("Report safely, without your name"),
        "lang": get_language(),
        "dir": "rtl" if get_language_bidi() else "ltr",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": _icons(),
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/manifest+json; charset=utf-8",
    )
    # The language comes from a cookie (the link asks for credentials).
    patch_vary_headers(response, ["Cookie"])
    patch_cache_control(response, private=True, max_age=3600)
    return response


def _cache_version(pages: list[str], assets: list[str]) -> str:
    """Changes whenever an offline file changes, so that browsers refresh their copy."""
    digest = hashlib.sha256(json.dumps([pages, assets]).encode())
    for name in (*OFFLINE_ASSETS, *OFFLINE_WHEN_USED):
        found = finders.find(name)
        if found:
            digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:16]


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    pages = [reverse(name) for name in OFFLINE_PAGES]
    assets = [static(name) for name in OFFLINE_ASSETS]
    when_used = [static(name) for name in OFFLINE_WHEN_USED]
    body = render_to_string(
        "portal/sw.js",
        {
            "version": _cache_version(pages, [*assets, *when_used]),
            "pages_json": json.dumps(pages),
            "assets_json": json.dumps(assets),
            "when_used_json": json.dumps(when_used),
        },
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers must check for a new worker on every visit.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response
