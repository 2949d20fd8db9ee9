"""Consent, sharing with partner agencies and handovers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.models.file import Case, Party
from ahtc.core.models import TimeStampedModel

User = settings.AUTH_USER_MODEL


class ConsentPurpose(models.TextChoices):
    STATEMENT = "statement", _("give a statement and have an FIR registered")
    MEDICAL = "medical", _("medical examination")
    SHARING = "sharing", _("share the case with a partner agency")
    TESTIMONY = "testimony", _("testify in court")
    # Who they are (name, phone) may be told to the investigating agency or the
    # prosecutor (one, or any); without it they stay a number (CASE-V1) there.
    IDENTITY = "identity", _("let the investigating agency or prosecutor know who they are")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("signed in writing")
    THUMBPRINT = "thumbprint", _("thumbprint")
    VERBAL = "verbal", _("verbally, before a witness")
    GUARDIAN = "guardian", _("by a parent or guardian (child)")


class Consent(models.Model):
    """What a victim agreed to, with whom, when and how; withdrawal stops use at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("consent to"), max_length=20, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("shared with (for sharing and identity only)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("how given"), max_length=20, choices=ConsentMethod.choices)
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-recorded_at"]

    def __str__(self) -> str:
        return f"consent {self.purpose} in case {self.case_id}"


class CaseShare(models.Model):
    """Need-to-know: a partner agency sees the case only while a share is active."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("why they need it"), max_length=300)
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="cases_share_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} shared with {self.organisation_id}"


class HandoverKind(models.TextChoices):
    ASSIGN = "assign", _("assign to an officer")
    TRANSFER = "transfer", _("transfer to another district's cell")
    REFER = "refer", _("refer to a partner agency")


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Handover(TimeStampedModel):
    """An assignment, transfer or referral; the receiver accepts or rejects it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(_("kind"), max_length=10, choices=HandoverKind.choices)
    to_user = models.ForeignKey(
        User,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    answer_reason = models.CharField(_("reason for the answer"), max_length=500, blank=True)
    consent_overridden = models.BooleanField(default=False, editable=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
