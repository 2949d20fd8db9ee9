"""Notifications: counts and links, never identity (DESIGN.md, access model).

A notification holds a kind, a count and a link to a list inside the
workspace. Its text is made from the kind and the count when it is shown or
sent, in the reader's language; nothing in a row can name a person, a phone,
an address or what a report says. Events of one kind coalesce: while a
notification is unread, a new event raises its count instead of adding a row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.core.fields import EncryptedTextField


class NotificationKind(models.TextChoices):
    URGENT_REPORTS = "urgent_reports", _("urgent citizen reports")
    REPORTER_REPLIES = "reporter_replies", _("replies from reporters")
    REFERRALS = "referrals", _("referrals to answer")
    HANDOVERS = "handovers", _("cases handed over to answer")
    TASKS = "tasks", _("tasks assigned")
    OVERDUE = "overdue", _("overdue work")
    SCHOOL_DROPOUTS = "school_dropouts", _("children withdrawn from work who left school")
    ACTION_ITEMS = "action_items", _("committee action items overdue")
    COMMITTEE_REPORTS = "committee_reports", _("committee reports to review")
    # Issue 15: a watchlisted person appears in a new record (ahtc/intelligence).
    WATCHLIST = "watchlist", _("watchlisted people seen in new records")
    # Issue 14: travel agencies' notices past their deadline (ahtc/agencies/tasks.py).
    AGENCY_NOTICES = "agency_notices", _("agency notices past their deadline")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=NotificationKind.choices)
    count = models.PositiveIntegerField(_("count"), default=1)
    # A path inside the workspace (a list, never one record's page).
    link = models.CharField(_("link"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last event"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The count already sent by email or SMS: a second event before the job
    # runs is sent once, with the total.
    sent_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind"],
                condition=Q(read_at__isnull=True),
                name="notifications_one_unread_per_kind",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="notifications_count_positive"),
            models.CheckConstraint(
                condition=Q(link__startswith="/cell/"), name="notifications_link_in_workspace"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notifications_unread_idx",
            ),
            models.Index(fields=["recipient", "-updated_at"], name="notifications_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} x{self.count} for {self.recipient_id}"

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def text(self) -> str:
        """In the active language, from the kind and count only."""
        from ahtc.notifications.texts import sentence

        return sentence(self.kind, self.count)


class Timing(models.TextChoices):
    IMMEDIATE = "immediate", _("as it happens (and a daily message about overdue work)")
    DIGEST = "digest", _("once a day, in one message")


class Preference(models.Model):
    """How a user wants to be told, beyond the workspace (always on).

    A user without a row has the defaults: email as it happens, no SMS.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField(_("by email"), default=True)
    sms = models.BooleanField(_("by SMS"), default=False)
    # The officer's own number for SMS; encrypted like every phone number.
    sms_number = EncryptedTextField(_("mobile number for SMS"), blank=True)
    timing = models.CharField(
        _("when"), max_length=10, choices=Timing.choices, default=Timing.IMMEDIATE
    )
    language = models.CharField(
        _("language of emails and SMS"), max_length=5, choices=settings.LANGUAGES, default="ur"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"
