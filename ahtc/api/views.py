from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ahtc.accounts.models import Organisation
from ahtc.accounts.selectors import organisation_for_user, organisations_for_user
from ahtc.api.serializers import AreaSerializer, MeSerializer, OrganisationSerializer
from ahtc.geography.models import Area, AreaLevel


class ApiRoot(APIView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        names = [
            "api:schema",
            "api:me",
            "api:areas",
            "api:organisations",
            "api:cases",
            "api:legal_provisions",
            "api:referrals",
        ]
        return Response({name.split(":")[1]: reverse(name, request=request) for name in names})


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)  # type: ignore[arg-type]


class AreaList(generics.ListAPIView[Area]):
    """The area tree (reference data). Filter by `level`, `within` (a code) and `on` (a date)."""

    serializer_class = AreaSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("level", enum=AreaLevel.values),
            OpenApiParameter("within", str, description="code of an ancestor area"),
            OpenApiParameter("current", bool, description="only areas valid today"),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="only areas valid on this date (YYYY-MM-DD)"
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Area]:
        rows = Area.objects.select_related("parent").prefetch_related("predecessors")
        params = self.request.query_params
        if params.get("level"):
            rows = rows.filter(level=params["level"])
        if params.get("within"):
            ancestor = Area.objects.filter(code=params["within"]).first()
            rows = rows.within(ancestor) if ancestor else rows.none()
        if params.get("current") in {"1", "true", "yes"}:
            rows = rows.current()
        if params.get("on"):
            rows = rows.valid_on(_date_param(params["on"], "on"))
        return rows.order_by("path")


def _date_param(raw: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({name: [_("Give a date as YYYY-MM-DD.")]}) from None


class AreaDetail(generics.RetrieveAPIView[Area]):
    serializer_class = AreaSerializer
    lookup_field = "code"
    queryset = Area.objects.select_related("parent").prefetch_related("predecessors")


class OrganisationList(generics.ListAPIView[Organisation]):
    """Organisations serving the caller's areas."""

    serializer_class = OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        return organisations_for_user(self.request.user).select_related("area")


class OrganisationDetail(generics.RetrieveAPIView[Organisation]):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()

    def get_object(self) -> Organisation:
        return organisation_for_user(self.request.user, self.kwargs["pk"])
