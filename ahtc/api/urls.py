from __future__ import annotations

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny

from ahtc.api import views
from ahtc.cases import api as cases
from ahtc.victims import api as victims

app_name = "api"
urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path(
        "schema/",
        SpectacularAPIView.as_view(
            renderer_classes=[OpenApiJsonRenderer],
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
    path("referrals/", victims.ReferralList.as_view(), name="referrals"),
    path("referrals/<int:pk>/answer/", victims.ReferralAnswer.as_view(), name="referral_answer"),
    path("referrals/<int:pk>/deliver/", victims.ReferralDeliver.as_view(), name="referral_deliver"),
]
