"""`GET /api/v1/agencies/verify/?q=` for partners and apps: the public answer as JSON;
`GET /api/v1/agencies/` and `/api/v1/agencies/<id>/`: the registry as the staff
pages show it to the caller (agencies/selectors.py), at the end of this module.

Open to everyone, like the portal page, and with the same public facts only
(agencies/verify.py). A call with an API token spends from the token's
budget; a call without one from its sender's own budget (agencies/throttle.py),
so one scraper cannot starve the other callers.
"""

from __future__ import annotations

import math
import re
import time
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from ahtc.agencies.models import Agency, AgencyKind, AgencyStatus, Licence
from ahtc.agencies.risk import risk_reasons, with_risk
from ahtc.agencies.selectors import agencies_for_user, agency_for_user, reads_agencies
from ahtc.agencies.throttle import sender_key
from ahtc.agencies.verify import MAX_QUERY, verify
from ahtc.api.params import choice_query, refuse, single
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.core.ratelimit import within_minute_budget


class VerifyThrottle(BaseThrottle):
    def allow_request(self, request: Request, view: APIView) -> bool:
        from ahtc.api.models import ApiToken
        from ahtc.api.throttling import budget_of

        if isinstance(request.auth, ApiToken):
            return within_minute_budget(*budget_of(request))
        return within_minute_budget(sender_key(request), settings.AHTC_AGENCY_VERIFY_PER_MINUTE)

    def wait(self) -> float:
        return float(max(1, math.ceil(60 - time.time() % 60)))


class LicenceSerializer(serializers.Serializer[Any]):
    number = serializers.CharField()
    authority = serializers.CharField()
    holder = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    valid = serializers.BooleanField()


class AgencyAnswerSerializer(serializers.Serializer[Any]):
    name_en = serializers.CharField()
    name_ur = serializers.CharField()
    verdict = serializers.ChoiceField(
        choices=["licensed_valid", "licence_expired", "under_notice", "not_licensed"]
    )
    answer = serializers.CharField()
    matched_by = serializers.CharField()
    district = serializers.CharField()
    tehsil = serializers.CharField()
    address = serializers.CharField()
    licences = LicenceSerializer(many=True)


class VerifyAnswerSerializer(serializers.Serializer[Any]):
    query = serializers.CharField()
    results = AgencyAnswerSerializer(many=True)
    advice = serializers.CharField()
    report_url = serializers.CharField()


class AgencyVerify(APIView):
    """Is this agent licensed? Public facts only: names, licences, status, address."""

    permission_classes = [AllowAny]
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                # Two characters that are not spaces, at most 100 in all.
                {
                    "type": "string",
                    "minLength": 2,
                    "maxLength": MAX_QUERY,
                    "pattern": r"\S[\s\S]*\S",
                },
                required=True,
                description="agency name, licence number, licence holder or office phone",
            )
        ],
        responses=VerifyAnswerSerializer,
    )
    def get(self, request: Request) -> Response:
        raw = str(request.query_params.get("q", ""))
        query = raw.strip()
        if len(query) < 2 or len(raw) > MAX_QUERY:
            raise ValidationError({"q": [_("Type 2 to 100 characters.")]})
        results = [
            {**vars(a), "licences": [vars(lic) for lic in a.licences]} for a in verify(query)
        ]
        body = {
            "query": query,
            "results": results,
            "advice": _("Do not pay an agent who is not licensed and valid today."),
            "report_url": request.build_absolute_uri("/report/"),
        }
        return Response(VerifyAnswerSerializer(body).data)


# --- the registry, read (staff) -----------------------------------------------------------


class RegistryLicenceSerializer(serializers.ModelSerializer[Licence]):
    class Meta:
        model = Licence
        fields = ["number", "authority", "holder_name", "valid_from", "valid_to", "cancelled_on"]


class AgencySerializer(serializers.ModelSerializer[Agency]):
    district: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    tehsil: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    risk: Any = serializers.IntegerField(
        read_only=True, help_text="Risk score of the registry page (0 to 100)."
    )
    risk_reasons: Any = serializers.SerializerMethodField()

    class Meta:
        model = Agency
        fields = [
            "id",
            "name_en",
            "name_ur",
            "kind",
            "status",
            "status_since",
            "district",
            "tehsil",
            "address",
            "risk",
            "risk_reasons",
        ]

    def get_risk_reasons(self, obj: Any) -> list[str]:
        """Why the score is what it is, largest first, as the page lists them."""
        return [str(reason.text) for reason in risk_reasons(obj)]


class AgencyDetailSerializer(AgencySerializer):
    licences: Any = RegistryLicenceSerializer(many=True, read_only=True)

    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "licences"]


AGENCY_EXAMPLE = {
    "id": 12,
    "name_en": "Synthetic Overseas Promoters",
    "name_ur": "",
    "kind": "promoter",
    "status": "notice_served",
    "status_since": "2025-03-01",
    "district": "PK620",
    "tehsil": "PK62002",
    "address": "Main Bazaar",
    "risk": 40,
    "risk_reasons": ["licence expired or cancelled"],
}


def _refuse_non_readers(request: Request) -> None:
    if not reads_agencies(request.user):
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            outcome=AuditOutcome.REFUSED,
            object_type="agencies.agency",
            reason="API: no access to the agency registry",
        )
        raise PermissionDenied(_("Your roles do not open the agency registry."))


DISTRICT_CODE = re.compile(r"PK[0-9]{1,18}")


class AgencyList(generics.ListAPIView[Agency]):
    """The agency registry as the staff page shows it to you: riskiest first.

    Filter by `district` (area code), `status` and `kind`. Partner agencies
    see only what is shared with them; roles without the registry get 403.
    """

    serializer_class = AgencySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "district",
                {"type": "string", "pattern": "^PK[0-9]{1,18}$"},
                description="District area code, e.g. PK620",
            ),
            OpenApiParameter("status", enum=AgencyStatus.values),
            OpenApiParameter("kind", enum=AgencyKind.values),
        ],
        examples=[
            OpenApiExample(
                "One page",
                value={"count": 1, "next": None, "previous": None, "results": [AGENCY_EXAMPLE]},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_non_readers(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        rows = agencies_for_user(self.request.user)
        params = self.request.query_params
        if district := single(params, "district"):
            if not DISTRICT_CODE.fullmatch(district):
                raise refuse("district", _("Give a district code such as PK620."))
            rows = rows.filter(district__code=district)
        for name, kind in {"status": AgencyStatus, "kind": AgencyKind}.items():
            if chosen := choice_query(params, name, kind.values):
                rows = rows.filter(**{name: chosen})
        scored = with_risk(rows.select_related("district", "tehsil"), timezone.localdate())
        return scored.order_by("-risk", "name_en", "pk")


class AgencyDetail(generics.RetrieveAPIView[Agency]):
    """One agency of the registry, with its licences. 404 outside your reach. Audited."""

    serializer_class = AgencyDetailSerializer
    queryset = Agency.objects.none()

    @extend_schema(
        examples=[
            OpenApiExample(
                "An agency",
                value={
                    **AGENCY_EXAMPLE,
                    "licences": [
                        {
                            "number": "OEP-0000/LHR",
                            "authority": "beoe",
                            "holder_name": "Synthetic Holder",
                            "valid_from": "2022-01-01",
                            "valid_to": "2024-12-31",
                            "cancelled_on": None,
                        }
                    ],
                },
                response_only=True,
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _refuse_non_readers(request)
        return super().get(request, *args, **kwargs)

    def get_object(self) -> Any:
        agency = agency_for_user(self.request.user, self.kwargs["pk"])
        audit_record(
            actor=self.request.user,
            action=AuditAction.VIEW,
            target=agency,
            area_code=agency.district.code,
            reason="agency via API",
        )
        rows = Agency.objects.filter(pk=agency.pk).select_related("district", "tehsil")
        return with_risk(rows, timezone.localdate()).prefetch_related("licences").get()
