"""`/api/v1/surveys/`: survey instruments, their field catalogue, and their
results (docs/api.md, "Field surveys"; docs/surveys.md).

The rules of the pages (surveys/selectors.py): the results go to readers of
statistics, counted over the approved submissions of the districts where
they hold that role; a sensitive instrument is not shown (404) to roles that
neither read its rows nor its results. No answer of any respondent is served:
submissions stay on the pages, where the access to each row is checked and
audited, since a form's free-text answers can name people.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ahtc.api.params import date_query, refuse, single
from ahtc.api.survey_results import results_body
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.surveys import selectors as sel
from ahtc.surveys.aggregates import instrument_summary
from ahtc.surveys.models import Instrument, InstrumentVersion, ReviewStatus, Sensitivity
from ahtc.surveys.xform import label_in

DISTRICT_CODE = re.compile(r"PK[0-9]{1,18}")


def _labels() -> serializers.DictField:
    return serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='Per language code ("en", "ur"; "default" when the form names none).',
    )


def _language(request: Request) -> str:
    return str(getattr(request, "LANGUAGE_CODE", "en"))[:2]


def _refuse(request: Request, why: str, message: str) -> PermissionDenied:
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        outcome=AuditOutcome.REFUSED,
        object_type="api",
        object_id="surveys",
        reason=why,
    )
    return PermissionDenied(message)


def _require_surveys(request: Request) -> None:
    if not sel.sees_surveys(request.user):
        raise _refuse(request, "API: no access to surveys", _("Your roles do not open surveys."))


# --- serializers -----------------------------------------------------------------------------


class ReviewCountsSerializer(serializers.Serializer[Any]):
    received = serializers.IntegerField()
    on_hold = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()


class InstrumentSerializer(serializers.Serializer[Any]):
    form_id = serializers.CharField()
    title_en = serializers.CharField()
    title_ur = serializers.CharField(allow_blank=True)
    title = serializers.CharField(help_text="In the language of the request.")
    sensitivity = serializers.ChoiceField(choices=Sensitivity.choices)
    unit = serializers.CharField(allow_blank=True, help_text="What one submission counts.")
    version = serializers.IntegerField(
        allow_null=True, help_text="Number of the current version; null before the first."
    )
    form_version = serializers.CharField(
        allow_blank=True, help_text="The form's own version string (settings sheet)."
    )
    submissions = ReviewCountsSerializer(
        help_text="Submissions per review state in your reach: the rows you read and "
        "the districts where you read statistics."
    )


class ChoiceSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label: Any = serializers.CharField(allow_blank=True)
    labels = _labels()


class CatalogueFieldSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(help_text="group/question, as in Kobo and ODK exports.")
    name = serializers.CharField()
    type = serializers.CharField(
        help_text="XLSForm type: text, integer, decimal, date, select_one, "
        "select_multiple, repeat, group, note, calculate…"
    )
    label: Any = serializers.CharField(
        allow_blank=True, help_text="In the language of the request."
    )
    labels = _labels()
    hints = _labels()
    required: Any = serializers.BooleanField()
    relevant = serializers.CharField(allow_blank=True, help_text="XPath; empty: always asked.")
    repeat = serializers.CharField(allow_blank=True, help_text="Enclosing repeat; empty if none.")
    choices = ChoiceSerializer(many=True)


class InstrumentDetailSerializer(InstrumentSerializer):
    languages = serializers.ListField(child=serializers.CharField())
    fields = CatalogueFieldSerializer(many=True, help_text="The current version's fields.")  # type: ignore[assignment]


class ShareSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label: Any = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField(allow_null=True, help_text="null when suppressed.")
    suppressed = serializers.BooleanField()
    share = serializers.FloatField(allow_null=True, help_text="count / n, from 0 to 1.")
    low = serializers.FloatField(allow_null=True, help_text="95% Wilson interval, lower bound.")
    high = serializers.FloatField(allow_null=True, help_text="95% Wilson interval, upper bound.")


class TehsilSharesSerializer(serializers.Serializer[Any]):
    tehsil = serializers.CharField(help_text='Name in the request\'s language; "—" if not known.')
    tehsil_code = serializers.CharField(allow_null=True)
    n = serializers.IntegerField(allow_null=True)
    shares = ShareSerializer(many=True)


class NumbersSerializer(serializers.Serializer[Any]):
    """Null unless it is a number question with 11 or more answers."""

    median = serializers.FloatField(allow_null=True)
    mean = serializers.FloatField(allow_null=True)
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class FieldResultSerializer(serializers.Serializer[Any]):
    path = serializers.CharField()
    label: Any = serializers.CharField(allow_blank=True)
    type = serializers.CharField()
    in_repeat = serializers.BooleanField(help_text="Counted over the repeat's rows.")
    n = serializers.IntegerField(allow_null=True, help_text="Answering; null when suppressed.")
    shares = ShareSerializer(many=True)
    by_tehsil = TehsilSharesSerializer(many=True)
    numbers = NumbersSerializer(help_text="Median, mean, lowest, highest; null when hidden.")


class CoverageSerializer(serializers.Serializer[Any]):
    district = serializers.CharField()
    district_name = serializers.CharField()
    surveyed = serializers.IntegerField(allow_null=True)
    universe = serializers.IntegerField(allow_null=True, help_text="Known number of units.")
    share = serializers.FloatField(allow_null=True)


class ResultsSerializer(serializers.Serializer[Any]):
    form_id = serializers.CharField()
    version = serializers.IntegerField()
    district = serializers.CharField(allow_null=True)
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    suppressed_below = serializers.IntegerField(
        help_text="Counts from 1 to this minus 1 are hidden."
    )
    total = serializers.IntegerField(allow_null=True, help_text="Approved submissions counted.")
    coverage = CoverageSerializer(many=True)
    fields = FieldResultSerializer(many=True)  # type: ignore[assignment]


# --- helpers ---------------------------------------------------------------------------------


def _counts(counts: dict[tuple[int, str], int], instrument: Instrument) -> dict[str, int]:
    return {state: counts.get((instrument.pk, state), 0) for state in ReviewStatus.values}


def _current(instrument: Instrument) -> InstrumentVersion | None:
    versions = list(instrument.versions.all())  # prefetched, newest first
    return versions[0] if versions else None


def _instrument_body(
    instrument: Instrument, counts: dict[tuple[int, str], int], version: InstrumentVersion | None
) -> dict[str, Any]:
    return {
        "form_id": instrument.form_id,
        "title_en": instrument.title,
        "title_ur": instrument.title_ur,
        "title": instrument.name,
        "sensitivity": instrument.sensitivity,
        "unit": instrument.unit,
        "version": version.number if version else None,
        "form_version": version.version if version else "",
        "submissions": _counts(counts, instrument),
    }


def _catalogue_field(item: dict[str, Any], language: str) -> dict[str, Any]:
    return {
        "path": item["path"],
        "name": item["name"],
        "type": item["type"],
        "label": label_in(item["labels"], language),
        "labels": item["labels"],
        "hints": item["hints"],
        "required": item["required"],
        "relevant": item["relevant"],
        "repeat": item["repeat"],
        "choices": [
            {"value": c["value"], "label": label_in(c["labels"], language), "labels": c["labels"]}
            for c in item["choices"]
        ],
    }


def _versions() -> Prefetch[Any]:
    light = InstrumentVersion.objects.order_by("-number").only("instrument_id", "number", "version")
    return Prefetch("versions", queryset=light)


FORM_ID = OpenApiParameter(
    "form_id",
    str,
    OpenApiParameter.PATH,
    description="The instrument's form id (XLSForm settings sheet).",
    examples=[OpenApiExample("Brick kilns", value="ahtc_brick_kiln")],
)
INSTRUMENT_EXAMPLE = {
    "form_id": "ahtc_brick_kiln",
    "title_en": "Brick kiln survey",
    "title_ur": "اینٹوں کے بھٹوں کا سروے",
    "title": "Brick kiln survey",
    "sensitivity": "ordinary",
    "unit": "kiln",
    "version": 1,
    "form_version": "2024110101",
    "submissions": {"received": 0, "on_hold": 0, "approved": 44, "rejected": 0},
}


# --- views -----------------------------------------------------------------------------------


class SurveyList(generics.ListAPIView[Instrument]):
    """Survey instruments you may see, with their submissions per review state.

    Readers of statistics see every instrument; others those whose rows
    their roles read (cell officers: ordinary and sensitive; cell heads:
    all) and, for administrators, ordinary ones. Roles that see no survey
    get 403.
    """

    serializer_class = InstrumentSerializer

    @extend_schema(
        examples=[
            OpenApiExample(
                "One page",
                value={"count": 1, "next": None, "previous": None, "results": [INSTRUMENT_EXAMPLE]},
                response_only=True,
            )
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        _require_surveys(request)
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Instrument]:
        rows = sel.instruments_for_user(self.request.user).prefetch_related(_versions())
        return rows.order_by("form_id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        counts = sel.review_counts_for_user(request.user)
        body = [_instrument_body(i, counts, _current(i)) for i in page]
        return self.get_paginated_response(InstrumentSerializer(body, many=True).data)


class SurveyDetail(APIView):
    """One instrument and the field catalogue of its current version: each
    field's path, type, labels per language and choices. The form only, no
    answers. 404 for an instrument outside your reach. Audited."""

    @extend_schema(parameters=[FORM_ID], responses=InstrumentDetailSerializer)
    def get(self, request: Request, form_id: str) -> Response:
        _require_surveys(request)
        instrument = sel.instrument_for_user(request.user, form_id)
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            target=instrument,
            reason="survey form via API",
        )
        version = instrument.latest_version()
        counts = sel.review_counts_for_user(request.user)
        body = _instrument_body(instrument, counts, version)
        body["languages"] = list(version.languages) if version else []
        language = _language(request)
        body["fields"] = [
            _catalogue_field(item, language) for item in (version.catalogue if version else [])
        ]
        return Response(InstrumentDetailSerializer(body).data)


class SurveyResults(APIView):
    """Results of one instrument: coverage against the known number of units
    per district, the share of each answer of every choice question with its
    95% confidence interval (Wilson), overall and by tehsil, and the median,
    mean, lowest and highest of number questions.

    Only **approved** submissions are counted, in the districts where you
    read statistics. Small cells are suppressed: a count from 1 to 10 is
    null with `suppressed: true` and no share or interval, as are counts a
    published total would give back by subtraction. `from` and `to` filter
    on the date of collection (submissions without one are then left out).
    For readers of statistics (cell heads and officers, analysts, committee
    members, provincial monitors); others get 403. Audited.
    """

    @extend_schema(
        parameters=[
            FORM_ID,
            OpenApiParameter(
                "district",
                {"type": "string", "pattern": "^PK[0-9]{1,18}$"},
                description="District area code, e.g. PK620. A district outside your "
                "statistics counts nothing.",
            ),
            OpenApiParameter(
                "from", OpenApiTypes.DATE, description="collected on or after (YYYY-MM-DD)"
            ),
            OpenApiParameter(
                "to", OpenApiTypes.DATE, description="collected on or before (YYYY-MM-DD)"
            ),
        ],
        responses=ResultsSerializer,
    )
    def get(self, request: Request, form_id: str) -> Response:
        if not sel.reads_aggregates(request.user):
            raise _refuse(
                request,
                "API: survey results need view_aggregates",
                _("Your roles do not open statistics."),
            )
        instrument = sel.instrument_for_user(request.user, form_id)
        rows, filters = self._rows(request, instrument)
        version = instrument.latest_version()
        if version is None:
            raise NotFound(_("This instrument has no version yet."))
        summary = instrument_summary(instrument, rows, version)
        audit_record(
            actor=request.user,
            action=AuditAction.VIEW,
            target=instrument,
            area_code=filters["district"] or "",
            reason=f"survey results via API ({summary.total} approved submissions)",
        )
        body = results_body(summary=summary, version=version, rows=rows, filters=filters)
        return Response(ResultsSerializer(body).data)

    def _rows(self, request: Request, instrument: Instrument) -> tuple[Any, dict[str, Any]]:
        params = request.query_params
        rows = sel.counted_submissions_for_user(request.user, instrument)
        district = single(params, "district")
        if district is not None:
            if not DISTRICT_CODE.fullmatch(district):
                raise refuse("district", _("Give a district code such as PK620."))
            rows = rows.filter(district__code=district)
        start, end = date_query(params, "from"), date_query(params, "to")
        if start and end and start > end:
            raise refuse("to", _("Give a date on or after the start of the range."))
        if start:
            rows = rows.filter(collected_on__gte=start)
        if end:
            rows = rows.filter(collected_on__lte=end)
        return rows, {"district": district, "date_from": start, "date_to": end}
