from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ahtc.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ahtc.api import schema  # noqa: F401 - registers the OpenAPI auth extension
