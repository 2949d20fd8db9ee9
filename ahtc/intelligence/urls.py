from __future__ import annotations

from django.urls import path

from ahtc.intelligence import views, watch_views

app_name = "intelligence"
urlpatterns = [
    path("", views.network_list, name="networks"),
    path("people/<int:pk>/", views.person_network, name="person"),
    path("people/<int:pk>/path/", views.shortest_path, name="path"),
    path("people/<int:pk>/watch/", watch_views.watch_add, name="watch_add"),
    path("cases/<str:reference>/", views.case_network, name="case"),
    path("watchlist/", watch_views.watchlist, name="watchlist"),
    path("watchlist/alerts/", watch_views.alerts, name="alerts"),
    path("watchlist/<int:pk>/remove/", watch_views.watch_remove, name="watch_remove"),
]
