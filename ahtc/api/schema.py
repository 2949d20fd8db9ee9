"""Schema generation: the session scheme, and the error answers of every operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.authentication import SessionScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

from ahtc.api.errors import STATUS_CODES


class VerifiedSessionScheme(SessionScheme):  # type: ignore[no-untyped-call]
    """Document the 2FA-verified browser session like DRF's session auth."""

    target_class = "ahtc.api.auth.VerifiedSessionAuthentication"
    name = "verifiedSession"


class ErrorSerializer(serializers.Serializer[Any]):
    """Every error under /api/ (docs/api.md)."""

    code = serializers.CharField(help_text="Stable, for programs: not_found, invalid, throttled…")
    message = serializers.CharField(help_text="For people, in the language of the request.")
    # The name shadows Serializer.fields for the type checker only: DRF's
    # metaclass moves declared fields out of the class attributes.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field (nested fields joined with dots); empty if none.",
    )

    class Meta:
        ref_name = "Error"


ALWAYS = (400, 401, 403, 405, 406, 429, 500)
WITH_PATH_PARAMETERS = (404,)
WITH_BODY = (413, 415)


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the documented error answers."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if str(status) in responses:
                continue
            response = self._get_response_for_code(  # type: ignore[no-untyped-call]
                ErrorSerializer, str(status), None, direction
            )
            response["description"] = str(STATUS_CODES[status][1])
            responses[str(status)] = response
        return responses

    def _error_statuses(self) -> list[int]:
        statuses = list(ALWAYS)
        if "{" in self.path:
            statuses.extend(WITH_PATH_PARAMETERS)
        if self.method in {"POST", "PUT", "PATCH"}:
            statuses.extend(WITH_BODY)
        return sorted(statuses)
