"""Evidence with its chain of custody, tasks and saved searches."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ahtc.cases.models.file import Case
from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.core.scan import original_sha256_field, scan_status_field

User = settings.AUTH_USER_MODEL


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    PHOTO = "photo", _("photograph")
    DEVICE = "device", _("phone or device")
    PASSPORT = "passport", _("passport or travel document")
    RECEIPT = "receipt", _("receipt or money transfer")
    OTHER = "other", _("other")


class Evidence(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveSmallIntegerField(editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    description = EncryptedTextField(_("description"))
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    content_type = models.CharField(max_length=50, blank=True, editable=False)
    # Up to AHTC_MAX_EVIDENCE_BYTES (2 GiB), past a 32-bit integer.
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    # Evidence is stored byte for byte, so both hashes are of the bytes as
    # received; original_sha256 is kept alongside as on citizens' files.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    original_sha256 = original_sha256_field()
    scan_status = scan_status_field()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_evidence_unique_number")
        ]


class CustodyAction(models.TextChoices):
    COLLECTED = "collected", _("collected")
    HANDED_OVER = "handed_over", _("handed over")
    EXAMINED = "examined", _("sent for examination")
    PRODUCED = "produced", _("produced in court")
    RETURNED = "returned", _("returned to owner")


class CustodyEntry(models.Model):
    """Chain of custody: append-only."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="custody")
    action = models.CharField(_("action"), max_length=20, choices=CustodyAction.choices)
    holder = models.CharField(_("now held by"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} of evidence {self.evidence_id}"


class Task(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        User, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="case_tasks"
    )
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["done_at", "due", "pk"]
        indexes = [models.Index(fields=["assignee", "done_at", "due"], name="cases_task_due")]


class SavedSearch(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_case_searches")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="cases_savedsearch_unique")
        ]

    def __str__(self) -> str:
        return self.name
