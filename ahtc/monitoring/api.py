"""REST endpoints for indicators: the catalogue and computed values.

The same permission as the pages (*view aggregates*, inside the caller's
areas) and the same functions (compute.py). Values only: asking for the rows
behind them (`rows=1`) is refused and audited. Small numbers are hidden as on
the pages (suppression.py): `value` null, `suppressed` true and `below` k,
with the same secondary suppression between the total and its breakdown and
across periods; the district's own cell gets them exactly.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.api.params import choice_query
from ahtc.monitoring.compute import IndicatorValue, ValueStatus, breakdown, value
from ahtc.monitoring.indicators import BY_CODE, CATALOGUE, DIMENSIONS, IndicatorDef
from ahtc.monitoring.periods import PeriodError, PeriodKind, period_containing, period_parse
from ahtc.monitoring.selectors import (
    aggregate_area_for_user,
    home_area,
    may_view_aggregates,
    rows_refused,
)
from ahtc.monitoring.suppression import screen_for


def _require(request: Request) -> None:
    if not may_view_aggregates(request.user):
        from ahtc.core.audit import audit_record
        from ahtc.core.models import AuditAction, AuditOutcome

        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            outcome=AuditOutcome.REFUSED,
            object_type="api",
            object_id="indicators",
            reason="lacks permission view_aggregates",
        )
        raise PermissionDenied("statistics need the view aggregates permission")


def _described(entry: IndicatorDef) -> dict[str, Any]:
    return {
        "code": entry.code,
        "name": str(entry.name),
        "numerator": str(entry.numerator),
        "denominator": str(entry.denominator),
        "measure": entry.measure,
        "disaggregations": list(entry.disaggregations),
        "period_kinds": list(entry.period_kinds),
        "higher_is_better": entry.higher_is_better,
        "status": entry.status,
        "pending": str(entry.pending_note),
    }


class IndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField()
    measure = serializers.CharField()
    disaggregations = serializers.ListField(child=serializers.CharField())
    period_kinds = serializers.ListField(child=serializers.CharField())
    higher_is_better = serializers.BooleanField()
    status = serializers.CharField()
    pending = serializers.CharField()


class IndicatorListSerializer(serializers.Serializer[Any]):
    results = IndicatorSerializer(many=True)


class ValueSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField()
    area = serializers.CharField()
    period = serializers.CharField()
    category = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    note = serializers.CharField()
    suppressed = serializers.BooleanField()
    below = serializers.IntegerField(allow_null=True, help_text="the k a hidden value is below")
    display = serializers.CharField(help_text="the value as the pages show it")


def _served(v: IndicatorValue) -> dict[str, Any]:
    hidden = v.status == ValueStatus.SUPPRESSED
    return {**v.as_dict(), "suppressed": hidden, "below": v.below or None, "display": v.display}


class ValuesSerializer(serializers.Serializer[Any]):
    indicator = IndicatorSerializer()
    total = ValueSerializer()
    by = serializers.CharField(required=False)
    values = ValueSerializer(many=True, required=False)


class IndicatorList(APIView):
    """The indicator catalogue (active and pending)."""

    @extend_schema(responses=IndicatorListSerializer)
    def get(self, request: Request) -> Response:
        _require(request)
        return Response({"results": [_described(e) for e in CATALOGUE]})


class IndicatorValues(APIView):
    """Values of one indicator for an area and period, optionally broken down."""

    @extend_schema(
        parameters=[
            OpenApiParameter("area", str, description="area code (default: your widest area)"),
            OpenApiParameter("period", str, description="2025-07, 2025B4, 2025Q3 or FY2025-26"),
            OpenApiParameter("by", enum=list(DIMENSIONS)),
        ],
        responses=ValuesSerializer,
    )
    def get(self, request: Request, code: str) -> Response:
        _require(request)
        entry = BY_CODE.get(code)
        if entry is None:
            raise NotFound("no such indicator")
        params = request.query_params
        area = self._area(request, params.get("area", ""))
        if params.get("rows"):
            rows_refused(user=request.user, indicator=code, area_code=area.code,
                         period=params.get("period", ""), via="API")  # fmt: skip
            raise PermissionDenied("aggregates only: the records behind a value are not served")
        period = self._period(params.get("period", ""))
        screen = screen_for(request.user, area)
        by = choice_query(params, "by", DIMENSIONS)
        if by and by not in entry.disaggregations:
            raise ValidationError({"by": f"{code} cannot be broken down by {by}"})
        cells = list(breakdown(code, area, period, by).values()) if by else []
        total, cells = screen.group(value(code, area, period), cells)
        body: dict[str, Any] = {"indicator": _described(entry), "total": _served(total)}
        if by:
            body["by"] = by
            body["values"] = [_served(v) for v in cells]
        return Response(body)

    def _area(self, request: Request, code: str) -> Any:
        if code:
            return aggregate_area_for_user(request.user, code)
        area = home_area(request.user)
        if area is None:
            raise NotFound("no area")
        return area

    def _period(self, raw: str) -> Any:
        if not raw:
            return period_containing(timezone.localdate(), PeriodKind.MONTH)
        try:
            return period_parse(raw)
        except PeriodError as exc:
            raise ValidationError({"period": str(exc)}) from exc
