"""The committee's monthly and two-monthly report: generated from the records,
checked, signed off upward and locked (DHIS2's data approval, with its
"validation rules" and "completeness and timeliness").

- The numbers are never typed: while the report is a draft they are the
  live values of compute.table for the district and period; on submission
  they are frozen in `snapshot`, and every screen and file shows the snapshot.
- The committee writes only the narrative (challenges, decisions, requests)
  and, where a check fails, why.
- Sign-off: the district submits, the division reviews (or returns it, with a
  reason), the province accepts. A submitted report is locked; only the
  province reopens it, with a reason, audited and kept in the report's trail.
- A report is due on the 10th day after its period ends (REPORT_DUE_DAYS);
  "on time" means first submitted by then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ahtc.accounts.models import User
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction
from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring.aggregates import live_only
from ahtc.monitoring.committees import may_accept, may_review, may_run_committee
from ahtc.monitoring.compute import IndicatorValue, existence_note, table
from ahtc.monitoring.indicators import IndicatorDef, active_indicators, indicator_def
from ahtc.monitoring.models import CommitteeReport, ReportEvent, ReportStatus, ReportStep
from ahtc.monitoring.periods import Period, PeriodError, PeriodKind, period_parse
from ahtc.monitoring.services import MonitoringError
from ahtc.monitoring.suppression import Screen

REPORT_KINDS = (PeriodKind.MONTH, PeriodKind.BIMONTH)
REPORT_DUE_DAYS = 10
MIN_REASON = 10
NARRATIVE = ("challenges", "decisions", "requests")


def report_codes() -> list[str]:
    return [d.code for d in active_indicators()]


def due_date(period: Period) -> dt.date:
    return period.end + dt.timedelta(days=REPORT_DUE_DAYS - 1)


# --- the numbers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    indicator: IndicatorDef
    value: IndicatorValue


def _from_dict(row: dict[str, Any]) -> IndicatorValue:
    return IndicatorValue(
        code=row["indicator"],
        area=row["area"],
        period=row["period"],
        value=row["value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        category=row.get("category", ""),
        status=row["status"],
        note=row.get("note", ""),
    )


def live_lines(district: Area, period: Period) -> list[Line]:
    result = table(report_codes(), district, period)
    return [Line(row.indicator, row.total) for row in result.rows]


def report_lines(report: CommitteeReport) -> list[Line]:
    """What the report's screen, PDF and XLSX show: the snapshot once
    submitted, the live values while a draft."""
    if report.locked and report.snapshot:
        return [
            Line(indicator_def(row["indicator"]), _from_dict(row))
            for row in report.snapshot["values"]
        ]
    return live_lines(report.district, period_parse(report.period))


def shown_lines(lines: list[Line], screen: Screen) -> list[Line]:
    """The lines as `screen` shows them: small numbers hidden for readers of
    aggregates, as on the dashboard (suppression.py); the checks are judged
    on the exact lines, and say only whether they pass."""
    return [Line(line.indicator, screen.value(line.value)) for line in lines]


def snapshot_of(lines: list[Line]) -> dict[str, Any]:
    return {
        "computed_at": timezone.now().isoformat(),
        "values": [line.value.as_dict() for line in lines],
    }


# --- validation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """`left` must not exceed `right`; each side reads one value of one indicator."""

    code: str
    text: Promise
    left: tuple[str, str]
    right: tuple[str, str]


CHECKS: tuple[Check, ...] = (
    Check(
        "convicted_within_tried",
        gettext_lazy("Accused convicted cannot exceed the accused tried (convicted or acquitted)."),
        ("accused_convicted", "value"),
        ("conviction_rate", "denominator"),
    ),
    Check(
        "referrals_completed_within_made",
        gettext_lazy("Referrals completed should not exceed referrals made in the period."),
        ("referrals_completed", "value"),
        ("referrals_made", "value"),
    ),
    Check(
        "enrolled_within_withdrawn",
        gettext_lazy("Children enrolled should not exceed children withdrawn from work."),
        ("children_enrolled", "value"),
        ("children_withdrawn", "value"),
    ),
    Check(
        "acknowledged_within_received",
        gettext_lazy("Reports acknowledged in time cannot exceed reports received."),
        ("reports_acknowledged_in_time", "numerator"),
        ("reports_received", "value"),
    ),
)


@dataclass(frozen=True)
class CheckResult:
    check: Check
    left: float
    right: float
    explanation: str

    @property
    def ok(self) -> bool:
        return self.left <= self.right

    @property
    def text(self) -> str:
        return str(self.check.text)


def _side(values: dict[str, IndicatorValue], side: tuple[str, str]) -> float:
    found = values.get(side[0])
    return float(getattr(found, side[1], None) or 0) if found else 0.0


def report_checks(report: CommitteeReport, lines: list[Line]) -> list[CheckResult]:
    values = {line.indicator.code: line.value for line in lines}
    explained = report.explanations or {}
    return [
        CheckResult(c, _side(values, c.left), _side(values, c.right), explained.get(c.code, ""))
        for c in CHECKS
        if c.left[0] in values and c.right[0] in values
    ]


def submission_problems(report: CommitteeReport, lines: list[Line], today: dt.date) -> list[str]:
    """Why the report cannot be submitted yet (empty when it can)."""
    problems: list[str] = []
    period = period_parse(report.period)
    if today < period.end:
        problems.append(
            _("The period has not ended yet: submit it from %(day)s.")
            % {"day": period.end.isoformat()}
        )
    labels = {
        "challenges": _("challenges"),
        "decisions": _("decisions taken"),
        "requests": _("requests to the province"),
    }
    for name in NARRATIVE:
        if not getattr(report, name).strip():
            problems.append(
                _("Fill in the section “%(section)s” (write “none” if there is nothing).")
                % {"section": labels[name]}
            )
    for result in report_checks(report, lines):
        if not result.ok and len(result.explanation.strip()) < MIN_REASON:
            problems.append(
                _("A check fails and needs an explanation: %(check)s") % {"check": result.text}
            )
    return problems


# --- access ------------------------------------------------------------------------------


def reports_for_user(user: Any) -> QuerySet[CommitteeReport]:
    scope = user_scope(user)
    return CommitteeReport.objects.filter(scope.q(Perm.VIEW_AGGREGATES, "district__path"))


def report_for_user(user: Any, pk: Any) -> CommitteeReport:
    scoped = reports_for_user(user).select_related("district")
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk)


# --- writes ------------------------------------------------------------------------------


def _event(report: CommitteeReport, step: str, by: User | None, reason: str = "") -> None:
    ReportEvent.objects.create(report=report, step=step, by=by, at=timezone.now(), reason=reason)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE if step != ReportStep.CREATED else AuditAction.CREATE,
        target=report,
        area_code=report.district.code,
        reason=f"report {report.period}: {step}" + (f" ({reason})" if reason else ""),
    )


def _report_period(code: str) -> Period:
    try:
        period = period_parse(code)
    except PeriodError as exc:
        raise MonitoringError(str(exc)) from exc
    if period.kind not in REPORT_KINDS:
        raise MonitoringError(_("Committee reports are monthly (2025-07) or two-monthly (2025B4)."))
    return period


@transaction.atomic
def report_open(*, district: Area, period: str, by: User) -> CommitteeReport:
    """The district's report for the period: the existing one, or a new draft."""
    if not may_run_committee(by, district):
        raise MonitoringError(_("Only the committee's members and the cell head may do this."))
    parsed = _report_period(period)
    if district.level != AreaLevel.DISTRICT or not existence_note(district, parsed)[0]:
        raise MonitoringError(_("This district did not exist in that period."))
    report, created = CommitteeReport.objects.get_or_create(
        district=district,
        period=parsed.code,
        defaults={"period_kind": parsed.kind, "due_on": due_date(parsed)},
    )
    if created:
        _event(report, ReportStep.CREATED, by)
    return report


def _locked_refusal(report: CommitteeReport) -> None:
    if report.locked:
        raise MonitoringError(
            _("This report is locked since it was submitted. Ask the province to reopen it.")
        )


@transaction.atomic
def report_narrative_save(
    *,
    report: CommitteeReport,
    by: User,
    challenges: str,
    decisions: str,
    requests: str,
    explanations: dict[str, str],
) -> CommitteeReport:
    if not may_run_committee(by, report.district):
        raise MonitoringError(_("Only the committee's members and the cell head may do this."))
    report = CommitteeReport.objects.select_for_update().get(pk=report.pk)
    _locked_refusal(report)
    known = {c.code for c in CHECKS}
    report.challenges, report.decisions, report.requests = challenges, decisions, requests
    report.explanations = {
        k: v.strip() for k, v in explanations.items() if k in known and v.strip()
    }
    report.save(update_fields=[*NARRATIVE, "explanations", "updated_at"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        target=report,
        area_code=report.district.code,
        reason=f"report {report.period}: narrative",
    )
    return report


def _reviewers_told(report: CommitteeReport, step: str) -> None:
    from django.urls import reverse

    from ahtc.notifications.models import NotificationKind
    from ahtc.notifications.services import notify, users_with_perms

    district = report.district
    people = users_with_perms([Perm.VIEW_AGGREGATES], area=district)
    check = may_review if step == ReportStep.SUBMITTED else may_accept
    told = [u for u in people if check(u, district)]
    link = reverse("cell:monitoring:timeliness") + f"?period={report.period}"
    notify(kind=NotificationKind.COMMITTEE_REPORTS, recipients=told, link=link)


@transaction.atomic
def report_submit(
    *, report: CommitteeReport, by: User, today: dt.date | None = None
) -> CommitteeReport:
    """Freeze the numbers and lock the period; refused with the reasons
    (submission_problems) when something is missing."""
    if not may_run_committee(by, report.district):
        raise MonitoringError(_("Only the committee's members and the cell head may do this."))
    report = (
        CommitteeReport.objects.select_for_update().select_related("district").get(pk=report.pk)
    )
    _locked_refusal(report)
    with live_only():  # frozen from the records themselves, not the stored months
        lines = live_lines(report.district, period_parse(report.period))
    problems = submission_problems(report, lines, today or timezone.localdate())
    if problems:
        raise MonitoringError(" ".join(problems))
    now = timezone.now()
    report.snapshot = snapshot_of(lines)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now
    report.first_submitted_at = report.first_submitted_at or now
    report.reviewed_at = report.accepted_at = None
    report.save()
    _event(report, ReportStep.SUBMITTED, by)
    _reviewers_told(report, ReportStep.SUBMITTED)
    return report


def _step(
    report: CommitteeReport,
    by: User,
    allowed: Callable[[Any, Area], bool],
    expected: str,
) -> CommitteeReport:
    if not allowed(by, report.district):
        raise MonitoringError(_("Your role does not sign off this step."))
    report = (
        CommitteeReport.objects.select_for_update().select_related("district").get(pk=report.pk)
    )
    if report.status != expected:
        raise MonitoringError(_("The report has moved on since you opened it: reload the page."))
    return report


@transaction.atomic
def report_review(*, report: CommitteeReport, by: User) -> CommitteeReport:
    report = _step(report, by, may_review, ReportStatus.SUBMITTED)
    report.status, report.reviewed_at = ReportStatus.REVIEWED, timezone.now()
    report.save(update_fields=["status", "reviewed_at", "updated_at"])
    _event(report, ReportStep.REVIEWED, by)
    _reviewers_told(report, ReportStep.REVIEWED)
    return report


def _reason(reason: str) -> str:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise MonitoringError(_("Give the reason in a sentence (at least 10 characters)."))
    return reason


@transaction.atomic
def report_return(*, report: CommitteeReport, by: User, reason: str) -> CommitteeReport:
    """The division sends a submitted report back to the district (unlocked)."""
    reason = _reason(reason)
    report = _step(report, by, may_review, ReportStatus.SUBMITTED)
    report.status = ReportStatus.DRAFT
    report.save(update_fields=["status", "updated_at"])
    _event(report, ReportStep.RETURNED, by, reason)
    return report


@transaction.atomic
def report_accept(*, report: CommitteeReport, by: User) -> CommitteeReport:
    report = _step(report, by, may_accept, ReportStatus.REVIEWED)
    report.status, report.accepted_at = ReportStatus.ACCEPTED, timezone.now()
    report.save(update_fields=["status", "accepted_at", "updated_at"])
    _event(report, ReportStep.ACCEPTED, by)
    return report


@transaction.atomic
def report_reopen(*, report: CommitteeReport, by: User, reason: str) -> CommitteeReport:
    """Unlock a submitted, reviewed or accepted report (the province only).
    The last snapshot stays in the row until the next submission replaces it."""
    reason = _reason(reason)
    if not may_accept(by, report.district):
        raise MonitoringError(_("Only the province reopens a locked report."))
    report = (
        CommitteeReport.objects.select_for_update().select_related("district").get(pk=report.pk)
    )
    if not report.locked:
        raise MonitoringError(_("This report is not locked."))
    report.status = ReportStatus.DRAFT
    report.reopened_count += 1
    report.save(update_fields=["status", "reopened_count", "updated_at"])
    _event(report, ReportStep.REOPENED, by, reason)
    return report


# --- timeliness and completeness ---------------------------------------------------------


@dataclass(frozen=True)
class DistrictReporting:
    district: Area
    report: CommitteeReport | None
    due: dt.date

    @property
    def on_time(self) -> bool | None:
        """True/False once submitted; None while nothing was submitted."""
        if self.report is None or self.report.first_submitted_at is None:
            return None
        return timezone.localdate(self.report.first_submitted_at) <= self.due


@dataclass(frozen=True)
class Timeliness:
    period: Period
    rows: list[DistrictReporting]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def received(self) -> int:
        return sum(1 for r in self.rows if r.on_time is not None)

    @property
    def on_time(self) -> int:
        return sum(1 for r in self.rows if r.on_time)

    def share(self, count: int) -> float | None:
        return round(100 * count / self.expected, 1) if self.expected else None

    @property
    def received_share(self) -> float | None:
        return self.share(self.received)

    @property
    def on_time_share(self) -> float | None:
        return self.share(self.on_time)


def timeliness(area: Area, period: Period) -> Timeliness:
    """Every district under `area` that existed in the period, with its report
    (two queries whatever the number of districts)."""
    if area.level == AreaLevel.DISTRICT:
        districts = [area]
    else:
        districts = list(Area.objects.within(area).of_level(AreaLevel.DISTRICT).order_by("path"))
    districts = [d for d in districts if existence_note(d, period)[0]]
    found = CommitteeReport.objects.filter(district__in=districts, period=period.code)
    by_district = {r.district_id: r for r in found}
    due = due_date(period)
    return Timeliness(period, [DistrictReporting(d, by_district.get(d.pk), due) for d in districts])
