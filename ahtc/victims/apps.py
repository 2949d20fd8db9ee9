from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VictimsConfig(AppConfig):
    name = "ahtc.victims"
    label = "victims"
    verbose_name = _("Victim protection")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from ahtc.victims import signals  # noqa: F401 - connects the re-trafficking alerts
