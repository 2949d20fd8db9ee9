from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabourConfig(AppConfig):
    name = "ahtc.labour"
    label = "labour"
    verbose_name = _("Child labour")
    default_auto_field = "django.db.models.BigAutoField"
