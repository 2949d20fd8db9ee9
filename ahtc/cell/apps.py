from __future__ import annotations

from django.apps import AppConfig


class CellConfig(AppConfig):
    name = "ahtc.cell"
    label = "cell"
    default_auto_field = "django.db.models.BigAutoField"
