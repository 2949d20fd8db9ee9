from __future__ import annotations

from django.urls import path

from ahtc.monitoring import committee_views as committees
from ahtc.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("explore/", views.explore, name="explore"),
    path("map/", views.tile_map, name="map"),
    path("targets/", views.targets, name="targets"),
    path("targets/set/", views.target_save, name="target_save"),
    path("rows/", views.rows, name="rows"),
    # District committees and their reports (issue 13).
    path("committee/", committees.committee, name="committee"),
    path("committee/members/", committees.member_add, name="member_add"),
    path("committee/members/<int:pk>/retire/", committees.member_retire, name="member_retire"),
    path("committee/meetings/", committees.meeting_add, name="meeting_add"),
    path("committee/meetings/<int:pk>/", committees.meeting, name="meeting"),
    path("committee/actions/<int:pk>/", committees.action_update, name="action_update"),
    path("reports/", committees.report_open, name="report_open"),
    path("reports/timeliness/", committees.timeliness, name="timeliness"),
    path("reports/<int:pk>/", committees.report, name="report"),
    path("reports/<int:pk>/file/", committees.report_file, name="report_file"),
    path("reports/<int:pk>/<slug:step>/", committees.report_step, name="report_step"),
]
