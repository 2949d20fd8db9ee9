from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "ahtc.onboarding"
    label = "onboarding"
    verbose_name = _("District onboarding")
