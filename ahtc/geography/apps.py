from __future__ import annotations

from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "ahtc.geography"
    label = "geography"
    default_auto_field = "django.db.models.BigAutoField"
