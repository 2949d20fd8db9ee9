"""Request parsers for the API.

JSON nested thousands of levels deep made the standard parser raise
RecursionError (a 500). `BoundedJSONParser` turns that into a 400, and also
refuses anything nested deeper than any of our payloads need, so no code that
walks the data later can hit the recursion limit either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32


def json_depth_exceeds(data: Any, limit: int) -> bool:
    """True if lists or objects nest deeper than `limit` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, Mapping | list):
            if depth > limit:
                return True
            children = value.values() if isinstance(value, Mapping) else value
            stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONParser(JSONParser):
    max_depth = MAX_JSON_DEPTH

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - nested too deeply.")) from exc
        if json_depth_exceeds(data, self.max_depth):
            raise ParseError(
                _("JSON parse error - nested deeper than %(limit)d levels.")
                % {"limit": self.max_depth}
            )
        return data
