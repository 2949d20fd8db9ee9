from __future__ import annotations

from django.urls import path

from ahtc.accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.login_view, name="login"),
    path("enrol/", views.enrol_view, name="enrol"),
    path("enrol/code/<str:code>/", views.enrol_link_view, name="enrol_code"),
    path("sign-out/", views.logout_view, name="logout"),
]
