"""Django admin at /django-admin/, for reference data and superusers (issue 9).

- Only staff verified with a second factor get in (django-otp's OTPAdminSite);
  signing in is the workspace's own sign-in, with its lockout and audit.
- Authenticators (TOTP devices) are listed read-only, never with their seed;
  adding, editing or deleting one is not offered (resetting a lost
  authenticator is a four-eyes action, DESIGN.md).
- API tokens are never offered (they are made with `api_token_create`).
- Every add, change and delete writes an audit row: record kind and id only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.sites import AdminSite
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.models import Device

from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction

# Apps whose models never appear in the admin: API tokens (old and new).
HIDDEN_APPS = frozenset({"authtoken", "api"})
AUDIT_REASON = "django admin"


class AuditedAdminMixin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Adds an audit row to each admin log entry (kind and id, never values)."""

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        _audit(request, AuditAction.CREATE, obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        _audit(request, AuditAction.UPDATE, obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            _audit(request, AuditAction.DELETE, obj)
        return super().log_deletions(request, queryset)


def _audit(request: HttpRequest, action: AuditAction, obj: models.Model) -> None:
    audit_record(actor=request.user, action=action, target=obj, reason=AUDIT_REASON)


class DeviceAdmin(AuditedAdminMixin):
    """Authenticators, read-only and without their seeds."""

    fields = ("user", "name", "confirmed")
    readonly_fields = fields
    list_display = ("user", "name", "confirmed")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _audited(admin_class: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:  # type: ignore[type-arg]
    if issubclass(admin_class, AuditedAdminMixin):
        return admin_class
    return type(f"Audited{admin_class.__name__}", (AuditedAdminMixin, admin_class), {})


class AhtcAdminSite(OTPAdminSite):  # type: ignore[misc]  # django-otp has no type hints
    site_header = "AHTC"

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        models_: list[Any] = (
            [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        )
        for model in models_:
            if model._meta.app_label in HIDDEN_APPS:
                continue
            if issubclass(model, Device):
                super().register(model, DeviceAdmin)
                continue
            super().register(model, _audited(admin_class or admin.ModelAdmin), **options)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """The workspace sign-in (password, second factor, lockout, audit)."""
        user: Any = request.user
        if user.is_authenticated and user.is_verified():
            # Signed in properly but not admin staff: say so, do not loop.
            return render(request, "cell/forbidden.html", status=403)
        target = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target}, safe='/')}")


def admin_site_from(default: AdminSite) -> AhtcAdminSite:
    """The admin site served at /django-admin/, with every model that apps
    registered on Django's default site, under the rules above."""
    site = AhtcAdminSite(name="admin")
    for model, model_admin in default._registry.items():
        site.register(model, type(model_admin))
    return site
