"""REST endpoints for cases: the same access functions and services as the pages.

Identities never leave through the API: parties are pseudonyms. Partner
systems (FIA, provincial systems) use token authentication.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.accounts.decorators import refused_if
from ahtc.cases import services
from ahtc.cases.classification import Agency, Classification
from ahtc.cases.legal import provisions_in_force
from ahtc.cases.models import Case, CaseEvent, LegalProvision, Party, Status
from ahtc.cases.selectors import case_access, case_for_user, cases_for_user
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome


class ProvisionSerializer(serializers.ModelSerializer[LegalProvision]):
    punishment_en: Any = serializers.SerializerMethodField()

    class Meta:
        model = LegalProvision
        fields = [
            "code",
            "act",
            "section",
            "title_en",
            "title_ur",
            "punishment_en",
            "section_verified",
            "punishment_verified",
            "valid_from",
            "valid_to",
        ]

    def get_punishment_en(self, obj: LegalProvision) -> str:
        """Only where verified; empty otherwise."""
        return obj.punishment_en if obj.punishment_verified else ""


class PartySerializer(serializers.ModelSerializer[Party]):
    pseudonym: Any = serializers.CharField(read_only=True)
    suspect: Any = serializers.BooleanField(source="is_suspect", read_only=True)

    class Meta:
        model = Party
        fields = ["pseudonym", "role", "suspect", "questioned_and_warned"]


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    district: Any = serializers.SlugRelatedField(source="area", slug_field="code", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["kind", "date", "country", "district", "amount_pkr"]


class CaseSerializer(serializers.ModelSerializer[Case]):
    district: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    opened_on: Any = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "district",
            "year",
            "title",
            "origin",
            "status",
            "classification",
            "agency",
            "offence_date",
            "opened_on",
        ]

    def get_opened_on(self, obj: Case) -> dt.date:
        return obj.created_at.date()


class CaseDetailSerializer(CaseSerializer):
    parties: Any = PartySerializer(many=True, read_only=True)
    events: Any = EventSerializer(many=True, read_only=True)
    allowed_transitions: Any = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "parties", "events", "allowed_transitions"]

    def get_allowed_transitions(self, obj: Case) -> list[str]:
        return services.allowed_transitions(obj)


class TransitionSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    override_consent = serializers.BooleanField(required=False, default=False)


class CaseList(generics.ListAPIView[Case]):
    """Cases the caller may see. Filter by `status`, `classification`, `agency`, `year`."""

    serializer_class = CaseSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Status.values),
            OpenApiParameter("classification", enum=Classification.values),
            OpenApiParameter("agency", enum=Agency.values),
            OpenApiParameter("year", int),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Case]:
        rows = cases_for_user(self.request.user).select_related("district")
        params = self.request.query_params
        for name in ("status", "classification", "agency"):
            if params.get(name):
                rows = rows.filter(**{name: params[name]})
        if params.get("year"):
            if not params["year"].isdigit():
                raise ValidationError({"year": "a year, e.g. 2025"})
            rows = rows.filter(year=int(params["year"]))
        return rows.order_by("-year", "-number")


class CaseDetail(generics.RetrieveAPIView[Case]):
    """One case, with pseudonymous parties and the route. Audited."""

    serializer_class = CaseDetailSerializer
    queryset = Case.objects.none()

    def get_object(self) -> Case:
        case = case_for_user(self.request.user, self.kwargs["reference"])
        audit_record(
            actor=self.request.user,
            action=AuditAction.VIEW,
            target=case,
            area_code=case.district.code,
            reason="case via API (pseudonyms)",
        )
        return case


class CaseTransition(APIView):
    """Move a case on. The same rules as the page: 400 with the reason when refused."""

    @extend_schema(request=TransitionSerializer, responses=CaseSerializer)
    def post(self, request: Request, reference: str) -> Response:
        case = case_for_user(request.user, reference)
        access = case_access(request.user, case)
        if not (access.proceedings or access.prosecute):
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                outcome=AuditOutcome.REFUSED,
                target=case,
                reason="API transition: lacks case access",
            )
            return Response({"detail": "not allowed"}, status=status.HTTP_403_FORBIDDEN)
        data = TransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            case = services.case_transition(
                case=case,
                to=data.validated_data["to"],
                by=request.user,
                note=data.validated_data.get("note", ""),
                as_prosecutor=not access.proceedings,
                override_consent=data.validated_data["override_consent"],
            )
        except services.CaseError as exc:
            refused_if(request, case, exc)
            raise ValidationError({"detail": exc.message}) from exc
        return Response(CaseSerializer(case).data)


class ProvisionList(generics.ListAPIView[LegalProvision]):
    """The legal catalogue in force on `on` (default today)."""

    serializer_class = ProvisionSerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("on", dt.date)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[LegalProvision]:
        raw = self.request.query_params.get("on")
        try:
            day = dt.date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise ValidationError({"on": "use YYYY-MM-DD"}) from exc
        return provisions_in_force(day).order_by("act", "code")
