"""Travel agencies and overseas employment promoters: the registry and its enforcement.

An agency belongs to the district whose cell registers and inspects it (its
head office's district); staff see agencies through that district
(agencies/selectors.py). Owners and staff are `people.Person` rows (names
encrypted); the public verification page shows only the public facts kept
here in plain text: the agency's names, licences (number, authority,
validity, holder as printed on the licence), status and address.

Cases and citizen reports are linked through tables of this app
(`AgencyParty`, `AgencyReport`), so the cases and portal models stay as they
are.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import TimeStampedModel
from ahtc.core.scan import original_sha256_field, scan_status_field
from ahtc.geography.models import Area
from ahtc.people.models import Person


class AgencyKind(models.TextChoices):
    PROMOTER = "promoter", _("overseas employment promoter")
    TRAVEL_AGENT = "travel_agent", _("travel agent")
    VISA_CONSULTANT = "visa_consultant", _("visa consultant")
    UNREGISTERED = "unregistered_operator", _("unregistered operator")
    OTHER = "other", _("other")


class AgencyStatus(models.TextChoices):
    LICENSED = "licensed", _("licensed")
    UNREGISTERED = "unregistered", _("unregistered")
    NOTICE_SERVED = "notice_served", _("notice served")
    REGISTERED_AFTER_NOTICE = "registered_after_notice", _("registered after notice")
    CLOSED = "closed", _("closed")
    SEALED = "sealed", _("sealed")
    UNDER_PROSECUTION = "under_prosecution", _("under prosecution")


class Authority(models.TextChoices):
    BEOE = "beoe", _("Bureau of Emigration and Overseas Employment (promoter licence)")
    DTS = "dts", _("Department of Tourist Services (travel agency licence)")
    IATA = "iata", _("IATA accreditation")
    OTHER = "other", _("other authority")


class Agency(TimeStampedModel):
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
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    # name_key: names.name_key of the English name, for duplicate checks.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    status = models.CharField(_("status"), max_length=30, choices=AgencyStatus.choices)
    status_since = models.DateField(_("status since"))
    address = models.CharField(_("address"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name_key"], name="agencies_agency_unique_name"
            )
        ]
        indexes = [models.Index(fields=["district", "status"], name="agencies_district_status")]

    def __str__(self) -> str:
        return self.name_en


class FormerName(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("former name"), max_length=200)
    until = models.DateField(_("used until"), null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class SearchKey(models.Model):
    """One sound key (names.search_keys) of one of an agency's names or of a
    licence holder's name: how the public search finds candidates."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="search_keys")
    key = models.CharField(max_length=60, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "key"], name="agencies_searchkey_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Licence(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="licences")
    number = models.CharField(_("licence number"), max_length=60)
    number_key = models.CharField(max_length=60, editable=False, db_index=True)
    authority = models.CharField(_("issued by"), max_length=20, choices=Authority.choices)
    holder_name = models.CharField(
        _("licence holder (as printed on the licence)"), max_length=200, blank=True
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"))
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_to"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "number_key"], name="agencies_licence_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__gte=F("valid_from")), name="agencies_licence_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def valid_on(self, day: dt.date) -> bool:
        cancelled = self.cancelled_on is not None and self.cancelled_on <= day
        return self.valid_from <= day <= self.valid_to and not cancelled


class StatusChange(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=30, choices=AgencyStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=AgencyStatus.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.from_status} → {self.to_status}"


class StaffRole(models.TextChoices):
    OWNER = "owner", _("owner")
    PARTNER = "partner", _("partner")
    MANAGER = "manager", _("manager")
    STAFF = "staff", _("staff")
    SUB_AGENT = "sub_agent", _("sub-agent")


class AgencyPerson(models.Model):
    """An owner or member of staff: a person of the people registry."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="agency_roles")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "person", "role"], name="agencies_person_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} of {self.agency_id}"


class Phone(models.Model):
    """An office phone of the agency, E.164 (people/normalise.py)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("phone"), max_length=20, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="agencies_phone_unique")
        ]

    def __str__(self) -> str:
        return self.number


class Branch(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="branches")
    tehsil = models.ForeignKey(
        Area, verbose_name=_("tehsil"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    def __str__(self) -> str:
        return self.address


# --- enforcement -------------------------------------------------------------------------

CHECKLIST = (
    "employee_list_displayed",
    "licence_displayed",
    "fraud_advisory_displayed",
    "fee_schedule_displayed",
    "records_kept",
)


class Inspection(TimeStampedModel):
    """A visit with the SOP checklist; it passes when every item is met."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="inspections")
    on = models.DateField(_("inspected on"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    employee_list_displayed = models.BooleanField(_("list of employees displayed"))
    licence_displayed = models.BooleanField(_("licence displayed"))
    fraud_advisory_displayed = models.BooleanField(_("advisory against fraud displayed"))
    fee_schedule_displayed = models.BooleanField(_("schedule of fees displayed"))
    records_kept = models.BooleanField(_("records of clients kept"))
    findings = models.TextField(_("findings"), blank=True)
    reinspect_on = models.DateField(_("re-inspect on"), null=True, blank=True)

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reinspect_on__isnull=True) | Q(reinspect_on__gt=F("on")),
                name="agencies_inspection_reinspect_after",
            )
        ]
        indexes = [models.Index(fields=["agency", "on"], name="agencies_inspection_on")]

    def __str__(self) -> str:
        return f"inspection {self.pk} of {self.agency_id}"

    @property
    def passed(self) -> bool:
        return all(getattr(self, item) for item in CHECKLIST)

    def missing(self) -> list[str]:
        fields = {f.name: f for f in self._meta.fields}
        return [str(fields[item].verbose_name) for item in CHECKLIST if not getattr(self, item)]


class InspectionPhoto(models.Model):
    """A finding of an inspection with its photograph: re-encoded (no EXIF or
    GPS) and sealed in storage like victims' photographs (portal/files.py)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="photos")
    finding = models.CharField(_("finding"), max_length=300)
    stored_name = models.CharField(max_length=64, editable=False)
    original_sha256 = original_sha256_field()
    scan_status = scan_status_field()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return f"photo {self.pk} of inspection {self.inspection_id}"


class NoticeKind(models.TextChoices):
    REGISTER_OR_STOP = "register_or_stop", _("register or stop business")
    DISPLAY_RULES = "display_rules", _("display the licence, employee list and advisories")
    SHOW_CAUSE = "show_cause", _("show cause")


class NextStep(models.TextChoices):
    NONE = "none", _("none")
    WAIT = "wait", _("wait for the deadline")
    REINSPECT = "reinspect", _("re-inspect")
    SEALING = "sealing", _("request sealing")
    CASE = "case", _("open a case")
    RECORD_COMPLIANCE = "record_compliance", _("record compliance: the last inspection passed")


class Notice(TimeStampedModel):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("notice"), max_length=30, choices=NoticeKind.choices)
    served_on = models.DateField(_("served on"))
    deadline = models.DateField(_("deadline"))
    requirement = models.CharField(_("what is required"), max_length=300, blank=True)
    complied_on = models.DateField(_("complied on"), null=True, blank=True)
    compliance_note = models.CharField(_("how it complied"), max_length=300, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the district's officers were told the deadline passed (tasks.py).
    overdue_notified = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("served_on")), name="agencies_notice_deadline_after"
            ),
            models.CheckConstraint(
                condition=Q(complied_on__isnull=True) | Q(complied_on__gte=F("served_on")),
                name="agencies_notice_complied_after",
            ),
        ]

    def __str__(self) -> str:
        return f"notice {self.pk} to {self.agency_id}"

    def overdue_on(self, day: dt.date) -> bool:
        return self.complied_on is None and self.deadline < day


# --- links to cases and reports ---------------------------------------------------------


class LinkMethod(models.TextChoices):
    MANUAL = "manual", _("linked by an officer")
    MIGRATED = "migrated", _("matched by name when the registry was created")
    DEMO = "demo", _("demo data")


class _Link(models.Model):
    """How a record came to be linked to an agency, by whom and when."""

    method = models.CharField(max_length=20, choices=LinkMethod.choices)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class _StaffLink(_Link):
    """A link that may also name the member of the agency's staff."""

    staff = models.ForeignKey(
        AgencyPerson,
        verbose_name=_("member of staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class AgencyParty(_StaffLink):
    """A case party (a broker or travel agent) that is this agency, or one of its staff."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="case_parties")
    party = models.OneToOneField(
        "cases.Party", on_delete=models.CASCADE, related_name="agency_link"
    )

    def __str__(self) -> str:
        return f"party {self.party_id} is agency {self.agency_id}"


class AgencyReport(_Link):
    """A citizen report (a complaint) about this agency."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="reports")
    tip = models.ForeignKey("portal.Tip", on_delete=models.CASCADE, related_name="agency_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "tip"], name="agencies_report_unique")
        ]

    def __str__(self) -> str:
        return f"report {self.tip_id} about agency {self.agency_id}"


class AgencyRecruit(_StaffLink):
    """A victim's recruiter chosen from the registry: the agency (and the
    member of its staff) that recruited the person of a protection record.
    Kept here, like AgencyParty, so the victims models stay as they are."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="recruits")
    record = models.OneToOneField(
        "victims.ProtectionRecord", on_delete=models.CASCADE, related_name="recruiter_link"
    )

    def __str__(self) -> str:
        return f"record {self.record_id} recruited by agency {self.agency_id}"


# --- imports -----------------------------------------------------------------------------


class ImportStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class AgencyImport(TimeStampedModel):
    """A file of agencies being read by a worker, with its progress and, per
    row, what was rejected and why (texts stored in English, shown translated)."""

    district = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField(editable=False)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.WAITING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    rejections = models.JSONField(default=list)
    error = models.CharField(max_length=300, blank=True)
    # The background job (jobs.Job) that reads the file: listed in /cell/jobs/.
    job_id = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk}"
