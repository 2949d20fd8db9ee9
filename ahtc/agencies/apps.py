from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    name = "ahtc.agencies"
    label = "agencies"
    verbose_name = _("Travel agencies")
    default_auto_field = "django.db.models.BigAutoField"
