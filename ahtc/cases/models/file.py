"""The case file: the legal catalogue, cases, parties, events and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.classification import Agency, Classification
from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area
from ahtc.people.models import Person

User = settings.AUTH_USER_MODEL


class LegalProvision(models.Model):
    """One version of one law section. The catalogue is data (data/legal_catalogue.csv),
    versioned by date: a section is offered only for offences inside its validity."""

    code = models.CharField(_("code"), max_length=30)
    act = models.CharField(_("law"), max_length=120)
    section = models.CharField(_("section"), max_length=20, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_ur = models.CharField(_("title (Urdu)"), max_length=300, blank=True)
    punishment_en = models.CharField(_("punishment (English)"), max_length=300, blank=True)
    punishment_ur = models.CharField(_("punishment (Urdu)"), max_length=300, blank=True)
    section_verified = models.BooleanField(_("section number verified"), default=False)
    punishment_verified = models.BooleanField(_("punishment verified"), default=False)
    valid_from = models.DateField(_("in force from"))
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=500, blank=True)
    # Issue 12: what an officer needs beside the title, and what was verified.
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=[("offence", _("offence")), ("non_offence", _("not an offence (a rule or note)"))],
        default="offence",
    )
    act_ur = models.CharField(_("law (Urdu)"), max_length=200, blank=True)
    offender_en = models.CharField(_("who commits it (English)"), max_length=500, blank=True)
    offender_ur = models.CharField(_("who commits it (Urdu)"), max_length=500, blank=True)
    cognizable = models.CharField(_("cognizable"), max_length=3, blank=True)
    bailable = models.CharField(_("bailable"), max_length=3, blank=True)
    compoundable = models.CharField(_("compoundable"), max_length=3, blank=True)
    trial_court_en = models.CharField(_("trial court (English)"), max_length=200, blank=True)
    trial_court_ur = models.CharField(_("trial court (Urdu)"), max_length=200, blank=True)
    date_verified = models.BooleanField(_("date in force verified"), default=False)
    date_source = models.CharField(_("source of the date"), max_length=500, blank=True)

    class Meta:
        ordering = ["act", "code"]
        verbose_name = _("law section")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="cases_provision_unique_version"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """As police write it: "PTPA 2018 s.3(1)"; in Urdu «دفعہ 3(1) انسدادِ انسانی تجارت ایکٹ»."""
        from django.utils.translation import get_language

        if (get_language() or "").startswith("ur") and self.act_ur:
            if self.section:
                return f"دفعہ {self.section} {self.act_ur}"
            act = self.act_ur
        elif self.section:
            return f"{self.act} s.{self.section}"
        else:
            act = self.act
        # No section number (not verified yet): the title tells two rows of
        # one Act apart.
        return f"{act} — {self.title}" if self.title else act

    @property
    def is_offence(self) -> bool:
        return self.kind == "offence"

    @property
    def verified(self) -> bool:
        """Section number, punishment and date in force all checked against a source."""
        return self.section_verified and self.punishment_verified and self.date_verified

    @property
    def offender(self) -> str:
        from ahtc.core.models import in_language

        return in_language(en=self.offender_en, ur=self.offender_ur)

    @property
    def trial_court(self) -> str:
        from ahtc.core.models import in_language

        return in_language(en=self.trial_court_en, ur=self.trial_court_ur)

    @property
    def title(self) -> str:
        from ahtc.core.models import in_language

        return in_language(en=self.title_en, ur=self.title_ur)

    @property
    def punishment(self) -> str:
        """Shown only where verified; the caller says 'not verified' otherwise."""
        if not self.punishment_verified:
            return ""
        from ahtc.core.models import in_language

        return in_language(en=self.punishment_en, ur=self.punishment_ur)


class Origin(models.TextChoices):
    TIP = "tip", _("citizen report")
    WALK_IN = "walk_in", _("walk-in complaint")
    HELPLINE = "helpline", _("helpline call")
    REFERRAL = "referral", _("referral from a partner agency")
    SURVEY = "survey", _("survey finding")
    OWN_INITIATIVE = "own_initiative", _("the cell's own initiative")


class Status(models.TextChoices):
    REPORTED = "reported", _("reported")
    INQUIRY = "inquiry", _("inquiry")
    FIR_REGISTERED = "fir_registered", _("FIR registered")
    INVESTIGATION = "investigation", _("under investigation")
    CHALLAN_SUBMITTED = "challan_submitted", _("challan submitted")
    TRIAL = "trial", _("on trial")
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")
    COMPOUNDED = "compounded", _("compounded")
    WITHDRAWN = "withdrawn", _("withdrawn")
    CLOSED_NO_OFFENCE = "closed_no_offence", _("closed: no offence")
    TRANSFERRED_FIA = "transferred_fia", _("transferred to FIA")


CLOSED_STATUSES = {
    Status.CONVICTED,
    Status.ACQUITTED,
    Status.COMPOUNDED,
    Status.WITHDRAWN,
    Status.CLOSED_NO_OFFENCE,
    Status.TRANSFERRED_FIA,
}


class Case(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=30, editable=False)
    district = models.ForeignKey(
        Area, verbose_name=_("district"), on_delete=models.PROTECT, related_name="cases"
    )
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(_("short title"), max_length=200)
    summary = EncryptedTextField(_("summary"), blank=True)
    origin = models.CharField(_("opened from"), max_length=20, choices=Origin.choices)
    tip = models.ForeignKey(
        "portal.Tip",
        verbose_name=_("citizen report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    referred_by = models.ForeignKey(
        Organisation,
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    offence_date = models.DateField(
        _("date of the offence (or first known)"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REPORTED
    )
    classification = models.CharField(
        _("classification"), max_length=30, choices=Classification.choices, blank=True
    )
    agency = models.CharField(
        _("competent agency"), max_length=20, choices=Agency.choices, blank=True
    )
    lead_officer = models.ForeignKey(
        User,
        verbose_name=_("investigating officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases_led",
    )
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # Set when the case is transferred to FIA: from then on that agency records
    # the proceedings (FIR, arrests, challan, hearings, verdicts) and the cell reads them.
    proceedings_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("proceedings run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity_withheld = models.BooleanField(_("identity withheld (media-sensitive)"), default=False)
    # A second case from a report that already has one is opened only on
    # purpose (e.g. two unrelated offences in one report), with the reason.
    tip_split = models.BooleanField(_("split from a report that has a case"), default=False)
    split_reason = EncryptedTextField(_("why the report was split"), blank=True)

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("case")
        constraints = [
            models.UniqueConstraint(fields=["reference"], name="cases_case_unique_reference"),
            models.UniqueConstraint(
                fields=["district", "year", "number"], name="cases_case_unique_number"
            ),
            models.UniqueConstraint(
                fields=["tip"], condition=Q(tip_split=False), name="cases_case_one_per_report"
            ),
        ]
        indexes = [models.Index(fields=["district", "status"], name="cases_case_district_status")]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def run_by_agency(self) -> bool:
        return self.proceedings_organisation_id is not None


class CaseCounter(models.Model):
    """The last number given per district and year (row-locked when incremented)."""

    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="cases_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district_id}/{self.year}: {self.last}"


class PartyRole(models.TextChoices):
    """Victim, witness and complainant, plus HTCDS per_RoleInProcess for suspects."""

    VICTIM = "victim", _("victim")
    SMUGGLED_MIGRANT = "smuggled_migrant", _("smuggled migrant")
    COMPLAINANT = "complainant", _("complainant")
    WITNESS = "witness", _("witness")
    RECRUITER = "RecruiterOrIntermediary", _("recruiter or agent")
    BROKER = "BrokerTravelAgent", _("broker or travel agent")
    SMUGGLER = "Smuggler", _("smuggler")
    TRANSPORTER = "Transporter", _("transporter")
    EXPLOITER = "Exploiter", _("exploiter (employer, kiln owner)")
    FACILITATOR = "ControlledIndividual", _("facilitator")
    FINANCIER = "Financier", _("financier")
    KIDNAPPER = "Kidnapper", _("kidnapper")
    ABUSER = "Abuser", _("abuser")
    OTHER_SUSPECT = "Other", _("other suspect")


PROTECTED_ROLES = {PartyRole.VICTIM, PartyRole.SMUGGLED_MIGRANT}
NON_SUSPECT_ROLES = PROTECTED_ROLES | {PartyRole.COMPLAINANT, PartyRole.WITNESS}
SUSPECT_ROLES = {r for r in PartyRole if r not in NON_SUSPECT_ROLES}


class Party(TimeStampedModel):
    """A person (or an organisation such as a travel agency) in a role in a case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="parties"
    )
    organisation_name = models.CharField(
        _("organisation (e.g. a travel agency)"), max_length=200, blank=True
    )
    role = models.CharField(_("role"), max_length=30, choices=PartyRole.choices)
    number = models.PositiveSmallIntegerField(editable=False)
    note = EncryptedTextField(_("note"), blank=True)
    questioned_and_warned = models.BooleanField(_("questioned and warned"), default=False)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_party_unique_number"),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(organisation_name=""),
                name="cases_party_person_or_organisation",
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def is_suspect(self) -> bool:
        return self.role in SUSPECT_ROLES

    @property
    def is_protected(self) -> bool:
        return self.role in PROTECTED_ROLES

    @property
    def pseudonym(self) -> str:
        """What every screen shows unless the user may see the identity."""
        prefix = "V" if self.is_protected else ("S" if self.is_suspect else "W")
        return f"{self.case.reference}-{prefix}{self.number}"


class EventKind(models.TextChoices):
    RECRUITMENT = "Recruitment", _("recruitment")
    TRANSIT = "Transit", _("transit")
    EXPLOITATION = "Exploitation", _("exploitation")
    RESCUE = "Rescue", _("rescue or interception")
    RETURN = "Return", _("return home")
    PAYMENT = "Payment", _("money paid")
    OTHER = "Other", _("other")


class CaseEvent(TimeStampedModel):
    """A step of the route (HTCDS historic event) with place and money paid."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, default="PK")
    place = models.CharField(_("place"), max_length=200, blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("district in Pakistan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount_pkr = models.PositiveBigIntegerField(_("money paid (PKR)"), null=True, blank=True)
    description = EncryptedTextField(_("description"), blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", models.F("date").asc(nulls_last=True), "pk"]


class ClassificationDecision(models.Model):
    """One run of the assistant and the officer's decision; never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    # Issue 12: a decision for one victim (a kiln family is classified person by
    # person, then summarised for the case); blank for the case as a whole.
    victim = models.ForeignKey(
        Party,
        verbose_name=_("victim"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classification_decisions",
    )
    engine_version = models.CharField(max_length=20)
    answers = models.JSONField()
    rules = models.JSONField()
    suggested_classification = models.CharField(max_length=30, choices=Classification.choices)
    suggested_provisions = models.JSONField()
    suggested_agency = models.CharField(max_length=20, choices=Agency.choices)
    flags = models.JSONField()
    classification = models.CharField(
        _("classification decided"), max_length=30, choices=Classification.choices
    )
    provisions = models.ManyToManyField(LegalProvision, verbose_name=_("sections"), blank=True)
    agency = models.CharField(_("agency decided"), max_length=20, choices=Agency.choices)
    override_reason = models.TextField(_("reason for departing from the suggestion"), blank=True)
    # Issue 12: the explanation as suggested (fact keys per section), the notes
    # that are not charges, why review is needed, and how the officer departed.
    because = models.JSONField(default=dict)
    notes = models.JSONField(default=list)
    review = models.JSONField(default=list)
    agency_reason = models.CharField(max_length=40, blank=True)
    departures = models.JSONField(default=list)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self) -> str:
        return f"decision {self.pk} on case {self.case_id}"

    @property
    def overridden(self) -> bool:
        return bool(self.override_reason)


class StatusChange(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    consent_override = models.BooleanField(default=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"
