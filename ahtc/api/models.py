"""API tokens for partner systems, stored as SHA-256 digests only.

A key is shown once, when it is made (`ahtc manage api_token_create`); the
database keeps its SHA-256, so a copy of the database opens no API. Keys are
256-bit random values, so an unsalted fast hash is enough (nothing to guess).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiScope(models.TextChoices):
    """What a token may do (docs/api.md). Within a scope, the user's roles
    still decide what is allowed, as for a signed-in person."""

    READ = "read", _("read: GET what the user's roles allow")
    WRITE = "write", _("write: POST and PATCH what the user's roles allow")
    REPORTS_SUBMIT = "reports:submit", _("reports:submit: send citizen reports, nothing else")


# Tokens made before scopes existed were given these (migration 0003).
FULL_ACCESS = (ApiScope.READ, ApiScope.WRITE)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now: dt.datetime | None = None) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now())


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("used by"), max_length=100)
    key_hash = models.CharField(_("SHA-256 of the key"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    # Space-separated, as in OAuth: "read write", "reports:submit". The default
    # is what tokens made before scopes could do (api_token_create always
    # names the scopes; the workspace offers "read" first).
    scopes = models.CharField(_("scopes"), max_length=100, default="read write")
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="api_apitoken_unique_key_hash"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_apitoken_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
