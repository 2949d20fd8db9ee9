"""`GET /api/v1/agencies/verify/?q=` for partners and apps: the public answer as JSON.

Open to everyone, like the portal page, and with the same public facts only
(agencies/verify.py). A call with an API token spends from the token's
budget; a call without one from its sender's own budget (agencies/throttle.py),
so one scraper cannot starve the other callers.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from ahtc.agencies.throttle import sender_key
from ahtc.agencies.verify import MAX_QUERY, verify
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
