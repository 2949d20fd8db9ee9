from __future__ import annotations

from django.urls import path

from ahtc.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<str:pk>/", views.job_detail, name="detail"),
    path("<str:pk>/download/", views.job_download, name="download"),
]
