from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from ahtc.accounts.models import Organisation
from ahtc.accounts.selectors import organisation_for_user, organisations_for_user
from ahtc.api.params import bool_query, choice_query, date_query
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
            "api:indicators",
            "api:agencies",
            "api:referrals",
            "api:reports",
            "api:people_search",
            "api:surveys",
        ]
        return Response({name.split(":")[1]: reverse(name, request=request) for name in names})


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        serializer = MeSerializer(request.user, context={"request": request})  # type: ignore[arg-type]
        return Response(serializer.data)


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
        level = choice_query(params, "level", AreaLevel.values)
        if level:
            rows = rows.filter(level=level)
        if params.get("within"):
            ancestor = Area.objects.filter(code=params["within"]).first()
            rows = rows.within(ancestor) if ancestor else rows.none()
        if bool_query(params, "current"):
            rows = rows.current()
        on = date_query(params, "on")
        if on is not None:
            rows = rows.valid_on(on)
        return rows.order_by("path")


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
