from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.roles import Role
from ahtc.core.models import TimeStampedModel, in_language
from ahtc.geography.models import Area


class OrganisationKind(models.TextChoices):
    POLICE_AHTC = "police_ahtc", _("Police anti-trafficking cell")
    FIA = "fia", _("Federal Investigation Agency")
    INTELLIGENCE_BUREAU = "ib", _("Intelligence Bureau")
    LABOUR = "labour", _("Labour Department")
    CHILD_PROTECTION = "child_protection", _("Child Protection Bureau")
    SOCIAL_WELFARE = "social_welfare", _("Social Welfare Department")
    PROSECUTION = "prosecution", _("Prosecution")
    HEALTH = "health", _("Health Department")
    EDUCATION = "education", _("Education Department")
    EOBI = "eobi", _("EOBI")
    NGO = "ngo", _("Non-governmental organisation")
    ASSEMBLY = "assembly", _("Assembly secretariat")


class Organisation(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area served"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["area__path", "kind", "name_en"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "name_en"], name="accounts_organisation_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(en=self.name_en, ur=self.name_ur)


class User(AbstractUser):
    """A staff member. Citizens never have accounts."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    display_name = models.CharField(_("name shown to colleagues"), max_length=150, blank=True)
    # Part of every session's hash: raising it ends the user's open sessions
    # (a role or authenticator changed, or the user signed in again).
    session_epoch = models.PositiveIntegerField(_("session generation"), default=0, editable=False)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(is_superuser=True) | Q(organisation__isnull=False),
                name="accounts_user_needs_organisation",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's hash of the password, with the session epoch: a session
        opened before either changed fails verification on its next request."""
        key_salt = "ahtc.accounts.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="accounts_roleassignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.area}"
