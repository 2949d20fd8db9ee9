from __future__ import annotations

from django.urls import path

from ahtc.agencies import io_views, link_views, photo_views, recruit_views, views

app_name = "agencies"
urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("inspections/", io_views.inspection_list, name="inspections"),
    path("import/", io_views.import_start, name="import"),
    path("import/<int:pk>/", io_views.import_detail, name="import_detail"),
    path("export.csv", io_views.export, name="export"),
    path("recruiter/<str:number>/", recruit_views.recruiter_choose, name="recruiter"),
    path("<int:pk>/", views.agency_detail, name="agency"),
    path("<int:pk>/edit/", views.agency_edit, name="edit"),
    path("<int:pk>/status/", views.agency_status, name="status"),
    path("<int:pk>/licences/", views.licence_add, name="licence"),
    path("<int:pk>/people/", views.person_add, name="person"),
    path("<int:pk>/phones/", views.phone_add, name="phone"),
    path("<int:pk>/branches/", views.branch_add, name="branch"),
    path("<int:pk>/inspections/", views.inspection_add, name="inspect"),
    path(
        "<int:pk>/inspections/<int:inspection_pk>/photos/",
        photo_views.photo_add,
        name="photo_add",
    ),
    path(
        "<int:pk>/inspections/<int:inspection_pk>/photos/<int:photo_pk>/",
        photo_views.photo_download,
        name="photo",
    ),
    path("<int:pk>/notices/", views.notice_add, name="notice"),
    path("<int:pk>/notices/<int:notice_pk>/comply/", views.notice_comply, name="comply"),
    path("<int:pk>/link/case/", link_views.link_party, name="link_party"),
    path("<int:pk>/link/report/", link_views.link_report, name="link_report"),
]
