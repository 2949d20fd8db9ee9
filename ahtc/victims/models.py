"""Victim protection: one record per victim, support plans, referrals to
services, follow-ups, re-trafficking risk, families of missing migrants,
compensation. Field names and value lists follow HTCDS v2 (vic_, spl_).

Identity lives in `people.Person` (encrypted). Screens show the record's
pseudonymous number unless the user's role and a referral need the identity.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.accounts.models import Organisation
from ahtc.core.fields import EncryptedTextField
from ahtc.core.models import TimeStampedModel
from ahtc.geography.models import Area
from ahtc.people.models import Person

User = settings.AUTH_USER_MODEL


class TraffickingStatus(models.TextChoices):
    POSSIBLE = "PossibleVictimOfTrafficking", _("possible victim of trafficking")
    ACTUAL = "ActualVictimOfTrafficking", _("victim of trafficking")
    NOT_A_VICTIM = "NotAVictimOfTrafficking", _("not a victim of trafficking")


class DecidingOrganisation(models.TextChoices):
    POLICE = "Police", _("police")
    NGO = "NGO", _("NGO")
    COURT = "CourtOrProsecution", _("court or prosecution")
    GOVERNMENT = "NonPoliceGovernmentalOrganization", _("other government body")
    OTHER = "Other", _("other")


class Exploitation(models.TextChoices):
    FORCED_LABOUR = "ForcedLabour", _("forced labour")
    SEXUAL = "SexualExploitation", _("sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("forced marriage")
    SERVITUDE = "Servitude", _("servitude")
    ORGAN_REMOVAL = "OrganRemoval", _("organ removal")
    FORCED_BEGGING = "ForcedBegging", _("forced begging")
    OTHER = "Other", _("other")


class ControlMethod(models.TextChoices):
    PHYSICAL_THREATS = "PhysicalThreats", _("threats of violence")
    THREATS_LAW = "ThreatsLawEnforcement", _("threats of the police or deportation")
    THREATENS_FAMILY = "ThreatensChildrenFamily", _("threats to children or family")
    DEBT_BONDAGE = "DebtBondage", _("debt bondage")
    FALSE_PROMISES = "FalsePromises", _("false promises")
    PHYSICAL_ABUSE = "PhysicalAbuse", _("physical abuse")
    SEXUAL_ABUSE = "SexualAbuse", _("sexual abuse")
    TAKES_EARNINGS = "TakesEarnings", _("takes earnings")
    RESTRICTS_MOVEMENT = "WithholdsNecessities", _("withholds food, rest or movement")
    PSYCHOLOGICAL = "PsychologicalAbuse", _("psychological abuse")
    EXCESSIVE_HOURS = "ExcessiveWorkingHours", _("excessive working hours")
    WITHHOLDS_DOCUMENTS = "WithholdsDocuments", _("withholds documents")
    OTHER = "Other", _("other")


class RecruitmentMethod(models.TextChoices):
    BUSINESS = "AtAPlaceOfBusiness", _("at a place of business (e.g. a travel agency)")
    WORK = "AtWork", _("at work")
    ONLINE = "ThroughOnlineSocialNetworks", _("through social media")
    ADVERT = "ThroughAnOnlineAdvertisement", _("through an advertisement")
    FAMILY = "ThroughFamilyOrFamilyEvents", _("through family")
    FRIENDS = "ThroughFriendsOrSocialEvents", _("through friends or neighbours")
    OTHER = "Other", _("other")


class Relationship(models.TextChoices):
    FAMILIAL = "Familial", _("family")
    ACQUAINTED = "Acquainted", _("known to them")
    UNACQUAINTED = "Unaquainted", _("a stranger")


class ProtectionRecord(TimeStampedModel):
    """One per victim (person). The number is what every screen shows."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="protection")
    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("victim number"), max_length=30, editable=False)
    trafficking_status = models.CharField(
        _("trafficking status"),
        max_length=40,
        choices=TraffickingStatus.choices,
        default=TraffickingStatus.POSSIBLE,
    )
    status_decided_by = models.CharField(
        _("status decided by"),
        max_length=40,
        choices=DecidingOrganisation.choices,
        default=DecidingOrganisation.POLICE,
    )
    exploitation = models.JSONField(_("types of exploitation"), default=list, blank=True)
    control_methods = models.JSONField(_("means of control"), default=list, blank=True)
    recruitment_method = models.CharField(
        _("how recruited"), max_length=40, choices=RecruitmentMethod.choices, blank=True
    )
    recruitment_place = models.CharField(_("where recruited"), max_length=200, blank=True)
    relationship = models.CharField(
        _("relationship to the trafficker"), max_length=20, choices=Relationship.choices, blank=True
    )
    child = models.BooleanField(_("a child (under 18)"), default=False)
    age_evidence = models.CharField(_("evidence of age"), max_length=20, blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    # A photograph, re-encoded (no EXIF or GPS) and stored encrypted outside the web root.
    photo_name = models.CharField(max_length=64, blank=True, editable=False)
    identity_withheld = models.BooleanField(
        _("identity withheld (media-sensitive)"),
        default=False,
        help_text=_("Never shown outside the cell, even where a referral would need it."),
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="victims_record_unique_number")
        ]
        # Monitoring: victims identified in a period (issue 13).
        indexes = [models.Index(fields=["created_at"], name="victims_record_created_idx")]

    def __str__(self) -> str:
        return self.number


class RecordCounter(models.Model):
    """Last victim number per district and year."""

    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="victims_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.district_id}/{self.year}: {self.last}"


class ServiceType(models.TextChoices):
    """HTCDS support-plan types, with shelter and psychosocial care named apart."""

    HEALTH = "Health", _("health care")
    PSYCHOSOCIAL = "Psychosocial", _("psychological and social care")
    SHELTER = "Shelter", _("shelter")
    LEGAL = "Legal", _("legal aid")
    EDUCATION = "Education", _("education (school enrolment)")
    LIVELIHOOD = "Livelihood", _("livelihood and vocational training")
    FINANCIAL = "Financial", _("financial support")
    SOCIAL_CARE = "SocialCare", _("social care (child protection, social welfare)")


class ProviderProfile(models.Model):
    """An organisation in the service directory: what it offers and how to reach it."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="provider"
    )
    services = models.JSONField(_("services"), default=list)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=150, blank=True)
    hours = models.CharField(_("opening hours"), max_length=150, blank=True)
    accepts_children = models.BooleanField(_("accepts children"), default=True)

    def __str__(self) -> str:
        return f"provider {self.organisation_id}"


class NeedsAssessment(models.Model):
    """What the victim needs, assessed with them; each new need starts a plan item."""

    record = models.ForeignKey(ProtectionRecord, on_delete=models.CASCADE, related_name="needs")
    needs = models.JSONField(_("needs"), default=list)
    note = EncryptedTextField(_("note"), blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"needs of {self.record_id}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class SupportPlanItem(TimeStampedModel):
    """One objective of the support plan (HTCDS spl_)."""

    record = models.ForeignKey(ProtectionRecord, on_delete=models.CASCADE, related_name="plan")
    service = models.CharField(_("type of support"), max_length=20, choices=ServiceType.choices)
    # Blank for the items a needs assessment opens: the service says it all.
    objective = models.CharField(_("objective"), max_length=300, blank=True)
    planned_end = models.DateField(_("planned end"))
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED
    )
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["planned_end", "pk"]

    def __str__(self) -> str:
        return f"{self.service} for {self.record_id}"


class ServiceConsent(models.Model):
    """The victim's consent to be referred for a service, to one provider or to any.

    `identity` says whether the provider may see who the victim is (name,
    phone); without it the provider sees the victim number, age and needs.
    """

    record = models.ForeignKey(ProtectionRecord, on_delete=models.CASCADE, related_name="consents")
    service = models.CharField(_("for"), max_length=20, choices=ServiceType.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("provider (empty = any provider of this service)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    identity = models.BooleanField(_("the provider may know who they are"), default=False)
    method = models.CharField(_("how given"), max_length=20)
    given_on = models.DateField(_("date given"))
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"consent {self.service} of {self.record_id}"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("draft: not sent")
    SENT = "sent", _("sent: waiting for the provider")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    DELIVERED = "delivered", _("service delivered")
    CLOSED = "closed", _("closed")


OPEN_REFERRAL = [ReferralStatus.SENT, ReferralStatus.ACCEPTED]


class Referral(TimeStampedModel):
    record = models.ForeignKey(ProtectionRecord, on_delete=models.PROTECT, related_name="referrals")
    provider = models.ForeignKey(
        Organisation, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="referrals"
    )
    service = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    needs = models.CharField(_("what the victim needs"), max_length=500)
    identity_needed = models.BooleanField(
        _("the provider needs to know who the victim is"), default=False
    )
    status = models.CharField(
        max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    respond_by = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(_("reason for rejecting"), max_length=500, blank=True)
    delivered_on = models.DateField(_("service delivered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    consent_overridden = models.BooleanField(default=False)
    referred_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["provider", "status"], name="victims_referral_provider"),
            # Monitoring: referrals completed in a period (issue 13).
            models.Index(fields=["delivered_on"], name="victims_referral_delivered"),
        ]

    def __str__(self) -> str:
        return f"referral {self.pk}"


class FollowUp(models.Model):
    record = models.ForeignKey(
        ProtectionRecord, on_delete=models.CASCADE, related_name="follow_ups"
    )
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["done_on", "due"], name="victims_followup_due")]

    def __str__(self) -> str:
        return f"follow-up {self.due} of {self.record_id}"


class RiskFactor(models.TextChoices):
    DEBT = "debt", _("debt to the trafficker or agent remains")
    AT_LARGE = "at_large", _("the trafficker or agent is at large")
    NO_INCOME = "no_income", _("no income in the household")
    WANTS_TO_MIGRATE = "wants_to_migrate", _("wants to go abroad again")
    FAMILY_INVOLVED = "family_involved", _("family member involved in the trafficking")
    OUT_OF_SCHOOL = "out_of_school", _("a child out of school")
    PREVIOUSLY_TRAFFICKED = "previously_trafficked", _("trafficked before")
    THREATS = "threats", _("threats received since rescue")


class RiskLevel(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class RiskAssessment(models.Model):
    record = models.ForeignKey(ProtectionRecord, on_delete=models.CASCADE, related_name="risks")
    factors = models.JSONField(_("factors"), default=list)
    level = models.CharField(_("risk of re-trafficking"), max_length=10, choices=RiskLevel.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"risk {self.level} of {self.record_id}"


class VictimIndicator(models.Model):
    """Keyed hash of the victim's phone, comparable with citizen-report indicators."""

    record = models.ForeignKey(ProtectionRecord, on_delete=models.CASCADE, related_name="+")
    value_hash = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return f"indicator of {self.record_id}"


class AlertSource(models.TextChoices):
    CASE = "case", _("named in another case")
    TIP = "tip", _("phone number in a new citizen report")


class ReappearanceAlert(models.Model):
    """A known victim appears again: a possible sign of re-trafficking."""

    record = models.ForeignKey(ProtectionRecord, on_delete=models.CASCADE, related_name="alerts")
    source = models.CharField(max_length=10, choices=AlertSource.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    tip = models.ForeignKey(
        "portal.Tip", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False) | Q(tip__isnull=False),
                name="victims_alert_has_source",
            )
        ]

    def __str__(self) -> str:
        return f"alert {self.source} for {self.record_id}"


class FamilySupportKind(models.TextChoices):
    MEETING = "meeting", _("meeting with the family")
    INFORMATION = "information", _("information about the search or identification")
    DNA = "dna", _("DNA sample for identification")
    REPATRIATION = "repatriation", _("help with repatriation of remains")
    LEGAL = "legal", _("legal aid (complaint against the agent)")
    FINANCIAL = "financial", _("financial support")
    PSYCHOSOCIAL = "psychosocial", _("psychological support")


class MigrantFate(models.TextChoices):
    MISSING = "missing", _("missing")
    DECEASED = "deceased", _("deceased")
    FOUND = "found", _("found")


# Where a migrant's fate may go next. Leaving "deceased" corrects a wrong
# identification and needs a reason (victims.services.migrant_fate_set).
FATE_TRANSITIONS: dict[str, frozenset[str]] = {
    MigrantFate.MISSING: frozenset({MigrantFate.DECEASED, MigrantFate.FOUND}),
    MigrantFate.FOUND: frozenset({MigrantFate.MISSING, MigrantFate.DECEASED}),
    MigrantFate.DECEASED: frozenset({MigrantFate.MISSING, MigrantFate.FOUND}),
}


class MissingMigrant(TimeStampedModel):
    """One migrant missing or dead abroad, with one fate however many relatives
    come forward: the families point here, so the same migrant cannot be
    'missing' to one relative and 'deceased' to another."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="missing_migrants"
    )
    number = models.PositiveSmallIntegerField(editable=False)
    label = models.CharField(
        _("how the cell tells them apart (no name)"), max_length=100, blank=True
    )
    fate = models.CharField(
        _("the migrant is"), max_length=10, choices=MigrantFate.choices, default="missing"
    )
    fate_on = models.DateField(_("since"), null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="victims_migrant_unique_number")
        ]

    def __str__(self) -> str:
        return self.pseudonym

    @property
    def pseudonym(self) -> str:
        return f"{self.case.reference}-M{self.number}"


class MigrantFateChange(models.Model):
    migrant = models.ForeignKey(
        MissingMigrant, on_delete=models.CASCADE, related_name="fate_changes"
    )
    from_fate = models.CharField(max_length=10, choices=MigrantFate.choices)
    to_fate = models.CharField(max_length=10, choices=MigrantFate.choices)
    on = models.DateField(_("date"))
    reason = EncryptedTextField(_("reason"), blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["migrant", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.migrant_id}: {self.from_fate} -> {self.to_fate}"


class MissingMigrantFamily(TimeStampedModel):
    """The family of a migrant missing or dead abroad (e.g. a boat tragedy)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="families")
    # Nullable in the database only for rows older than MissingMigrant; every
    # family is added with its migrant (services.family_add).
    migrant = models.ForeignKey(
        MissingMigrant,
        verbose_name=_("migrant"),
        null=True,
        on_delete=models.PROTECT,
        related_name="families",
    )
    contact_name = EncryptedTextField(_("family contact"))
    relation = models.CharField(_("relation to the migrant"), max_length=100)
    phone = EncryptedTextField(_("phone"), blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"family {self.pk} in case {self.case_id}"

    @property
    def migrant_fate(self) -> str:
        return self.migrant.fate if self.migrant else ""

    def get_migrant_fate_display(self) -> str:
        return str(MigrantFate(self.migrant.fate).label) if self.migrant else ""


class FamilySupport(models.Model):
    family = models.ForeignKey(
        MissingMigrantFamily, on_delete=models.CASCADE, related_name="support"
    )
    kind = models.CharField(_("support"), max_length=20, choices=FamilySupportKind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} for family {self.family_id}"


class CompensationSource(models.TextChoices):
    COURT = "court", _("court order (s.545 CrPC)")
    FUND = "fund", _("government victim fund")
    EMPLOYER = "employer", _("wages recovered from the employer")
    OTHER = "other", _("other")


class Compensation(TimeStampedModel):
    record = models.ForeignKey(
        ProtectionRecord, on_delete=models.CASCADE, related_name="compensation"
    )
    source = models.CharField(_("source"), max_length=20, choices=CompensationSource.choices)
    ordered_pkr = models.PositiveBigIntegerField(_("ordered (PKR)"), null=True, blank=True)
    applied_on = models.DateField(_("applied for on"), null=True, blank=True)
    paid_pkr = models.PositiveBigIntegerField(_("paid (PKR)"), default=0)
    paid_on = models.DateField(_("last paid on"), null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"compensation {self.source} for {self.record_id}"


class ReleaseStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class IdentityRelease(models.Model):
    """A request to lift a record's identity-withheld flag. Four eyes: one
    person asks, another (a cell head of the district) decides; until then the
    flag stays set (DESIGN.md, access model: "four eyes where harm is
    irreversible")."""

    record = models.ForeignKey(
        ProtectionRecord, on_delete=models.CASCADE, related_name="identity_releases"
    )
    reason = EncryptedTextField(_("why lift the flag"))
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=ReleaseStatus.choices, default=ReleaseStatus.PENDING
    )
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(status="pending"),
                name="victims_release_one_pending_per_record",
            ),
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("requested_by")),
                name="victims_release_not_own_request",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
                name="victims_release_decided_with_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"identity release {self.pk} of {self.record_id}: {self.status}"
