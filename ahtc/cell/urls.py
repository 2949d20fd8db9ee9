from __future__ import annotations

from django.urls import include, path

from ahtc.cases import views as cases
from ahtc.cell import admin_views as admin
from ahtc.cell import audit_views, views
from ahtc.cell import user_views as people
from ahtc.people import match_views
from ahtc.people import views as persons
from ahtc.portal import content_views as content
from ahtc.portal import staff_views as intake
from ahtc.victims import views as victims

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
    path("people/<int:pk>/", persons.person_edit, name="person"),
    path("people/<int:pk>/lists/", persons.person_lists, name="person_lists"),
    path("people/matches/", match_views.match_list, name="people_matches"),
    path("people/matches/<int:pk>/decide/", match_views.match_decide, name="people_match_decide"),
    path("people/matches/<int:pk>/undo/", match_views.match_undo, name="people_match_undo"),
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
    path(
        "cases/<str:reference>/challan/<str:kind>/answer/",
        cases.challan_answer,
        name="case_challan_answer",
    ),
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
    path("victims/", victims.victim_list, name="victims"),
    path(
        "cases/<str:reference>/parties/<int:party_pk>/protection/",
        victims.record_open,
        name="victim_open",
    ),
    path("victims/<str:number>/", victims.record_detail, name="victim"),
    path("victims/<str:number>/edit/", victims.record_edit, name="victim_edit"),
    path("victims/<str:number>/photo/", victims.photo_upload, name="victim_photo"),
    path("victims/<str:number>/photo.jpg", victims.photo_download, name="victim_photo_file"),
    path("victims/<str:number>/consent/", victims.consent_add, name="victim_consent"),
    path(
        "victims/<str:number>/consent/<int:pk>/withdraw/",
        victims.consent_withdraw,
        name="victim_consent_withdraw",
    ),
    path("victims/<str:number>/referrals/", victims.referral_add, name="victim_referral"),
    path(
        "victims/<str:number>/referrals/<int:pk>/send/",
        victims.referral_send,
        name="victim_referral_send",
    ),
    path(
        "victims/<str:number>/referrals/<int:pk>/close/",
        victims.referral_close,
        name="victim_referral_close",
    ),
    path("victims/<str:number>/needs/", victims.needs_add, name="victim_needs"),
    path("victims/<str:number>/plan/", victims.plan_add, name="victim_plan"),
    path("victims/<str:number>/plan/<int:pk>/", victims.plan_status, name="victim_plan_status"),
    path(
        "victims/<str:number>/follow-ups/<int:pk>/",
        victims.follow_up_done,
        name="victim_follow_up",
    ),
    path("victims/<str:number>/risk/", victims.risk_add, name="victim_risk"),
    path(
        "victims/<str:number>/compensation/", victims.compensation_add, name="victim_compensation"
    ),
    path(
        "victims/<str:number>/alerts/<int:pk>/seen/", victims.alert_seen, name="victim_alert_seen"
    ),
    path("referrals/", victims.referral_inbox, name="referrals"),
    path("referrals/<int:pk>/", victims.provider_referral, name="provider_referral"),
    path("services/", victims.directory, name="directory"),
    path(
        "organisations/<int:pk>/services/",
        victims.provider_profile_edit,
        name="provider_profile",
    ),
    path("families/", victims.families, name="families"),
    path("families/<int:pk>/support/", victims.family_support, name="family_support"),
    path("families/migrants/<int:pk>/", victims.migrant_fate, name="migrant_fate"),
    path("areas/import/", views.area_import, name="area_import"),
    path("areas/<str:code>/", views.area_detail, name="area"),
    path("content/", content.content_list, name="content"),
    path("content/pages/new/", content.page_edit, name="page_new"),
    path("content/pages/<int:pk>/", content.page_edit, name="page_edit"),
    path("content/helplines/new/", content.helpline_edit, name="helpline_new"),
    path("content/helplines/<int:pk>/", content.helpline_edit, name="helpline_edit"),
    path("organisations/", admin.organisations, name="organisations"),
    path("organisations/new/", admin.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/", admin.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", admin.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/deactivate/",
        admin.organisation_status,
        {"action": "deactivate"},
        name="organisation_deactivate",
    ),
    path(
        "organisations/<int:pk>/reactivate/",
        admin.organisation_status,
        {"action": "reactivate"},
        name="organisation_reactivate",
    ),
    path("users/", people.users, name="users"),
    path("users/new/", people.user_new, name="user_new"),
    path("users/resets/", people.resets, name="resets"),
    path("users/resets/<int:pk>/", people.reset_decide, name="reset_decide"),
    path("users/<int:pk>/", people.user_detail, name="user"),
    path("users/<int:pk>/edit/", people.user_edit, name="user_edit"),
    path("users/<int:pk>/roles/", people.role_add, name="user_role_add"),
    path(
        "users/<int:pk>/roles/<int:assignment_pk>/revoke/",
        people.role_remove,
        name="user_role_revoke",
    ),
    path("users/<int:pk>/disable/", people.user_disable_view, name="user_disable"),
    path("users/<int:pk>/enable/", people.user_enable_view, name="user_enable"),
    path("users/<int:pk>/password/", people.user_password, name="user_password"),
    path("users/<int:pk>/sessions/", people.user_sessions, name="user_sessions"),
    path("users/<int:pk>/enrolment-code/", people.user_enrolment, name="user_enrolment"),
    path("users/<int:pk>/authenticator-reset/", people.reset_request, name="reset_request"),
    path("users/<int:pk>/tokens/", views.user_tokens, name="user_tokens"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("audit/", views.audit, name="audit"),
    path("audit/<int:pk>/", audit_views.audit_event, name="audit_event"),
    path("switch-area/", views.switch_area, name="switch_area"),
    path("jobs/", include("ahtc.jobs.urls")),
    path("districts/", include("ahtc.onboarding.urls")),
    path("notifications/", include("ahtc.notifications.urls")),
    path("labour/", include("ahtc.labour.urls")),
    path("surveys/", include("ahtc.surveys.urls")),
    path("agencies/", include("ahtc.agencies.urls")),
    path("monitoring/", include("ahtc.monitoring.urls")),
]
