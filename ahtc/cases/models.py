"""The case file: from a tip (or any other source) to a verdict.

Field names and value lists follow HTCDS v2 where one exists (roles in the
process, historic event types, case status), so exports interoperate.
Identities live in `people` (encrypted); a case holds parties that point at
people. Free text that may name someone (summary, notes) is encrypted too.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.cases.classification import Agency, Classification
from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.core.scan import original_sha256_field, scan_status_field
from ahtc.geography.models import Area, PoliceStation
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
            return f"دفعہ {self.section} {self.act_ur}" if self.section else self.act_ur
        section = f" s.{self.section}" if self.section else ""
        return f"{self.act}{section}"

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
    # The agency that recorded the row (FIA after a transfer); empty: the cell.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    # The agency that recorded the row (FIA after a transfer); empty: the cell.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    # The agency that recorded the row (FIA after a transfer); empty: the cell.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
    # The agency that recorded the row (FIA after a transfer); empty: the cell.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("recorded by organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["party", "provision"], name="cases_verdict_unique")
        ]


class ConsentPurpose(models.TextChoices):
    STATEMENT = "statement", _("give a statement and have an FIR registered")
    MEDICAL = "medical", _("medical examination")
    SHARING = "sharing", _("share the case with a partner agency")
    TESTIMONY = "testimony", _("testify in court")
    # Who they are (name, phone) may be told to the investigating agency or the
    # prosecutor (one, or any); without it they stay a number (CASE-V1) there.
    IDENTITY = "identity", _("let the investigating agency or prosecutor know who they are")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("signed in writing")
    THUMBPRINT = "thumbprint", _("thumbprint")
    VERBAL = "verbal", _("verbally, before a witness")
    GUARDIAN = "guardian", _("by a parent or guardian (child)")


class Consent(models.Model):
    """What a victim agreed to, with whom, when and how; withdrawal stops use at once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("consent to"), max_length=20, choices=ConsentPurpose.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("shared with (for sharing and identity only)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("how given"), max_length=20, choices=ConsentMethod.choices)
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case", "-recorded_at"]

    def __str__(self) -> str:
        return f"consent {self.purpose} in case {self.case_id}"


class CaseShare(models.Model):
    """Need-to-know: a partner agency sees the case only while a share is active."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("why they need it"), max_length=300)
    shared_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(revoked_at__isnull=True),
                name="cases_share_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} shared with {self.organisation_id}"


class HandoverKind(models.TextChoices):
    ASSIGN = "assign", _("assign to an officer")
    TRANSFER = "transfer", _("transfer to another district's cell")
    REFER = "refer", _("refer to a partner agency")


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Handover(TimeStampedModel):
    """An assignment, transfer or referral; the receiver accepts or rejects it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    kind = models.CharField(_("kind"), max_length=10, choices=HandoverKind.choices)
    to_user = models.ForeignKey(
        User,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    to_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    reason = models.CharField(_("reason"), max_length=500)
    status = models.CharField(
        max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    answer_reason = models.CharField(_("reason for the answer"), max_length=500, blank=True)
    consent_overridden = models.BooleanField(default=False, editable=False)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    PHOTO = "photo", _("photograph")
    DEVICE = "device", _("phone or device")
    PASSPORT = "passport", _("passport or travel document")
    RECEIPT = "receipt", _("receipt or money transfer")
    OTHER = "other", _("other")


class Evidence(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveSmallIntegerField(editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=EvidenceKind.choices)
    description = EncryptedTextField(_("description"))
    stored_name = models.CharField(max_length=64, blank=True, editable=False)
    content_type = models.CharField(max_length=50, blank=True, editable=False)
    # Up to AHTC_MAX_EVIDENCE_BYTES (2 GiB), past a 32-bit integer.
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    # Evidence is stored byte for byte, so both hashes are of the bytes as
    # received; original_sha256 is kept alongside as on citizens' files.
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    original_sha256 = original_sha256_field()
    scan_status = scan_status_field()
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="cases_evidence_unique_number")
        ]


class CustodyAction(models.TextChoices):
    COLLECTED = "collected", _("collected")
    HANDED_OVER = "handed_over", _("handed over")
    EXAMINED = "examined", _("sent for examination")
    PRODUCED = "produced", _("produced in court")
    RETURNED = "returned", _("returned to owner")


class CustodyEntry(models.Model):
    """Chain of custody: append-only."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="custody")
    action = models.CharField(_("action"), max_length=20, choices=CustodyAction.choices)
    holder = models.CharField(_("now held by"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evidence", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} of evidence {self.evidence_id}"


class Task(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    assignee = models.ForeignKey(
        User, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="case_tasks"
    )
    due = models.DateField(_("due"))
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["done_at", "due", "pk"]
        indexes = [models.Index(fields=["assignee", "done_at", "due"], name="cases_task_due")]


class SavedSearch(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="saved_case_searches")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="cases_savedsearch_unique")
        ]

    def __str__(self) -> str:
        return self.name
