from __future__ import annotations

from django.urls import path

from ahtc.cell import views
from ahtc.portal import content_views as content
from ahtc.portal import staff_views as intake

app_name = "cell"
urlpatterns = [
    path("", views.home, name="home"),
    path("intake/", intake.intake, name="intake"),
    path("intake/record/", intake.record_call, name="record_call"),
    path("intake/<int:pk>/", intake.intake_detail, name="intake_detail"),
    path(
        "intake/<int:pk>/files/<int:file_pk>/",
        intake.attachment_download,
        name="intake_file",
    ),
    path("areas/import/", views.area_import, name="area_import"),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path("content/", content.content_list, name="content"),
    path("content/pages/new/", content.page_edit, name="page_new"),
    path("content/pages/<int:pk>/", content.page_edit, name="page_edit"),
    path("content/helplines/new/", content.helpline_edit, name="helpline_new"),
    path("content/helplines/<int:pk>/", content.helpline_edit, name="helpline_edit"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("users/", views.users, name="users"),
    path("users/<int:pk>/disable/", views.user_disable_view, name="user_disable"),
    path("audit/", views.audit, name="audit"),
    path("switch-area/", views.switch_area, name="switch_area"),
]
