"""REST endpoints for cases: the same access functions and services as the pages.

Parties are pseudonyms. The one exception is the page's own: the agency that
investigates the case or the prosecutor is given the suspects' names (and a
victim's only under that victim's identity consent), audited as on the page.
Partner systems (FIA, provincial systems) use token authentication.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.accounts.decorators import refused_if
from ahtc.api.params import choice_query, date_query, int_query
from ahtc.api.serializers import StrictCharField
from ahtc.cases import services
from ahtc.cases.classification import (
    FACT_KEYS,
    AgeEvidence,
    Agency,
    AgencyReason,
    Answers,
    Classification,
    Direction,
    Review,
    Suggestion,
    Tri,
    reason_label,
    suggest,
)
from ahtc.cases.disclosure import partner_identities_shown
from ahtc.cases.legal import provisions_in_force
from ahtc.cases.models import (
    PROTECTED_ROLES,
    Case,
    CaseEvent,
    ClassificationDecision,
    LegalProvision,
    Party,
    Status,
)
from ahtc.cases.selectors import (
    case_access,
    case_for_user,
    cases_for_user,
    partner_identified_parties,
)
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.people.models import Sex


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
    name: Any = serializers.SerializerMethodField()

    class Meta:
        model = Party
        fields = ["pseudonym", "role", "suspect", "questioned_and_warned", "name"]

    def get_name(self, obj: Party) -> str | None:
        """The name, only for parties identified to this caller (see the module); else null."""
        if obj.pk not in self.context.get("identified", set()) or obj.person is None:
            return None
        names = (obj.person.name_latin, obj.person.name_urdu)
        return " / ".join(n for n in names if n) or None


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    # null for route steps abroad
    district: Any = serializers.SlugRelatedField(
        source="area", slug_field="code", read_only=True, allow_null=True
    )

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
        """The moves this caller may make: the same checks as `CaseTransition`."""
        request = self.context.get("request")
        if request is None:
            return []
        access = case_access(request.user, obj)
        moves = services.allowed_transitions(obj)
        if access.proceedings:
            return moves
        if access.prosecute:
            return [to for to in moves if (obj.status, to) in services.PROSECUTOR_TRANSITIONS]
        return []


class TransitionSerializer(serializers.Serializer[Any]):
    to = serializers.ChoiceField(choices=Status.choices)
    note = StrictCharField(required=False, allow_blank=True, max_length=500)
    override_consent = serializers.BooleanField(required=False, default=False)


class CaseList(generics.ListAPIView[Case]):
    """Cases the caller may see. Filter by `status`, `classification`, `agency`, `year`."""

    serializer_class = CaseSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Status.values),
            OpenApiParameter("classification", enum=Classification.values),
            OpenApiParameter("agency", enum=Agency.values),
            OpenApiParameter(
                "year",
                {"type": "integer", "minimum": 1947, "maximum": 2999},
                description="1947 to 2999",
            ),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Case]:
        rows = cases_for_user(self.request.user).select_related("district")
        params = self.request.query_params
        choices = {"status": Status, "classification": Classification, "agency": Agency}
        for name, kind in choices.items():
            if chosen := choice_query(params, name, kind.values):
                rows = rows.filter(**{name: chosen})
        year = int_query(params, "year", minimum=1947, maximum=2999)
        if year is not None:
            rows = rows.filter(year=year)
        return rows.order_by("-year", "-number")


class CaseDetail(generics.RetrieveAPIView[Case]):
    """One case, with pseudonymous parties and the route. Audited."""

    serializer_class = CaseDetailSerializer
    queryset = Case.objects.none()

    def get_object(self) -> Case:
        case = case_for_user(self.request.user, self.kwargs["reference"])
        access = case_access(self.request.user, case)
        self.identified = partner_identified_parties(self.request.user, case, access)
        partner_identities_shown(
            actor=self.request.user,
            case=case,
            parties=case.parties.filter(pk__in=self.identified).select_related("person"),
            via="API",
        )
        audit_record(
            actor=self.request.user,
            action=AuditAction.VIEW,
            target=case,
            area_code=case.district.code,
            reason=(
                f"case via API with the identity of {len(self.identified)} parties "
                "(investigating agency or prosecutor)"
                if self.identified
                else "case via API (pseudonyms)"
            ),
        )
        return case

    def get_serializer_context(self) -> dict[str, Any]:
        identified: set[int] = getattr(self, "identified", set())
        return {**super().get_serializer_context(), "identified": identified}


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
            raise PermissionDenied(_("You may not move this case on."))
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
        day = date_query(self.request.query_params, "on")
        return provisions_in_force(day).order_by("act", "code")


# --- classification (issue 12) ---------------------------------------------------------


class FactsSerializer(serializers.Serializer[Any]):
    """The assistant's questions: each fact "yes", "no" or "unknown" (left out =
    unknown), and the victim's age, sex (HTCDS gender), nationality, Pakistan's
    place on the route and the offence date. Fact keys: docs/classification.md."""

    facts = serializers.DictField(
        child=serializers.ChoiceField(choices=Tri.values), required=False, default=dict
    )
    age_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=120
    )
    age_evidence = serializers.ChoiceField(
        choices=AgeEvidence.values, required=False, default="none"
    )
    sex = serializers.ChoiceField(choices=Sex.values, required=False, default=Sex.UNKNOWN)
    nationality = StrictCharField(required=False, allow_blank=True, max_length=2, default="")
    direction = serializers.ListField(
        child=serializers.ChoiceField(choices=Direction.values), required=False, default=list
    )
    offence_date = serializers.DateField(required=False, allow_null=True)
    money_paid_pkr = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def validate_facts(self, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(FACT_KEYS))
        if unknown:
            raise ValidationError(_("Unknown facts: %(keys)s") % {"keys": ", ".join(unknown)})
        return value

    def answers(self) -> Answers:
        return answers_from(self.validated_data)


def answers_from(validated: dict[str, Any]) -> Answers:
    data = dict(validated)
    data["direction"] = set(data.get("direction") or [])
    return Answers(**data)


class SuggestionSerializer(serializers.Serializer[Any]):
    classification = serializers.CharField()
    agency = serializers.CharField()
    agency_reason = serializers.CharField()
    provisions = serializers.ListField(child=serializers.CharField())
    because = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    notes = serializers.ListField(child=serializers.CharField())
    review = serializers.ListField(child=serializers.CharField())
    flags = serializers.ListField(child=serializers.CharField())
    rules = serializers.ListField(child=serializers.IntegerField())
    explanation = serializers.DictField()


def suggestion_body(suggestion: Suggestion) -> dict[str, Any]:
    """The suggestion with its words in the caller's language."""
    body = suggestion.to_json()
    body["explanation"] = {
        "classification": str(Classification(suggestion.classification).label),
        "agency": str(AgencyReason(suggestion.agency_reason).label)
        if suggestion.agency_reason
        else "",
        "because": {
            c: [str(reason_label(r)) for r in reasons] for c, reasons in suggestion.because.items()
        },
        "review": [str(Review(r).label) for r in suggestion.review],
    }
    return body


SUGGEST_EXAMPLES = [
    OpenApiExample(
        "Child recruited for kiln work",
        value={
            "facts": {"act_recruit": "yes", "purpose_labour": "yes", "at_kiln": "yes"},
            "age_years": 12,
            "age_evidence": "document",
            "sex": "masculine",
            "offence_date": "2024-03-01",
        },
        request_only=True,
    ),
    OpenApiExample(
        "Held for ransom after paying a smuggler",
        value={
            "facts": {
                "crossed_border": "yes",
                "smug_paid_agent": "yes",
                "held_for_ransom": "yes",
                "purpose_labour": "unknown",
            },
            "age_years": 24,
            "direction": ["source"],
        },
        request_only=True,
    ),
]


class ClassificationSuggest(APIView):
    """The assistant's suggestion for these facts. Touches no case and stores nothing."""

    @extend_schema(
        request=FactsSerializer, responses=SuggestionSerializer, examples=SUGGEST_EXAMPLES
    )
    def post(self, request: Request) -> Response:
        facts = FactsSerializer(data=request.data)
        facts.is_valid(raise_exception=True)
        return Response(suggestion_body(suggest(facts.answers())))


class DecisionSerializer(serializers.ModelSerializer[ClassificationDecision]):
    provisions: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    decided_by: Any = serializers.CharField(source="decided_by.username", read_only=True)
    victim: Any = serializers.CharField(
        source="victim.pseudonym",
        read_only=True,
        allow_null=True,
        help_text="The victim this decision is for (pseudonym); null for the case as a whole.",
    )

    class Meta:
        model = ClassificationDecision
        fields = [
            "victim",
            "decided_at",
            "decided_by",
            "engine_version",
            "answers",
            "rules",
            "suggested_classification",
            "suggested_agency",
            "agency_reason",
            "suggested_provisions",
            "because",
            "notes",
            "review",
            "flags",
            "classification",
            "agency",
            "provisions",
            "departures",
        ]


DECIDABLE = [c for c in Classification.values if c != Classification.OTHER]


class DecideSerializer(serializers.Serializer[Any]):
    answers = FactsSerializer()
    # "other" only labels decisions made before the list existed; it is never decided.
    classification = serializers.ChoiceField(choices=DECIDABLE)
    agency = serializers.ChoiceField(choices=Agency.values)
    provisions = serializers.ListField(child=StrictCharField(max_length=30), default=list)
    override_reason = StrictCharField(required=False, allow_blank=True, max_length=2000)
    victim = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="The victim's number in the case (1 for V1); leave out for the case as a whole.",
    )


class CaseClassification(APIView):
    """GET: the case's decisions, newest first (reasons are left out: they may
    name people). POST: record a decision; the same rules as the page (400 with
    the reason when a departure has none)."""

    @extend_schema(responses=DecisionSerializer(many=True))
    def get(self, request: Request, reference: str) -> Response:
        case = case_for_user(request.user, reference)
        rows = case.decisions.select_related("decided_by", "victim__case").prefetch_related(
            "provisions"
        )[:50]
        return Response(DecisionSerializer(rows, many=True).data)

    @extend_schema(request=DecideSerializer, responses={201: DecisionSerializer})
    def post(self, request: Request, reference: str) -> Response:
        case = case_for_user(request.user, reference)
        if not case_access(request.user, case).manage:
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE,
                outcome=AuditOutcome.REFUSED,
                target=case,
                reason="API classification: lacks case access: manage",
            )
            raise PermissionDenied(_("You may not classify this case."))
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        victim = None
        number = data.validated_data.get("victim")
        if number is not None:
            victim = case.parties.filter(
                number=number, role__in=[str(r) for r in PROTECTED_ROLES]
            ).first()
            if victim is None:
                raise ValidationError({"victim": [_("No victim with this number in the case.")]})
        try:
            decision = services.classification_decide(
                case=case,
                by=request.user,
                answers=answers_from(data.validated_data["answers"]),
                classification=data.validated_data["classification"],
                agency=data.validated_data["agency"],
                provision_codes=data.validated_data["provisions"],
                override_reason=data.validated_data.get("override_reason", ""),
                victim=victim,
            )
        except services.CaseError as exc:
            refused_if(request, case, exc)
            raise ValidationError({"detail": exc.message}) from exc
        return Response(DecisionSerializer(decision).data, status=201)
