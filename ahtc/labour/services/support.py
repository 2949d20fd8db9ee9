"""Writes for social protection and for children after school enrolment.

A scheme enrolment moves applied → registered → card issued, dated in order.
Attendance is checked once per term after a child is enrolled; a dropout is
told to the district's officers by the scheduled job (`dropouts_alert`), by
count and link only (docs/notifications.md).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.core.models import AuditAction
from ahtc.labour.models import (
    Attendance,
    AttendanceCheck,
    ChildLabourFinding,
    EnrolmentStatus,
    FamilySupport,
    Scheme,
    SchemeEnrolment,
    SupportKind,
    Worker,
)
from ahtc.labour.services._common import LabourError, audit, check_day


@transaction.atomic
def scheme_apply(
    *, worker: Worker, scheme: Scheme, by: User, applied_on: dt.date
) -> SchemeEnrolment:
    check_day(applied_on, after=worker.recorded_on, what=_("the day the worker was recorded"))
    if SchemeEnrolment.objects.filter(worker=worker, scheme=scheme).exists():
        raise LabourError(_("This worker has already applied to this scheme."))
    enrolment = SchemeEnrolment.objects.create(
        worker=worker,
        scheme=scheme,
        status=EnrolmentStatus.APPLIED,
        applied_on=applied_on,
        recorded_by=by,
    )
    audit(by, enrolment, worker.district, f"applied: {scheme.code}", AuditAction.CREATE)
    return enrolment


@transaction.atomic
def scheme_advance(
    *, enrolment: SchemeEnrolment, by: User, status: str, on: dt.date
) -> SchemeEnrolment:
    """The next step: registered (after applied), card issued (after registered)."""
    enrolment = SchemeEnrolment.objects.select_for_update().get(pk=enrolment.pk)
    step = EnrolmentStatus(status)
    if step == EnrolmentStatus.REGISTERED and enrolment.status == EnrolmentStatus.APPLIED:
        check_day(on, after=enrolment.applied_on, what=_("the application"))
        enrolment.registered_on = on
    elif step == EnrolmentStatus.CARD_ISSUED and enrolment.status == EnrolmentStatus.REGISTERED:
        assert enrolment.registered_on is not None  # noqa: S101 - set with the status
        check_day(on, after=enrolment.registered_on, what=_("the registration"))
        enrolment.card_issued_on = on
    else:
        raise LabourError(_("That is not the next step for this registration."))
    enrolment.status = step
    enrolment.save(update_fields=["status", "registered_on", "card_issued_on", "updated_at"])
    district = Worker.objects.get(pk=enrolment.worker_id).district
    audit(by, enrolment, district, f"scheme status: {step}", AuditAction.UPDATE)
    return enrolment


@transaction.atomic
def attendance_record(
    *, finding: ChildLabourFinding, by: User, term: str, checked_on: dt.date, status: str
) -> AttendanceCheck:
    """One term's attendance of an enrolled child (by the cell or the school)."""
    finding = ChildLabourFinding.objects.select_for_update().get(pk=finding.pk)
    if finding.enrolled_on is None:
        raise LabourError(_("Record the school enrolment first."))
    Attendance(status)
    term = term.strip()
    if not term:
        raise LabourError(_("Name the term, for example 2025-T2."))
    check_day(checked_on, after=finding.enrolled_on, what=_("the enrolment"))
    if AttendanceCheck.objects.filter(finding=finding, term=term).exists():
        raise LabourError(_("This term's attendance is already recorded for the child."))
    check = AttendanceCheck.objects.create(
        finding=finding, term=term, checked_on=checked_on, status=status, recorded_by=by
    )
    audit(by, check, finding.district, f"attendance: {status}", AuditAction.CREATE)
    return check


@transaction.atomic
def family_support_record(
    *, finding: ChildLabourFinding, by: User, kind: str, given_on: dt.date, given_by: str
) -> FamilySupport:
    SupportKind(kind)
    check_day(given_on, after=finding.found_on, what=_("the day the child was found"))
    if not given_by.strip():
        raise LabourError(_("Say which office gave the support."))
    support = FamilySupport.objects.create(
        finding=finding, kind=kind, given_on=given_on, given_by=given_by.strip(), recorded_by=by
    )
    audit(by, support, finding.district, f"family support: {kind}", AuditAction.CREATE)
    return support


def dropouts_alert(*, now: Any = None) -> int:
    """Tell each district's officers of each dropout not yet told; once per
    check. Returns how many dropouts were told. Run by the scheduled job."""
    from ahtc.notifications.models import NotificationKind
    from ahtc.notifications.services import notify, users_with_perms

    now = now or timezone.now()
    link = reverse("cell:labour:list") + "?stage=dropped_out"
    told = 0
    pending = AttendanceCheck.objects.filter(
        status=Attendance.DROPPED_OUT, alerted_at__isnull=True
    ).select_related("finding__district")
    for check in pending:
        with transaction.atomic():
            officers = users_with_perms([Perm.MANAGE_CASES], area=check.finding.district)
            notify(kind=NotificationKind.SCHOOL_DROPOUTS, recipients=officers, link=link)
            AttendanceCheck.objects.filter(pk=check.pk).update(alerted_at=now)
            told += 1
    return told
