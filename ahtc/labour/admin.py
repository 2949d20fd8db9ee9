"""Reference data of the labour app, kept by superusers: the advance limit,
notified wage rates and social-protection schemes, each with its source."""

from __future__ import annotations

from django.contrib import admin

from ahtc.labour.models import AdvanceLimit, Scheme, WageRate


@admin.register(AdvanceLimit)
class AdvanceLimitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["amount", "valid_from", "valid_to", "source"]


@admin.register(WageRate)
class WageRateAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["basis", "amount", "valid_from", "valid_to", "notification"]
    list_filter = ["basis"]


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name_en", "name_ur"]
