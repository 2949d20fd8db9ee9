"""Paging read strictly (docs/api.md, "Pagination").

DRF's limit-offset paging quietly falls back to the defaults on `?limit=abc`
or `?offset=-3`; a client with a typo would then page through something else
than it asked for. Here a bad number is a 400 naming the parameter, and a
number too large is cut, as documented: `limit` to 500, `offset` to what a
database integer holds (past the last row the page is empty either way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.utils.translation import gettext as _

from ahtc.api.auth import BoundedLimitOffsetPagination
from ahtc.api.params import refuse, single

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


def _count(request: Request, name: str, *, minimum: int, cap: int) -> int | None:
    raw = single(request.query_params, name)
    if raw is None:
        return None
    digits = raw.lstrip("0") or "0"
    # ASCII only: "²" is a digit to str.isdigit() and not to int() (a 500).
    # Twelve digits are past either cap: a longer number is not read at all.
    if raw.isascii() and raw.isdigit():
        number = int(digits) if len(digits) <= 12 else cap
        if number >= minimum:
            return min(number, cap)
    raise refuse(name, _("Give a whole number from %(low)d up.") % {"low": minimum})


class StrictLimitOffsetPagination(BoundedLimitOffsetPagination):
    def get_limit(self, request: Request) -> int:
        limit = _count(request, self.limit_query_param, minimum=1, cap=self.max_limit)
        return cast(int, self.default_limit) if limit is None else limit  # PAGE_SIZE is set

    def get_offset(self, request: Request) -> int:
        offset = _count(request, self.offset_query_param, minimum=0, cap=self.max_offset)
        return 0 if offset is None else offset

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        minimum = {self.limit_query_param: 1, self.offset_query_param: 0}
        for parameter in parameters:
            parameter["schema"]["minimum"] = minimum[parameter["name"]]
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = _("Rows per page: 100 unless given, at most 500.")
        return parameters
