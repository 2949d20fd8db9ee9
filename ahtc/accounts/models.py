from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
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
    COMMITTEE = "committee", _("District vigilance committee")


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
    # Beyond its home `area`: e.g. an FIA circle covering districts of two divisions.
    areas_served = models.ManyToManyField(
        Area,
        verbose_name=_("further areas served"),
        blank=True,
        related_name="organisations_serving",
    )
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    contact_person = models.CharField(_("contact person or office"), max_length=150, blank=True)
    email = models.EmailField(_("office email"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
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


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, day: dt.date | None = None) -> RoleAssignmentQuerySet:
        """Assignments in force on `day` (today): both dates are inclusive."""
        day = day or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


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
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until (last day)"), null=True, blank=True)

    objects: ClassVar[RoleAssignmentQuerySet] = RoleAssignmentQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "area"], name="accounts_roleassignment_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="accounts_roleassignment_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} - {self.area}"


class EnrolmentCode(models.Model):
    """A one-time code an administrator gives a user for the first enrolment
    of an authenticator (issue 11). Only its SHA-256 is stored; issuing a new
    one voids the older ones."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="enrolment_codes"
    )
    code_hash = models.CharField(_("SHA-256 of the code"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment code")
        verbose_name_plural = _("enrolment codes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code_hash"], name="accounts_enrolmentcode_unique_hash")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class ResetStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a second administrator")
    APPROVED = "approved", _("approved")
    CANCELLED = "cancelled", _("cancelled")


class AuthenticatorReset(models.Model):
    """A request to remove a user's lost authenticator. Four eyes (DESIGN.md):
    one administrator asks, a different one approves within RESET_APPROVAL_HOURS."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="authenticator_resets"
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=ResetStatus.choices, default=ResetStatus.PENDING
    )
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator reset")
        verbose_name_plural = _("authenticator resets")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="accounts_authenticatorreset_one_pending",
            ),
            # The requester may cancel their own request, never approve it.
            models.CheckConstraint(
                condition=~Q(status="approved") | ~Q(decided_by=F("requested_by")),
                name="accounts_authenticatorreset_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"

    @property
    def expires_at(self) -> dt.datetime:
        return self.requested_at + dt.timedelta(hours=RESET_APPROVAL_HOURS)

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return self.status == ResetStatus.PENDING and self.expires_at > (now or timezone.now())


RESET_APPROVAL_HOURS = 48
