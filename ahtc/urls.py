from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from ahtc.accounts.admin_site import admin_site_from
from ahtc.core import views as core_views

# Second factor required, no TOTP seeds, no API tokens, every change audited.
admin_site = admin_site_from(admin.site)

urlpatterns = [
    path("", include("ahtc.portal.urls")),
    path("help/", include("ahtc.portal.content_urls")),
    path("cell/", include("ahtc.cell.urls")),
    path("accounts/", include("ahtc.accounts.urls")),
    path("api/v1/", include("ahtc.api.urls")),
    path("language/", set_language, name="set_language"),
    path("healthz", core_views.health, name="health"),
    path("session/alive/", core_views.session_alive, name="session_alive"),
    path("django-admin/", admin_site.urls),
]

if settings.AHTC_BENCH:
    urlpatterns.append(path("bench/insert/", core_views.bench_insert, name="bench_insert"))

# Under /api/ the JSON error format (ahtc/api/errors.py), elsewhere the pages.
handler400 = "ahtc.api.errors.bad_request"
handler404 = "ahtc.api.errors.not_found"
handler500 = "ahtc.api.errors.server_error"
handler403 = "ahtc.api.errors.forbidden"
