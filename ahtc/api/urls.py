from __future__ import annotations

from typing import cast

from django.urls import URLPattern, path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from ahtc.agencies.api import AgencyDetail, AgencyList, AgencyVerify
from ahtc.api import surveys, views
from ahtc.cases import api as cases
from ahtc.monitoring import api as monitoring
from ahtc.people.api import PersonSearch
from ahtc.portal.api_intake import ReportIntake
from ahtc.victims import api as victims

app_name = "api"
routes = [
    path("", views.ApiRoot.as_view(), name="root"),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            # The OpenAPI media type first (the default), plain JSON on request.
            renderer_classes=[OpenApiJsonRenderer, OpenApiJsonRenderer2],
            permission_classes=[AllowAny],
            authentication_classes=[],
        ),
        name="schema",
    ),
    path("me/", views.MeView.as_view(), name="me"),
    path("areas/", views.AreaList.as_view(), name="areas"),
    path("areas/<str:code>/", views.AreaDetail.as_view(), name="area"),
    path("organisations/", views.OrganisationList.as_view(), name="organisations"),
    path("organisations/<int:pk>/", views.OrganisationDetail.as_view(), name="organisation"),
    path("cases/", cases.CaseList.as_view(), name="cases"),
    path("cases/<str:reference>/", cases.CaseDetail.as_view(), name="case"),
    path(
        "cases/<str:reference>/transition/",
        cases.CaseTransition.as_view(),
        name="case_transition",
    ),
    path("legal-provisions/", cases.ProvisionList.as_view(), name="legal_provisions"),
    path(
        "classification/suggest/",
        cases.ClassificationSuggest.as_view(),
        name="classification_suggest",
    ),
    path(
        "cases/<str:reference>/classification/",
        cases.CaseClassification.as_view(),
        name="case_classification",
    ),
    path("indicators/", monitoring.IndicatorList.as_view(), name="indicators"),
    path(
        "indicators/<str:code>/values/",
        monitoring.IndicatorValues.as_view(),
        name="indicator_values",
    ),
    path("agencies/", AgencyList.as_view(), name="agencies"),
    path("agencies/verify/", AgencyVerify.as_view(), name="agency_verify"),
    path("agencies/<int:pk>/", AgencyDetail.as_view(), name="agency"),
    path("referrals/", victims.ReferralList.as_view(), name="referrals"),
    path("referrals/<int:pk>/answer/", victims.ReferralAnswer.as_view(), name="referral_answer"),
    path("referrals/<int:pk>/deliver/", victims.ReferralDeliver.as_view(), name="referral_deliver"),
    path("reports/", ReportIntake.as_view(), name="reports"),
    path("people/search/", PersonSearch.as_view(), name="people_search"),
    path("surveys/", surveys.SurveyList.as_view(), name="surveys"),
    path("surveys/<str:form_id>/", surveys.SurveyDetail.as_view(), name="survey"),
    path("surveys/<str:form_id>/results/", surveys.SurveyResults.as_view(), name="survey_results"),
]


def without_slash(route: URLPattern) -> URLPattern:
    """The same view without the trailing slash, left out of the schema.

    Otherwise CommonMiddleware answers a 301 to the slashed path, which
    clients follow with a GET: a POST would silently become a read (405).
    """
    view = route.callback
    twin = view.cls.as_view(**{**view.initkwargs, "schema": None})  # type: ignore[attr-defined]
    return cast(URLPattern, path(str(route.pattern).removesuffix("/"), twin))


urlpatterns = [*routes, *(without_slash(r) for r in routes if str(r.pattern))]
