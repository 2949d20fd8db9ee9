from __future__ import annotations

from django.urls import path

from ahtc.portal import pwa, verify_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("follow-up/file/", views.follow_up_file, name="follow_up_file"),
    path("leave/", views.leave, name="leave"),
    path("agencies/verify/", verify_views.verify_agent, name="verify"),
    # Installable web app: the worker must be served from the root for scope "/".
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
]
