"""Reference data only: the known universe per district (230 kilns). Answers
are never shown here (access rules: selectors.py)."""

from __future__ import annotations

from django.contrib import admin

from ahtc.surveys.models import Universe


@admin.register(Universe)
class UniverseAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("instrument", "district", "size", "source_note")
    list_select_related = ("instrument", "district")
    raw_id_fields = ("district",)
