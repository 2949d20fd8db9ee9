"""REST endpoints for service providers: their open referrals, and answers.

The same selectors as the pages: a provider's system sees only referrals sent
to its organisation while they are open, with the identity only when the
referral needs it and the victim consented. Every read is audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.api.serializers import StrictBooleanField, StrictCharField
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.victims import services
from ahtc.victims.models import Referral
from ahtc.victims.selectors import (
    provider_referral_for_user,
    provider_referrals_for_user,
    provider_sees_identity,
)


class ReferralSerializer(serializers.ModelSerializer[Referral]):
    victim_number: Any = serializers.CharField(source="record.number", read_only=True)
    child: Any = serializers.BooleanField(source="record.child", read_only=True)
    # null when only a date of birth, or nothing, is known
    age: Any = serializers.IntegerField(
        source="record.person.age_years", read_only=True, allow_null=True
    )
    sex: Any = serializers.CharField(source="record.person.sex", read_only=True)
    name: Any = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "victim_number",
            "child",
            "age",
            "sex",
            "service",
            "needs",
            "status",
            "sent_at",
            "respond_by",
            "delivered_on",
            "outcome",
            "name",
        ]

    def get_name(self, obj: Referral) -> str | None:
        """Only when the referral needs it and the victim consented; else null."""
        if not provider_sees_identity(obj):
            return None
        person = obj.record.person
        return " / ".join(n for n in (person.name_latin, person.name_urdu) if n)


class AnswerSerializer(serializers.Serializer[Any]):
    accept = StrictBooleanField(help_text="true to accept, false to turn down (give a reason)")
    reason = StrictCharField(required=False, allow_blank=True, max_length=500)


class DeliverSerializer(serializers.Serializer[Any]):
    delivered_on = serializers.DateField()
    outcome = StrictCharField(max_length=500)


class ReferralList(generics.ListAPIView[Referral]):
    """Open referrals sent to the caller's organisation."""

    serializer_class = ReferralSerializer

    def get_queryset(self) -> QuerySet[Referral]:
        return provider_referrals_for_user(self.request.user).order_by("respond_by", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", []) if isinstance(response.data, dict) else []
        named = sum(1 for r in results if r.get("name"))
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            object_type="victims.referral",
            reason=f"provider referral list via API: {len(results)} rows, {named} with identity",
            items=[
                f"referral {r['id']}" + (" with identity" if r.get("name") else "") for r in results
            ],
        )
        return response


def _act(
    request: Request, pk: int, serializer: type[serializers.Serializer[Any]], act: Any
) -> Response:
    referral = provider_referral_for_user(request.user, pk)
    data = serializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        referral = act(referral, data.validated_data)
    except services.VictimError as exc:
        raise ValidationError({"detail": exc.message}) from exc
    return Response(ReferralSerializer(referral).data)


class ReferralAnswer(APIView):
    @extend_schema(request=AnswerSerializer, responses=ReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return _act(
            request,
            pk,
            AnswerSerializer,
            lambda r, d: services.referral_answer(
                referral=r, by=request.user, accept=d["accept"], reason=d.get("reason", "")
            ),
        )


class ReferralDeliver(APIView):
    @extend_schema(request=DeliverSerializer, responses=ReferralSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return _act(
            request,
            pk,
            DeliverSerializer,
            lambda r, d: services.referral_deliver(
                referral=r, by=request.user, delivered_on=d["delivered_on"], outcome=d["outcome"]
            ),
        )
