from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ahtc.jobs.models import Job, ScheduleRun


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """Operators look here for scheduled jobs' runs; nothing is edited by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(ReadOnly):
    list_display = ["kind", "status", "fraction", "message", "error", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    # The requester and the audit reason stay out of the list: the pages show them.
    exclude = ["audit_reason", "file_name"]


@admin.register(ScheduleRun)
class ScheduleRunAdmin(ReadOnly):
    list_display = ["name", "slot", "taken_by", "taken_at", "job"]
