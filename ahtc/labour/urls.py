from __future__ import annotations

from django.urls import path

from ahtc.labour import views

app_name = "labour"
urlpatterns = [
    path("", views.finding_list, name="list"),
    path("new/", views.finding_create, name="create"),
    path("schooling/", views.schooling_list, name="schooling"),
    path("schooling/<str:reference>/", views.schooling_enrol, name="schooling_enrol"),
    path(
        "schooling/<str:reference>/attendance/",
        views.schooling_attendance,
        name="schooling_attendance",
    ),
    path("kilns/", views.kiln_list, name="kilns"),
    path("kilns/new/", views.kiln_create, name="kiln_create"),
    path("kilns/<str:reference>/", views.kiln_detail, name="kiln"),
    path("kilns/<str:reference>/inspection/", views.kiln_inspection, name="kiln_inspection"),
    path("kilns/<str:reference>/wage/", views.kiln_wage, name="kiln_wage"),
    path(
        "kilns/<str:reference>/workers/<int:worker_id>/handover/",
        views.worker_handover,
        name="worker_handover",
    ),
    path("kilns/<str:reference>/workers/new/", views.kiln_worker_add, name="kiln_worker_add"),
    path("kilns/<str:reference>/undertaking/", views.undertaking_add, name="undertaking_add"),
    path("workshops/", views.workshop_list, name="workshops"),
    path("workshops/new/", views.workshop_create, name="workshop_create"),
    path("workshops/<str:reference>/", views.workshop_detail, name="workshop"),
    path("workshops/<str:reference>/edit/", views.workshop_edit, name="workshop_edit"),
    path(
        "workshops/<str:reference>/inspection/",
        views.workshop_inspection,
        name="workshop_inspection",
    ),
    path(
        "workshops/<str:reference>/workers/new/",
        views.workshop_worker_add,
        name="workshop_worker_add",
    ),
    path("workers/<int:pk>/", views.worker_detail, name="worker"),
    path("workers/<int:pk>/advance/", views.advance_add, name="advance_add"),
    path("workers/<int:pk>/repayment/", views.repayment_add, name="repayment_add"),
    path("workers/<int:pk>/schemes/", views.scheme_apply, name="scheme_apply"),
    path("workers/<int:pk>/schemes/<int:enrolment_id>/", views.scheme_step, name="scheme_step"),
    path("inspections/<int:pk>/notice/", views.notice_issue, name="notice_issue"),
    path("notices/<int:pk>/complied/", views.notice_complied, name="notice_complied"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("survey/", views.survey, name="survey"),
    path("<str:reference>/", views.finding_detail, name="finding"),
    path("<str:reference>/edit/", views.finding_edit, name="edit"),
    path("<str:reference>/withdraw/", views.finding_withdraw, name="withdraw"),
    path("<str:reference>/refer/", views.finding_refer, name="refer"),
    path("<str:reference>/enrol/", views.finding_enrol, name="enrol"),
    path("<str:reference>/attendance/", views.finding_attendance, name="attendance"),
    path("<str:reference>/victim/", views.finding_victim, name="victim"),
]
