"""Field surveys: instruments (XLSForms, versioned), submissions, imports.

An instrument is one XLSForm identified by its form id; every upload that
changes it is a new version holding the source file, the XForm XML and our
own field catalogue (xform.py). A submission points at the version it was
collected with, so renamed and removed fields keep their meaning in old data.

Sensitive instruments keep their answers only in `sealed` (EncryptedTextField,
Fernet under FIELD_ENCRYPTION_KEYS); the JSON column stays empty for them.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel, in_language
from ahtc.geography.models import Area


class Sensitivity(models.TextChoices):
    """Who may read the rows (selectors.py); aggregates follow other rules."""

    ORDINARY = "ordinary", _("ordinary")
    SENSITIVE = "sensitive", _("sensitive (identities or victims' accounts)")
    HIGHEST = "highest", _("highest (a community at risk)")


class ReviewStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ON_HOLD = "on_hold", _("on hold")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Source(models.TextChoices):
    KOBO_XLSX = "kobo_xlsx", _("KoboToolbox XLSX export")
    KOBO_JSON = "kobo_json", _("KoboToolbox JSON export")
    KOBO_CSV = "kobo_csv", _("KoboToolbox CSV export")
    ODK_ZIP = "odk_zip", _("ODK Central ZIP export")
    DEMO = "demo", _("demo data")
    WEB = "web", _("web form")


class Instrument(TimeStampedModel):
    form_id = models.CharField(_("form id"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200, blank=True)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.ORDINARY
    )
    builtin = models.BooleanField(_("built in"), default=False)
    # What one submission counts (a kiln, a workshop, a person), for coverage.
    unit = models.CharField(_("unit surveyed"), max_length=60, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.form_id

    @property
    def name(self) -> str:
        return in_language(en=self.title, ur=self.title_ur)

    @property
    def sealed(self) -> bool:
        return self.sensitivity != Sensitivity.ORDINARY

    def latest_version(self) -> InstrumentVersion | None:
        return self.versions.order_by("-number").first()


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("number"))
    version = models.CharField(_("form version"), max_length=100, blank=True)
    source_name = models.CharField(_("source file"), max_length=200)
    source = models.BinaryField(_("source"))
    source_sha256 = models.CharField(max_length=64)
    xform = models.TextField(_("XForm XML"))
    catalogue = models.JSONField(_("field catalogue"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    warnings = models.JSONField(_("warnings"), default=list)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["instrument", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="surveys_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.number}"

    def field(self, path: str) -> dict[str, Any] | None:
        return next((f for f in self.catalogue if f["path"] == path), None)


class Universe(models.Model):
    """The known number of units in a district (230 kilns), for coverage."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="universes")
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    size = models.PositiveIntegerField(_("known number"))
    source_note = models.CharField(_("source of the number"), max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "district"], name="surveys_universe_unique"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="surveys_universe_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.district_id}: {self.size}"


class ImportBatch(TimeStampedModel):
    """One export file brought in: counts and the per-row report."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="batches")
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=Source.choices)
    file_name = models.CharField(max_length=200)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    job_id = models.CharField(max_length=64, blank=True)
    finished = models.BooleanField(default=False)
    # Why the whole file was refused (not an export of that kind), if it was.
    error = models.CharField(max_length=300, blank=True)
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # [{"sheet", "row", "key", "reason"}]: reasons are fixed English texts
    # naming fields and values' kinds, never the values themselves.
    report = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.file_name}"


class Submission(TimeStampedModel):
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    # meta/rootUuid, else meta/instanceID, else Kobo's _uuid, else ODK's KEY.
    key = models.CharField(_("submission id"), max_length=120)
    source = models.CharField(max_length=12, choices=Source.choices)
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    tehsil = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    collected_on = models.DateField(_("collected on"), null=True, blank=True)
    status = models.CharField(
        _("review"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.RECEIVED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    data = models.JSONField(default=dict, blank=True)
    sealed = EncryptedTextField(blank=True)
    # References of records the approval created (child-labour findings ...).
    outcomes = models.JSONField(default=list, blank=True)
    # Who filled in the web form (surveys/collect.py); empty for imports.
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="surveys_submission_key"),
        ]
        indexes = [
            models.Index(fields=["instrument", "district", "status"], name="surveys_sub_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id}:{self.pk}"

    @property
    def answers(self) -> dict[str, Any]:
        if self.sealed:
            value: dict[str, Any] = json.loads(self.sealed)
            return value
        return dict(self.data)


class LinkKind(models.TextChoices):
    """What a submission is linked to in another registry (findings_*.py)."""

    KILN = "kiln", _("kiln in the labour registry")
    KILN_INSPECTION = "kiln_inspection", _("survey visit recorded on the kiln")
    AGENCY = "agency", _("agency in the registry")
    AGENCY_INSPECTION = "agency_inspection", _("inspection recorded on the agency")
    CASE = "case", _("case opened from the questionnaire")


class FindingLink(models.Model):
    """A record of another app that a submission was matched to or made.

    The reviewer's choice of kiln or agency is kept before the approval (the
    approval waits for it); what the approval made is kept once, so running
    the flow again never records the same visit twice.
    """

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="links")
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    object_id = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=60, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="surveys_link_once"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.object_id}"
