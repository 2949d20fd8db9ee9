"""Social protection for workers, and what follows a child into school.

Schemes (EOBI, the Punjab Employees Social Security Institution, the Benazir
Income Support Programme) are data. A worker's enrolment in a scheme moves
applied → registered → card issued, each step dated and in order.

After a withdrawn child is enrolled, the school's attendance is checked each
term; a check that says the child has dropped out raises an alert to the
district's officers (the scheduled job `labour_school_alerts`). Parents'
counselling and support given to the family are recorded beside it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ahtc.core.models import TimeStampedModel
from ahtc.labour.models.findings import ChildLabourFinding
from ahtc.labour.models.workplaces import Worker


class Scheme(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


EOBI = "eobi"


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("applied")
    REGISTERED = "registered", _("registered")
    CARD_ISSUED = "card_issued", _("card issued")


class SchemeEnrolment(TimeStampedModel):
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="schemes")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=EnrolmentStatus.choices)
    applied_on = models.DateField(_("applied on"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["worker", "scheme"], name="labour_scheme_once"),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | Q(registered_on__gte=F("applied_on")),
                name="labour_scheme_registered_after_applied",
            ),
            models.CheckConstraint(
                condition=Q(card_issued_on__isnull=True)
                | Q(registered_on__isnull=False, card_issued_on__gte=F("registered_on")),
                name="labour_scheme_card_after_registered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}/{self.worker_id}: {self.status}"


class Attendance(models.TextChoices):
    ATTENDING = "attending", _("attending regularly")
    IRREGULAR = "irregular", _("attending irregularly")
    DROPPED_OUT = "dropped_out", _("dropped out")


class AttendanceCheck(TimeStampedModel):
    finding = models.ForeignKey(
        ChildLabourFinding, on_delete=models.PROTECT, related_name="attendance_checks"
    )
    term = models.CharField(_("term"), max_length=20)
    checked_on = models.DateField(_("checked on"))
    status = models.CharField(_("attendance"), max_length=20, choices=Attendance.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set by the scheduled job once the officers are told of a dropout.
    alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["checked_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "term"], name="labour_attendance_per_term")
        ]
        indexes = [
            models.Index(
                fields=["status"],
                condition=Q(alerted_at__isnull=True, status="dropped_out"),
                name="labour_dropout_unalerted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding_id}/{self.term}: {self.status}"


class SupportKind(models.TextChoices):
    COUNSELLING = "counselling", _("parents counselled")
    CASH = "cash", _("cash support (e.g. Benazir Income Support)")
    SCHOOL_COSTS = "school_costs", _("uniform, books or fees")
    LIVELIHOOD = "livelihood", _("livelihood or skills for a parent")


class FamilySupport(TimeStampedModel):
    finding = models.ForeignKey(
        ChildLabourFinding, on_delete=models.PROTECT, related_name="family_support"
    )
    kind = models.CharField(_("support"), max_length=20, choices=SupportKind.choices)
    given_on = models.DateField(_("given on"))
    given_by = models.CharField(_("given by (office)"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["given_on", "pk"]

    def __str__(self) -> str:
        return f"{self.finding_id}: {self.kind}"
