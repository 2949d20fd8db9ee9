"""Background jobs: what a page shows about a task, the workers' heartbeats and
the scheduled jobs' last runs.

A `Job` is keyed by the id of its django-tasks result, so the worker (which
knows only the task) and the pages (which know only the job) meet on one key.
Messages and errors are short English texts from the code, shown translated;
they never name a person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    CASE_LIST_EXPORT = "case_list_export", _("Case list export")
    VICTIM_LIST_EXPORT = "victim_list_export", _("Victim list export")
    SIGN_IN_RECORDS_PURGE = "sign_in_records_purge", _("Sign-in records purge")
    REPORTS_PURGE = "reports_purge", _("Citizen reports retention purge")
    FILES_RECONCILE = "files_reconcile", _("Stored files check")
    JOBS_CLEANUP = "jobs_cleanup", _("Expired export files and old jobs cleanup")
    NOTIFICATIONS_SEND = "notifications_send", _("Notifications sent by email and SMS")
    NOTIFICATIONS_DIGEST = "notifications_digest", _("Daily notification digest")
    LABOUR_SCHOOL_ALERTS = "labour_school_alerts", _("School dropout alerts (child labour)")
    COMMITTEE_REPORT_FILE = "committee_report_file", _("Committee report (PDF or XLSX)")
    ACTION_ITEMS_ESCALATE = "action_items_escalate", _("Overdue committee action items")
    PEOPLE_RESOLUTION = "people_resolution", _("Matching people across districts")
    SURVEY_IMPORT = "survey_import", _("Survey export import")
    MONITORING_AGGREGATES = "monitoring_aggregates", _("Monthly indicator counts for the dashboard")
    # Issue 14: travel agencies (ahtc/agencies).
    AGENCY_IMPORT = "agency_import", _("Import of travel agencies")
    AGENCY_NOTICES_OVERDUE = "agency_notices_overdue", _("Agency notices past their deadline")


class JobStatus(models.TextChoices):
    """The task's status, mirrored (django-tasks' TaskResultStatus values)."""

    READY = "READY", _("waiting")
    RUNNING = "RUNNING", _("running")
    FAILED = "FAILED", _("failed")
    SUCCESSFUL = "SUCCESSFUL", _("done")


class JobQuerySet(models.QuerySet["Job"]):
    def of_user(self, user: Any) -> JobQuerySet:
        pk = getattr(user, "pk", None)
        return self.filter(requested_by_id=pk) if pk else self.none()


class Job(models.Model):
    id = models.CharField(primary_key=True, max_length=64, editable=False)
    kind = models.CharField(max_length=40, choices=JobKind.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    area_code = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.READY)
    fraction = models.FloatField(default=0.0)
    message = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The result file of an export: a random name under MEDIA_ROOT/exports,
    # encrypted; what the download is called; and the audit row it writes.
    file_name = models.CharField(max_length=64, blank=True)
    download_name = models.CharField(max_length=120, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    audit_object_type = models.CharField(max_length=100, blank=True)
    audit_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="jobs_job_user_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(fraction__gte=0) & Q(fraction__lte=1), name="jobs_job_fraction_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("cell:jobs:detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.FAILED, JobStatus.SUCCESSFUL}

    @property
    def percent(self) -> int:
        return round(self.fraction * 100)

    def file_available(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.file_name) and (self.expires_at is None or self.expires_at > now)


class WorkerHeartbeat(models.Model):
    """One row per living worker, touched every few seconds (also mid-task)."""

    worker_id = models.CharField(primary_key=True, max_length=64)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.worker_id


class ScheduleRun(models.Model):
    """The last slot a scheduled job was started for. A worker takes a slot by
    a conditional UPDATE (`slot < this slot`), so of two workers racing for
    the same slot exactly one enqueues the job."""

    name = models.CharField(primary_key=True, max_length=60)
    slot = models.DateTimeField(null=True, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL)
    taken_by = models.CharField(max_length=64, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
