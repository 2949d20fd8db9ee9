from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntelligenceConfig(AppConfig):
    name = "ahtc.intelligence"
    label = "intelligence"
    verbose_name = _("Link analysis and the watchlist")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ahtc.intelligence import (
            graph_cache,
            signals,  # noqa: F401 - connects the watchlist alerts
        )

        graph_cache.connect()
