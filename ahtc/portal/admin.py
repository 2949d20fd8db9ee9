from __future__ import annotations

from django.contrib import admin

from ahtc.portal.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["category", "keep_days", "updated_at"]
