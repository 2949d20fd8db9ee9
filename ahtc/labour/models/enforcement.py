"""Wages, inspections, notices, owners' undertakings and the hand-over of
bonded labour to case management.

Notified wage rates are data (`WageRate`) with their notification and period.
A wage seen at a kiln (`WageObservation`) keeps the rate in force that day, so
compliance per kiln over time does not change when a new rate is notified. An
owner's undertaking to raise wages (the 20% agreement) is met by a later
observation at or above its target: evidence of payment, not a promise.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area
from ahtc.labour.models.workplaces import ONE_PLACE, BrickKiln, Worker, Workshop


class WageBasis(models.TextChoices):
    MONTHLY = "monthly", _("per month (minimum wage)")
    PER_1000_BRICKS = "per_1000_bricks", _("per 1,000 bricks")


class WageRate(models.Model):
    basis = models.CharField(_("basis"), max_length=20, choices=WageBasis.choices)
    amount = models.DecimalField(_("rate (rupees)"), max_digits=10, decimal_places=2)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    notification = models.CharField(_("notification reference"), max_length=200)
    source = models.CharField(_("source"), max_length=400)

    class Meta:
        ordering = ["basis", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["basis", "valid_from"], name="labour_wage_rate_unique_from"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="labour_wage_rate_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.basis} Rs {self.amount} from {self.valid_from}"


class EvidenceKind(models.TextChoices):
    WAGE_REGISTER = "wage_register", _("wage register seen")
    PAY_SLIPS = "pay_slips", _("pay slips or bank transfers")
    STATEMENTS = "statements", _("workers' statements")


class InspectionKind(models.TextChoices):
    SURVEY = "survey", _("survey")
    INSPECTION = "inspection", _("inspection")
    FOLLOW_UP = "follow_up", _("follow-up")


class Violation(models.TextChoices):
    BELOW_MINIMUM_WAGE = "below_minimum_wage", _("wages below the notified rate")
    ADVANCE_ABOVE_LIMIT = "advance_above_limit", _("advances above the legal limit")
    NO_CONTRACT = "no_contract", _("no written contracts")
    CHILDREN_WORKING = "children_working", _("children working")
    NO_SOCIAL_SECURITY = "no_social_security", _("workers not registered with EOBI")
    BONDED_LABOUR = "bonded_labour", _("signs of bonded labour")
    UNSAFE = "unsafe", _("unsafe conditions")


class Inspection(TimeStampedModel):
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="+"
    )
    kiln = models.ForeignKey(
        BrickKiln, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    inspected_on = models.DateField(_("inspected on"))
    with_labour = models.BooleanField(_("joint with the Labour Department"), default=False)
    with_child_protection = models.BooleanField(_("joint with Child Protection"), default=False)
    violations = models.JSONField(_("findings"), default=list, blank=True)
    notes = models.TextField(_("notes (no names)"), blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name=_("follows up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=ONE_PLACE, name="labour_inspection_one_place")
        ]
        indexes = [
            models.Index(fields=["district", "inspected_on"], name="labour_inspection_district")
        ]

    def __str__(self) -> str:
        return f"inspection {self.pk}"

    def violation_labels(self) -> list[str]:
        labels = dict(Violation.choices)
        return [str(labels.get(v, v)) for v in self.violations]


class Notice(TimeStampedModel):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="notices")
    issued_on = models.DateField(_("issued on"))
    about = models.CharField(_("what must be put right"), max_length=300)
    comply_by = models.DateField(_("comply by"))
    complied_on = models.DateField(_("complied on"), null=True, blank=True)

    class Meta:
        ordering = ["issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comply_by__gte=F("issued_on")), name="labour_notice_deadline"
            ),
            models.CheckConstraint(
                condition=Q(complied_on__isnull=True) | Q(complied_on__gte=F("issued_on")),
                name="labour_notice_complied_after",
            ),
        ]

    def __str__(self) -> str:
        return f"notice {self.pk}"


class OwnerMeeting(TimeStampedModel):
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    owners_present = models.PositiveSmallIntegerField(_("owners present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"owners' meeting {self.pk}"


class UndertakingKind(models.TextChoices):
    RAISE_WAGES = "raise_wages", _("raise wages")
    WITHDRAW_CHILDREN = "withdraw_children", _("no children at work")
    WRITTEN_CONTRACTS = "written_contracts", _("written contracts for all workers")
    REGISTER_EOBI = "register_eobi", _("register workers with EOBI")


class Undertaking(TimeStampedModel):
    """An owner's written undertaking for one kiln; a wage rise carries its
    base wage and percentage, and is met by evidence of payment."""

    kiln = models.ForeignKey(BrickKiln, on_delete=models.PROTECT, related_name="undertakings")
    meeting = models.ForeignKey(
        OwnerMeeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="undertakings",
    )
    kind = models.CharField(_("undertaking"), max_length=20, choices=UndertakingKind.choices)
    given_on = models.DateField(_("given on"))
    due_by = models.DateField(_("due by"))
    basis = models.CharField(max_length=20, choices=WageBasis.choices, blank=True)
    base_amount = models.DecimalField(
        _("wage before (rupees)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    increase_percent = models.PositiveSmallIntegerField(_("increase (%)"), null=True, blank=True)
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    class Meta:
        ordering = ["given_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=UndertakingKind.RAISE_WAGES)
                | Q(base_amount__isnull=False, increase_percent__isnull=False) & ~Q(basis=""),
                name="labour_undertaking_wage_terms",
            ),
            models.CheckConstraint(
                condition=Q(due_by__gte=F("given_on")), name="labour_undertaking_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"undertaking {self.pk}"


class WageObservation(TimeStampedModel):
    """What workers at a kiln were paid, seen on a day, and the rate then."""

    kiln = models.ForeignKey(BrickKiln, on_delete=models.PROTECT, related_name="wages")
    observed_on = models.DateField(_("seen on"))
    basis = models.CharField(_("basis"), max_length=20, choices=WageBasis.choices)
    amount = models.DecimalField(_("paid (rupees)"), max_digits=10, decimal_places=2)
    evidence = models.CharField(_("evidence"), max_length=20, choices=EvidenceKind.choices)
    rate = models.ForeignKey(
        WageRate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undertaking = models.ForeignKey(
        Undertaking,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    inspection = models.ForeignKey(
        Inspection, null=True, blank=True, on_delete=models.PROTECT, related_name="wages"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["observed_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="labour_wage_positive"),
        ]

    def __str__(self) -> str:
        return f"wage {self.pk}"

    @property
    def compliant(self) -> bool | None:
        """None when no rate was notified for the day (compliance unknown)."""
        return None if self.rate is None else self.amount >= self.rate.amount


class BondedLabourHandover(TimeStampedModel):
    """The facts of a bonded-labour situation, handed to case management.

    The case is opened through `cases.services.case_open`; these facts are the
    draft for the officer's classification there (DOMAIN §2.2 rules 4 and 5:
    peshgi and work to repay, with or without restriction or threats). This
    record never decides the classification.
    """

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="handovers")
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    peshgi = models.BooleanField(_("an advance (peshgi) is owed"))
    works_to_repay = models.BooleanField(_("works to repay the advance"))
    restricted_movement = models.BooleanField(_("not free to leave or move"))
    threats = models.BooleanField(_("threats against the worker or family"))
    violence = models.BooleanField(_("violence"))
    documents_withheld = models.BooleanField(_("identity documents withheld"))
    nominal_wages = models.BooleanField(_("nil or nominal wages (below the notified rate)"))
    children_involved = models.BooleanField(_("children of the family work too"))
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handed_over_on = models.DateField(_("handed over on"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-handed_over_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["worker"], name="labour_handover_once_per_worker")
        ]

    def __str__(self) -> str:
        return f"handover {self.pk}"
