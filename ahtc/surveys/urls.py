from __future__ import annotations

from django.urls import path

from ahtc.surveys import collect, findings_views, riskmap_views, views

app_name = "surveys"
urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("import/", views.instrument_import_view, name="import"),
    path("imports/<int:pk>/", views.batch_detail, name="batch"),
    path("risk-map/", riskmap_views.risk_map, name="risk_map"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/match/", findings_views.match, name="match"),
    path("submissions/<int:pk>/case/", findings_views.open_case, name="open_case"),
    path("collect-sw.js", collect.service_worker, name="collect_sw"),
    path("<str:form_id>/collect/", collect.collect, name="collect"),
    path("<str:form_id>/", views.instrument_detail, name="instrument"),
    path("<str:form_id>/v<int:number>/source/", views.version_source, name="source"),
    path("<str:form_id>/ingest/", views.ingest, name="ingest"),
    path("<str:form_id>/submissions/", views.submission_list, name="submissions"),
    path("<str:form_id>/aggregates/", views.aggregates, name="aggregates"),
]
