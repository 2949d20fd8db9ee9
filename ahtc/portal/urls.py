from __future__ import annotations

from django.urls import path

from ahtc.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("follow-up/", views.follow_up, name="follow_up"),
]
