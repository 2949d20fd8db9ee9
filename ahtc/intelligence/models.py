"""The watchlist: known smugglers and agents, and the alerts when they appear again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area


class WatchlistEntry(TimeStampedModel):
    """A person to watch, owned by an officer of a district. Removing an entry
    keeps the row (inactive) with who removed it and why."""

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("why this person is watched"))
    undertakings = EncryptedTextField(
        _("warnings given and undertakings made when questioned"), blank=True
    )
    # Case parties recorded as questioned and warned (cases.Party), kept as links.
    warnings = models.ManyToManyField(
        "cases.Party", verbose_name=_("questioned and warned in"), blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owning officer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removal_reason = EncryptedTextField(_("why it was removed"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(active=True), name="intelligence_watch_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"W-{self.pk}"


class WatchlistIndicator(models.Model):
    """A keyed hash of a watched person's phone, made like a citizen report's
    indicators (portal/duplicates.py), so a new report naming the number is
    found without reading either side's text."""

    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="indicators")
    value_hash = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "value_hash"], name="intelligence_indicator_unique"
            )
        ]

    def __str__(self) -> str:
        return f"indicator of {self.entry_id}"


class AlertSource(models.TextChoices):
    CASE_PARTY = "case_party", _("a person in a case")
    AGENCY_STAFF = "agency_staff", _("an agency's staff list")
    REPORT = "report", _("a citizen report")
    VICTIM_RECORD = "victim_record", _("a victim's protection record")


class WatchlistAlert(models.Model):
    """A watched person matched a new record: one alert per entry and record.
    It says where (the record's district) and what kind of record; the owner
    opens the record only if their own scope allows (hit / no hit)."""

    entry = models.ForeignKey(WatchlistEntry, on_delete=models.CASCADE, related_name="alerts")
    source = models.CharField(max_length=20, choices=AlertSource.choices)
    record_id = models.PositiveBigIntegerField()
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    matched_by = models.CharField(max_length=20)  # "identity" | "phone" | "cnic"
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "source", "record_id"], name="intelligence_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"alert {self.pk} on {self.entry_id}"
