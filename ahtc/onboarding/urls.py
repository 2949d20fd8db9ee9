from __future__ import annotations

from django.urls import path

from ahtc.onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.register, name="register"),
    path("onboard/", views.onboard, name="onboard"),
    path("<str:code>/", views.rollout_edit, name="rollout"),
]
