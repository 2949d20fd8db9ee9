"""Inspections with the SOP checklist, notices with deadlines, and what comes next.

The cell's rules, from its practice in Mandi Bahauddin: unregistered agencies
are served a notice to register or stop within a deadline; registered ones
must display the list of employees, the licence, an advisory against fraud
and the schedule of fees, and keep records of clients. A failed inspection is
re-inspected (after REINSPECT_DAYS unless the officer sets the day).

An overdue notice (deadline passed, no compliance) has a next step:
1. re-inspect, if no inspection happened after the deadline;
2. request sealing, if that inspection failed or the agency is still
   unlicensed, and the agency is not sealed yet;
3. open a case, once it is sealed (or under prosecution) and still not complying.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ahtc.accounts.models import User
from ahtc.agencies.models import (
    Agency,
    AgencyStatus,
    Inspection,
    NextStep,
    Notice,
    NoticeKind,
)
from ahtc.agencies.services import (
    AgencyError,
    agency_status_set,
    audit,
    check_day,
    has_valid_licence,
)
from ahtc.core.models import AuditAction

REINSPECT_DAYS = 30
MAX_DEADLINE_DAYS = 180
S = AgencyStatus


class ComplianceOutcome:
    REGISTERED = "registered"
    STOPPED = "stopped"
    COMPLIED = "complied"


@transaction.atomic
def inspection_record(
    *,
    agency: Agency,
    by: User,
    on: dt.date,
    employee_list_displayed: bool,
    licence_displayed: bool,
    fraud_advisory_displayed: bool,
    fee_schedule_displayed: bool,
    records_kept: bool,
    findings: str = "",
    reinspect_on: dt.date | None = None,
) -> Inspection:
    """One visit. A failed one without a re-inspection day gets one REINSPECT_DAYS on."""
    check_day(on)
    if reinspect_on is not None and reinspect_on <= on:
        raise AgencyError(_("The re-inspection is after the inspection."))
    inspection = Inspection(
        agency=agency,
        on=on,
        by=by,
        employee_list_displayed=employee_list_displayed,
        licence_displayed=licence_displayed,
        fraud_advisory_displayed=fraud_advisory_displayed,
        fee_schedule_displayed=fee_schedule_displayed,
        records_kept=records_kept,
        findings=findings.strip(),
        reinspect_on=reinspect_on,
    )
    if not inspection.passed and reinspect_on is None:
        inspection.reinspect_on = on + dt.timedelta(days=REINSPECT_DAYS)
    inspection.save()
    result = "passed" if inspection.passed else "failed"
    audit(by, agency, f"inspection recorded ({result})", AuditAction.CREATE)
    return inspection


@transaction.atomic
def notice_serve(
    *,
    agency: Agency,
    by: User,
    kind: str,
    served_on: dt.date,
    deadline: dt.date,
    requirement: str = "",
) -> Notice:
    """Serve a notice. A notice to register or stop moves an unregistered (or
    lapsed) agency to "notice served"."""
    check_day(served_on)
    if agency.status == S.CLOSED:
        raise AgencyError(_("The agency is closed: there is no one to serve."))
    if deadline <= served_on:
        raise AgencyError(_("The deadline is after the day the notice is served."))
    if deadline > served_on + dt.timedelta(days=MAX_DEADLINE_DAYS):
        raise AgencyError(_("A deadline is at most 180 days after the notice."))
    if kind == NoticeKind.REGISTER_OR_STOP and has_valid_licence(agency, served_on):
        raise AgencyError(_("The agency holds a valid licence: serve another kind of notice."))
    notice = Notice.objects.create(
        agency=agency,
        kind=kind,
        served_on=served_on,
        deadline=deadline,
        requirement=requirement.strip()[:300],
        served_by=by,
    )
    audit(by, agency, f"notice served ({kind})", AuditAction.CREATE)
    if kind == NoticeKind.REGISTER_OR_STOP and agency.status in (
        S.UNREGISTERED,
        S.LICENSED,
        S.REGISTERED_AFTER_NOTICE,
    ):
        agency_status_set(
            agency=agency, by=by, to_status=S.NOTICE_SERVED, on=served_on, reason="notice served"
        )
    return notice


@transaction.atomic
def notice_comply(
    *, notice: Notice, by: User, complied_on: dt.date, outcome: str, note: str = ""
) -> Notice:
    """Record compliance. To a notice to register or stop, the agency either
    registered (a valid licence is needed: "registered after notice") or
    stopped business ("closed"); to other notices it complied."""
    notice = Notice.objects.select_for_update().select_related("agency__district").get(pk=notice.pk)
    if notice.complied_on is not None:
        raise AgencyError(_("Compliance with this notice is already recorded."))
    check_day(complied_on, after=notice.served_on, what=_("the notice"))
    agency = notice.agency
    register_or_stop = notice.kind == NoticeKind.REGISTER_OR_STOP
    if register_or_stop and outcome not in (
        ComplianceOutcome.REGISTERED,
        ComplianceOutcome.STOPPED,
    ):
        raise AgencyError(_("Say whether the agency registered or stopped business."))
    if outcome == ComplianceOutcome.REGISTERED:
        if not has_valid_licence(agency, complied_on):
            raise AgencyError(_("Record the agency's new licence first."))
        _move(agency, by, S.REGISTERED_AFTER_NOTICE, complied_on)
    elif outcome == ComplianceOutcome.STOPPED:
        _move(agency, by, S.CLOSED, complied_on)
    notice.complied_on, notice.compliance_note = complied_on, note.strip()[:300]
    notice.save(update_fields=["complied_on", "compliance_note", "updated_at"])
    audit(by, agency, f"notice complied ({outcome})")
    return notice


def _move(agency: Agency, by: User, to_status: str, on: dt.date) -> None:
    if agency.status != to_status:
        agency_status_set(agency=agency, by=by, to_status=to_status, on=on, reason="notice")


@dataclass(frozen=True)
class NoticeState:
    overdue: bool
    next_step: NextStep
    days_late: int


def notice_state(notice: Notice, agency: Agency, *, today: dt.date | None = None) -> NoticeState:
    """Where a notice stands and what the cell does next (the module's rules).
    `agency.inspections` is read in full: prefetch it on lists."""
    today = today or timezone.localdate()
    if notice.complied_on is not None:
        return NoticeState(False, NextStep.NONE, 0)
    if not notice.overdue_on(today):
        return NoticeState(False, NextStep.WAIT, 0)
    late = (today - notice.deadline).days
    after = [i for i in agency.inspections.all() if i.on > notice.deadline]
    if not after:
        return NoticeState(True, NextStep.REINSPECT, late)
    if agency.status in (S.SEALED, S.UNDER_PROSECUTION):
        return NoticeState(True, NextStep.CASE, late)
    latest = max(after, key=lambda i: (i.on, i.pk))
    if not latest.passed or not has_valid_licence(agency, today):
        return NoticeState(True, NextStep.SEALING, late)
    return NoticeState(True, NextStep.RECORD_COMPLIANCE, late)
