from __future__ import annotations

from django.urls import path

from ahtc.portal import content_views

app_name = "help"
urlpatterns = [
    path("", content_views.help_index, name="index"),
    path("<slug:slug>/", content_views.help_page, name="page"),
]
