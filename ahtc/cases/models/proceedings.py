"""Proceedings: FIRs, arrests, the challan checklist, hearings and verdicts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.models.file import Case, LegalProvision, Party
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import PoliceStation

User = settings.AUTH_USER_MODEL


def recorded_by_organisation() -> Any:
    """The agency that recorded a proceedings row (FIA after a transfer);
    empty: the cell. One field definition for FIRs, arrests, hearings and
    verdicts."""
    return models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Fir(TimeStampedModel):
    """An FIR of the cell (a district police station) or of the agency running
    the proceedings (its circle, `organisation`, and its own police station,
    which is not in the district's list: `agency_station`)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="firs")
    number = models.CharField(_("FIR number"), max_length=30)
    date = models.DateField(_("FIR date"))
    police_station = models.ForeignKey(
        PoliceStation,
        verbose_name=_("police station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = recorded_by_organisation()
    agency_station = models.CharField(_("agency police station"), max_length=200, blank=True)
    provisions = models.ManyToManyField(LegalProvision, verbose_name=_("sections"))
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["police_station", "number", "date"], name="cases_fir_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "agency_station", "number", "date"],
                condition=Q(police_station__isnull=True),
                name="cases_fir_agency_unique",
            ),
            models.CheckConstraint(
                condition=Q(police_station__isnull=False)
                | (Q(organisation__isnull=False) & ~Q(agency_station="")),
                name="cases_fir_station_or_agency_station",
            ),
        ]

    @property
    def station_label(self) -> str:
        if self.police_station is not None:
            return self.police_station.name
        return self.agency_station


class Arrest(TimeStampedModel):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="arrests")
    date = models.DateField(_("date of arrest"))
    bail_granted = models.BooleanField(_("bail granted"), default=False)
    organisation = recorded_by_organisation()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]


class ChallanItemKind(models.TextChoices):
    STATEMENTS = "statements", _("statements recorded by the police (s.161 CrPC)")
    VICTIM_STATEMENT = "victim_statement", _("the victim's statement (s.164 CrPC)")
    MEDICAL = "medical", _("medical reports")
    DOCUMENTS = "documents", _("documents (passports, receipts, bank records)")
    WITNESSES = "witnesses", _("list of witnesses")
    RECOVERY = "recovery", _("recovery memos and case property")


class ChallanItem(models.Model):
    """The checklist the IO and the prosecutor work through together. A case
    run by an agency after a transfer has the agency's own checklist
    (`organisation`); the cell's stays as it was left."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="challan_items")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("investigating agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=ChallanItemKind.choices)
    io_done_at = models.DateTimeField(null=True, blank=True)
    io_done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    prosecutor_ok_at = models.DateTimeField(null=True, blank=True)
    prosecutor_ok_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    objection = models.CharField(_("prosecutor's objection"), max_length=500, blank=True)
    answer = models.CharField(_("the IO's answer to the objection"), max_length=500, blank=True)

    class Meta:
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=Q(organisation__isnull=True),
                name="cases_challan_unique_kind",
            ),
            models.UniqueConstraint(
                fields=["case", "organisation", "kind"],
                condition=Q(organisation__isnull=False),
                name="cases_challan_agency_unique_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of case {self.case_id}"

    @property
    def returned(self) -> bool:
        """Sent back by the prosecutor and not yet answered by the IO."""
        return bool(self.objection) and self.io_done_at is None


class Hearing(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    court = models.CharField(_("court"), max_length=200)
    date = models.DateField(_("date"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    outcome = models.CharField(_("what happened"), max_length=500, blank=True)
    organisation = recorded_by_organisation()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]


class VerdictOutcome(models.TextChoices):
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")
    COMPOUNDED = "compounded", _("compounded")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Verdict(TimeStampedModel):
    """Per accused, per section."""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="verdicts")
    provision = models.ForeignKey(
        LegalProvision, verbose_name=_("section"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("date of judgment"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=VerdictOutcome.choices)
    prison_months = models.PositiveIntegerField(_("prison (months)"), null=True, blank=True)
    fine_pkr = models.PositiveBigIntegerField(_("fine (PKR)"), null=True, blank=True)
    compensation_ordered_pkr = models.PositiveBigIntegerField(
        _("compensation ordered (PKR)"), null=True, blank=True
    )
    compensation_paid_pkr = models.PositiveBigIntegerField(
        _("compensation paid (PKR)"), null=True, blank=True
    )
    organisation = recorded_by_organisation()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["party", "provision"], name="cases_verdict_unique")
        ]
        # Monitoring: verdicts in a period (issue 13).
        indexes = [models.Index(fields=["date"], name="cases_verdict_date_idx")]
