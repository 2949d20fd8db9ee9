from __future__ import annotations

from django.urls import path

from ahtc.cases import views as cases
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
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/", cases.case_open, name="case_open"),
    path("cases/due/", cases.due, name="cases_due"),
    path("cases/searches/", cases.saved_search, name="case_search_save"),
    path("cases/<str:reference>/", cases.case_detail, name="case"),
    path("cases/<str:reference>/parties/", cases.party_add, name="case_party"),
    path("cases/<str:reference>/timeline/", cases.event_add, name="case_event"),
    path("cases/<str:reference>/classify/", cases.classify, name="case_classify"),
    path("cases/<str:reference>/status/", cases.transition, name="case_transition"),
    path("cases/<str:reference>/fir/", cases.fir_add, name="case_fir"),
    path("cases/<str:reference>/arrests/", cases.arrest_add, name="case_arrest"),
    path("cases/<str:reference>/challan/", cases.challan_action, name="case_challan"),
    path("cases/<str:reference>/hearings/", cases.hearing_add, name="case_hearing"),
    path("cases/<str:reference>/verdicts/", cases.verdict_add, name="case_verdict"),
    path(
        "cases/<str:reference>/verdicts/<int:pk>/compensation/",
        cases.compensation_update,
        name="case_compensation",
    ),
    path("cases/<str:reference>/consent/", cases.consent_add, name="case_consent"),
    path(
        "cases/<str:reference>/consent/<int:pk>/withdraw/",
        cases.consent_withdraw,
        name="case_consent_withdraw",
    ),
    path("cases/<str:reference>/share/", cases.share_add, name="case_share"),
    path(
        "cases/<str:reference>/share/<int:pk>/revoke/",
        cases.share_revoke,
        name="case_share_revoke",
    ),
    path("cases/<str:reference>/handover/", cases.handover_add, name="case_handover"),
    path(
        "cases/<str:reference>/handover/<int:pk>/",
        cases.handover_answer,
        name="case_handover_answer",
    ),
    path("cases/<str:reference>/evidence/", cases.evidence_add, name="case_evidence"),
    path(
        "cases/<str:reference>/evidence/<int:pk>/custody/",
        cases.custody_add,
        name="case_custody",
    ),
    path(
        "cases/<str:reference>/evidence/<int:pk>/file/",
        cases.evidence_download,
        name="case_evidence_file",
    ),
    path("cases/<str:reference>/tasks/", cases.task_add, name="case_task"),
    path("cases/<str:reference>/tasks/<int:pk>/done/", cases.task_done, name="case_task_done"),
    path("cases/<str:reference>/summary.pdf", cases.summary_pdf, name="case_pdf"),
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
