"""The rollout register: one row per district whose cell is set up.

A district is "onboarded" when `ahtc districts onboard` (or the workspace
screen) has created its cell, partners and committee; it is "live" from the
date its cell starts working in the system. Staffed roles are read from role
assignments, never typed; trained officers are filled by the training module
(a later issue) and start at zero.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area

DEFAULT_SLA_URGENT_HOURS = 1
DEFAULT_SLA_NORMAL_HOURS = 24


class DistrictRollout(TimeStampedModel):
    district = models.OneToOneField(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="rollout"
    )
    cell = models.ForeignKey(
        Organisation,
        verbose_name=_("cell"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    committee = models.ForeignKey(
        Organisation,
        verbose_name=_("district vigilance committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    established_on = models.DateField(_("cell established on"))
    live_on = models.DateField(_("live from"), null=True, blank=True)
    sla_urgent_hours = models.PositiveSmallIntegerField(
        _("urgent reports acknowledged within (hours)"), default=DEFAULT_SLA_URGENT_HOURS
    )
    sla_normal_hours = models.PositiveSmallIntegerField(
        _("other reports acknowledged within (hours)"), default=DEFAULT_SLA_NORMAL_HOURS
    )
    trained_officers = models.PositiveIntegerField(_("trained officers"), default=0)
    onboarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("onboarded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("district rollout")
        verbose_name_plural = _("district rollouts")
        ordering = ["district__path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sla_urgent_hours__gte=1) & models.Q(sla_normal_hours__gte=1),
                name="onboarding_rollout_sla_positive",
            )
        ]

    def __str__(self) -> str:
        return str(self.district)

    def is_live(self, today: dt.date | None = None) -> bool:
        return self.live_on is not None and self.live_on <= (today or timezone.localdate())

    @property
    def sla_urgent(self) -> dt.timedelta:
        return dt.timedelta(hours=self.sla_urgent_hours)

    @property
    def sla_normal(self) -> dt.timedelta:
        return dt.timedelta(hours=self.sla_normal_hours)
