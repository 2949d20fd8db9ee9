from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _cache_table(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """The shared database cache's table comes with every migrate (settings.CACHES)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "ahtc.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_cache_table, sender=self, dispatch_uid="core_cache_table")
