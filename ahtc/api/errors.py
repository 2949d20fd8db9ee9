"""One error format for everything under /api/ (docs/api.md):

    {"code": "not_found", "message": "Not found.", "fields": {}}

`code` is stable and meant for programs; `message` is for people, in the
language of the request (ahtc/api/middleware.py); `fields` maps a field name
(nested fields joined with dots) to its messages. DRF's own errors go through
`api_exception_handler`; what Django answers before or after a DRF view
(unknown paths, uncaught exceptions, oversize bodies) is turned into the same
shape by the handlers in ahtc/urls.py and by `ApiMiddleware`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import defaults
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler

from ahtc.core import views as core_views

API_PREFIX = "/api"

# Codes (and default messages) for answers that Django, not DRF, gives.
STATUS_CODES: dict[int, tuple[str, Promise]] = {
    400: ("bad_request", _("The request is not valid.")),
    401: ("not_authenticated", _("Authentication credentials were not provided.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("Not found.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    406: ("not_acceptable", _("This API answers in JSON only.")),
    413: ("too_large", _("The request body is too large.")),
    415: ("unsupported_media_type", _("Send the request body as JSON (application/json).")),
    429: ("throttled", _("Too many requests; wait and try again.")),
    500: ("server_error", _("Something went wrong on our side; the request was not completed.")),
}
MESSAGE_KEYS = {"detail", api_settings.NON_FIELD_ERRORS_KEY}


def is_api(request: HttpRequest) -> bool:
    return request.path == API_PREFIX or request.path.startswith(f"{API_PREFIX}/")


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def error_for_status(status: int) -> dict[str, Any]:
    code, message = STATUS_CODES.get(status, STATUS_CODES[500 if status >= 500 else 400])
    return error_body(code, str(message))


def _messages(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return [str(value)]


def _field_errors(prefix: str, value: Any) -> dict[str, list[str]]:
    """Nested serializer errors flattened to dotted names: `events.0.date`."""
    pairs: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        pairs = value.items()
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        pairs = ((str(i), v) for i, v in enumerate(value) if v)
    else:
        return {prefix: _messages(value)}
    found: dict[str, list[str]] = {}
    for key, item in pairs:
        found.update(_field_errors(f"{prefix}.{key}", item))
    return found


def validation_body(detail: Any) -> dict[str, Any]:
    messages: list[str] = []
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key in MESSAGE_KEYS:
                messages.extend(_messages(value))
            else:
                fields.update(_field_errors(str(key), value))
    else:
        messages.extend(_messages(detail))
    message = " ".join(messages) or gettext("Some fields are not valid; see the field errors.")
    return error_body("invalid", message, fields)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (headers such as Retry-After and WWW-Authenticate
    included), with the body in our format. Anything else is re-raised and
    answered by `server_error`."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = validation_body(exc.detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(str(code), " ".join(_messages(exc.detail)))
    return response


def json_error(status: int) -> JsonResponse:
    return JsonResponse(error_for_status(status), status=status)


# Django's error handlers (ahtc/urls.py): JSON under /api/, the pages elsewhere.


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    if is_api(request):
        return json_error(400)
    return defaults.bad_request(request, exception)


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return json_error(403) if is_api(request) else core_views.forbidden(request, exception)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return json_error(404) if is_api(request) else core_views.not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return json_error(500) if is_api(request) else core_views.server_error(request)
