from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "ahtc.surveys"
    label = "surveys"
    verbose_name = _("Field surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The built-in instruments' approval hooks (a child found working
        # becomes a child-labour finding).
        from ahtc.surveys import findings  # noqa: F401
