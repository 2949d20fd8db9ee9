"""What changes for requests under /api/ (docs/api.md).

- Language: English unless `Accept-Language` asks for another language we
  offer. The portal's language cookie is ignored: a partner system never chose
  it, and the same request must get the same answer from every client.
- Errors: whatever Django or a middleware answered outside DRF (a 413 page for
  an oversize body, for instance) is turned into the JSON error format.

Sits right after `ahtc.core.middleware.LanguageMiddleware` (settings), which
it overrides for the API.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from ahtc.api.errors import is_api, json_error

API_LANGUAGE = "en"
REDIRECTS = {301, 302, 303, 307, 308}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Headers an error answer keeps when its body is replaced.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Content-Language", "Vary")


def api_language(accept_language: str) -> str:
    """The first language of the header we offer (q order), else English."""
    offered = {code for code, _name in settings.LANGUAGES}
    for code, quality in parse_accept_lang_header(accept_language[:255]):
        if code == "*":
            break
        if quality <= 0:  # "q=0": not acceptable
            continue
        base = code.lower().split("-")[0]
        if base in offered:
            return base
    return API_LANGUAGE


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api(request):
            return self.get_response(request)
        language = api_language(request.headers.get("Accept-Language", ""))
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            if response.status_code in REDIRECTS and request.method not in SAFE_METHODS:
                # The slash redirect of a path that is not ours (every API path
                # is answered with and without it): a client would re-send it
                # as a GET.
                response = json_error(404)
            elif response.status_code >= 400 and not _is_json(response):
                response = _as_json_error(response)
        response.headers["Content-Language"] = language
        _vary_on_language(response)
        return response


def _is_json(response: HttpResponse) -> bool:
    return str(response.headers.get("Content-Type", "")).startswith("application/json")


def _as_json_error(original: HttpResponse) -> HttpResponse:
    response = json_error(original.status_code)
    for name in KEPT_HEADERS:
        if name in original.headers:
            response.headers[name] = original.headers[name]
    return response


def _vary_on_language(response: HttpResponse) -> None:
    vary = [v.strip() for v in str(response.headers.get("Vary", "")).split(",") if v.strip()]
    if "accept-language" not in {v.lower() for v in vary}:
        response.headers["Vary"] = ", ".join([*vary, "Accept-Language"])
