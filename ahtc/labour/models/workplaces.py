"""The registry: brick kilns and workshops, and the people who work there.

A kiln or a workshop belongs to one district (and a tehsil when known); its
owner is a `people.Person`, so the name is encrypted at rest. A worker is a
person at one place; advances (peshgi) and their repayments are recorded per
worker and checked against the legal limit in force on the day (the limit is
data, `AdvanceLimit`, with its source; never a number in code).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area
from ahtc.people.models import Person


class KilnStatus(models.TextChoices):
    OPERATING = "operating", _("operating")
    SEASON_CLOSED = "season_closed", _("closed for the season")
    SEALED = "sealed", _("sealed by the Labour Department")
    SHUT = "shut", _("shut down for good")


class KilnSeason(models.TextChoices):
    YEAR_ROUND = "year_round", _("all year")
    DRY_SEASON = "dry_season", _("dry season (closed in the monsoon)")
    WINTER = "winter", _("winter only")


class WorkshopKind(models.TextChoices):
    AUTO = "auto", _("auto repair")
    ELECTRICAL = "electrical", _("electrical")
    MANUFACTURING = "manufacturing", _("manufacturing")
    OTHER = "other", _("other")


class PlaceFields(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=30, editable=False)
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    tehsil = models.ForeignKey(
        Area,
        verbose_name=_("tehsil"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("trade name"), max_length=200, blank=True)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    location = models.CharField(_("location"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference


class BrickKiln(PlaceFields):
    capacity = models.PositiveIntegerField(_("capacity (bricks per day)"), null=True, blank=True)
    season = models.CharField(_("season"), max_length=20, choices=KilnSeason.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=KilnStatus.choices, default=KilnStatus.OPERATING
    )
    labour_registration = models.CharField(
        _("registration with the Labour Department"), max_length=60, blank=True
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="labour_kiln_unique_reference"),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | ~Q(labour_registration=""),
                name="labour_kiln_registration_has_number",
            ),
        ]
        indexes = [models.Index(fields=["district", "status"], name="labour_kiln_district")]


class Workshop(PlaceFields):
    kind = models.CharField(_("kind of workshop"), max_length=20, choices=WorkshopKind.choices)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="labour_workshop_unique_reference"),
        ]
        indexes = [models.Index(fields=["district", "kind"], name="labour_workshop_district")]


class PlaceCounter(models.Model):
    """Last kiln or workshop number per district (core.sequence)."""

    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "kind"], name="labour_place_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district_id}/{self.kind}: {self.last}"


ONE_PLACE = Q(kiln__isnull=False, workshop__isnull=True) | Q(
    kiln__isnull=True, workshop__isnull=False
)


class Worker(TimeStampedModel):
    """A person working at one kiln or workshop, with what the survey asked."""

    person = models.ForeignKey(
        Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    kiln = models.ForeignKey(
        BrickKiln, null=True, blank=True, on_delete=models.PROTECT, related_name="workers"
    )
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.PROTECT, related_name="workers"
    )
    family_members = models.PositiveSmallIntegerField(
        _("members of the family working there"), default=1
    )
    written_contract = models.BooleanField(_("has a written contract"), default=False)
    literate = models.BooleanField(_("can read and write"), default=False)
    knows_minimum_wage = models.BooleanField(
        _("knows the minimum wage and labour rights"), default=False
    )
    recorded_on = models.DateField(_("recorded on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="labour_worker_one_place"),
            models.CheckConstraint(
                condition=Q(family_members__gte=1), name="labour_worker_family_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"worker {self.pk}"


class AdvanceLimit(models.Model):
    """The legal ceiling on an advance (peshgi), as data with its source."""

    amount = models.PositiveIntegerField(_("limit (rupees)"))
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=400)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="labour_advance_limit_unique_from"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="labour_advance_limit_period",
            ),
        ]

    def __str__(self) -> str:
        return f"Rs {self.amount} from {self.valid_from}"


class Advance(TimeStampedModel):
    """An advance (peshgi) given to a worker. The check against the limit is
    made when it is recorded, on the worker's balance that day including it:
    splitting a large advance into small ones does not get under the limit."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="advances")
    amount = models.PositiveIntegerField(_("amount (rupees)"))
    given_on = models.DateField(_("given on"))
    balance_after = models.PositiveIntegerField(_("balance owed after this advance"))
    limit = models.ForeignKey(
        AdvanceLimit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    above_limit = models.BooleanField(_("above the legal limit"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["given_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="labour_advance_positive"),
        ]

    def __str__(self) -> str:
        return f"advance {self.pk}"


class RepaymentMethod(models.TextChoices):
    DEDUCTED = "deducted", _("deducted from wages")
    CASH = "cash", _("paid in cash")
    WRITTEN_OFF = "written_off", _("extinguished (the law ends bonded debts)")


class Repayment(TimeStampedModel):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="repayments")
    amount = models.PositiveIntegerField(_("amount (rupees)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("how"), max_length=20, choices=RepaymentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="labour_repayment_positive"),
        ]

    def __str__(self) -> str:
        return f"repayment {self.pk}"
