"""Demo targets: the Mandi Bahauddin year against its targets and baselines,
and the other Gujrat-division districts for comparison (synthetic figures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ahtc.geography.models import Area
from ahtc.monitoring.services import indicators_sync, target_set

BASELINE_DAY = dt.date(2024, 6, 30)
BASELINE_PERIOD = "FY2023-24"

# indicator: (target, baseline) for Mandi Bahauddin's fiscal years.
MBDIN_YEAR = {
    "reports_received": (120, 40),
    "reports_acknowledged_in_time": (90, 60),
    "cases_opened": (40, 18),
    "firs_registered": (25, 10),
    "accused_convicted": (6, 2),
    "conviction_rate": (40, 25),
    "median_days_report_to_fir": (14, 30),
    "victims_identified": (30, 12),
    "referrals_completed": (20, 5),
    "follow_ups_on_time": (80, 50),
}
# The Assembly's two-month periods of 2025: reports and victims.
MBDIN_BIMONTHLY = {"reports_received": 20, "victims_identified": 5}
# Gujrat, Hafizabad, Wazirabad: a smaller set, for the league table.
DIVISION = {
    "PK610": {"reports_received": (150, 60), "cases_opened": (45, 20), "victims_identified": (35, 15)},
    "PK611": {"reports_received": (60, 20), "cases_opened": (20, 8), "victims_identified": (12, 4)},
    "PK637": {"reports_received": (50, 15), "cases_opened": (15, 5), "victims_identified": (10, 3)},
}  # fmt: skip


def _set(code: str, area: Area, period: str, target: int, baseline: int | None, by: Any) -> None:
    target_set(
        indicator_code=code,
        area=area,
        period=period,
        value=Decimal(target),
        baseline_value=None if baseline is None else Decimal(baseline),
        baseline_date=BASELINE_DAY if baseline is not None else None,
        baseline_period=BASELINE_PERIOD if baseline is not None else "",
        by=by,
    )


def build_monitoring(ctx: Any) -> None:
    indicators_sync()
    by = ctx.users.get("provincial_monitor")
    mbdin = Area.objects.get(code="PK620")
    for year in ("FY2024-25", "FY2025-26"):
        for code, (target, baseline) in MBDIN_YEAR.items():
            _set(code, mbdin, year, target, baseline, by)
    for index in range(1, 7):
        for code, target in MBDIN_BIMONTHLY.items():
            _set(code, mbdin, f"2025B{index}", target, None, by)
    for district_code, targets in DIVISION.items():
        district = Area.objects.get(code=district_code)
        for code, (target, baseline) in targets.items():
            _set(code, district, "FY2024-25", target, baseline, by)
    build_committees(ctx)


# --- the district committee of Mandi Bahauddin and its reports (issue 13) --------------------
#
# Posts, not people: the names of post holders are left empty (synthetic demo).
MEMBERS = [
    ("committee_mbdin", "Deputy Commissioner", "chair"),
    ("cell_mbdin", "District Police Officer", "secretary"),
    ("labour_mbdin", "Deputy Director Labour", "member"),
    ("cpb_mbdin", "District Child Protection Officer", "member"),
    ("swd_mbdin", "Deputy Director Social Welfare", "member"),
    ("pros_mbdin", "District Public Prosecutor", "member"),
    ("edu_mbdin", "Chief Executive Officer, Education", "member"),
    ("fia_gujrat", "FIA Circle In-charge, Gujrat", "member"),
    ("ngo_mbdin", "NGO representative", "member"),
]
# (meeting day, agenda, [(decision, agency key, post, due, done evidence or "")])
MEETINGS: list[tuple[str, str, list[tuple[str, str, str, str, str]]]] = [
    ("2025-01-15", "Kiln inspections for the winter season; the helpline's reach", [
        ("Inspect the 20 kilns on the Phalia road", "labour_mbdin", "Deputy Director Labour", "2025-02-28", "18 kilns inspected; 2 closed"),
        ("Put the helpline number in every union council office", "committee_mbdin", "Assistant Commissioner Phalia", "2025-03-15", "Posters in 65 offices"),
    ]),
    ("2025-03-12", "Visa fraud by travel agents after the Libya drownings", [
        ("Share the list of unlicensed agents with FIA", "cell_mbdin", "DSP Anti-Trafficking Cell", "2025-03-31", "List sent on 28 March"),
        ("Awareness sessions in five high schools", "edu_mbdin", "District Education Officer", "2025-05-31", ""),
    ]),
    ("2025-05-14", "Children withdrawn from kilns: school places", [
        ("Enrol every withdrawn child within 30 days", "edu_mbdin", "District Education Officer", "2025-06-30", ""),
        ("Report on the shelter's capacity", "swd_mbdin", "Deputy Director Social Welfare", "2025-06-15", "Shelter has 12 places"),
    ]),
    ("2025-07-16", "Conviction rate; prosecution delays", [
        ("List the cases waiting more than a year for a challan", "pros_mbdin", "District Public Prosecutor", "2025-08-15", ""),
    ]),
    ("2025-09-17", "Mid-year review against the targets", [
        ("Raise identification in Malakwal tehsil", "cell_mbdin", "SHO Malakwal", "2025-10-31", ""),
    ]),
    ("2025-11-12", "Planning for 2026", [
        ("Joint raid plan with FIA for the spring season", "fia_gujrat", "FIA Circle In-charge, Gujrat", "2026-01-31", ""),
    ]),
]  # fmt: skip
NARRATIVE = {
    "challenges": "Two labour inspectors for 300 kilns; victims reluctant to testify.",
    "decisions": "Joint inspections every month; the prosecutor reviews challans weekly.",
    "requests": "Two more labour inspectors; a women's shelter in Phalia.",
}
EXPLAIN = {
    "referrals_completed_within_made": "Referrals made in the period before were delivered in this one.",
    "enrolled_within_withdrawn": "Children withdrawn in the period before were enrolled in this one.",
}  # fmt: skip
# Day each district first submitted each two-month report of 2025 (days after
# the period ended; the report is due on the 10th day). None: not received.
SUBMITTED_AFTER: dict[str, list[int | None]] = {
    "PK620": [5, 8, 9, 6, 21, 7],
    "PK610": [9, 14, 10, 3, 8, 12],
    "PK611": [25, 9, None, 40, 9, None],
    "PK637": [None, None, 30, 10, 9, 4],
}


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)


def build_committee(ctx: Any) -> None:
    from ahtc.monitoring import committees
    from ahtc.monitoring.models import ActionItem

    chair = ctx.users["committee_mbdin"]
    mbdin = Area.objects.get(code="PK620")
    members = [
        committees.member_add(
            district=mbdin, organisation=ctx.orgs[org], post=post, role=role, by=chair
        )
        for org, post, role in MEMBERS
    ]
    for day, agenda, actions in MEETINGS:
        meeting = committees.meeting_record(
            district=mbdin,
            held_on=_day(day),
            agenda=agenda,
            minutes="Minutes recorded by the secretary (synthetic demo).",
            attendees=members[:6],
            by=chair,
        )
        for decision, org, post, due, evidence in actions:
            item = committees.action_add(
                meeting=meeting,
                decision=decision,
                organisation=ctx.orgs[org],
                assignee=post,
                due=_day(due),
                by=chair,
            )
            if evidence:
                committees.action_update(
                    item=item, status="done", evidence=evidence, by=chair, today=_day(due)
                )
    ActionItem.objects.filter(district=mbdin).update(created_at=_moment(_day("2025-01-15")))


def _dated(report: Any, period: Any, after: int | None) -> None:
    """Move the report's stamps to the story's days (as demo/dates.py does)."""
    from ahtc.monitoring.models import CommitteeReport, ReportEvent

    if after is None:
        return
    day = _moment(period.end + dt.timedelta(days=after - 1))
    CommitteeReport.objects.filter(pk=report.pk).update(
        first_submitted_at=day, submitted_at=day, created_at=day - dt.timedelta(days=3)
    )
    for offset, event in enumerate(ReportEvent.objects.filter(report=report).order_by("pk")):
        ReportEvent.objects.filter(pk=event.pk).update(at=day + dt.timedelta(days=2 * offset))


def _mbdin_reports(ctx: Any) -> None:
    from ahtc.monitoring import reports
    from ahtc.monitoring.periods import period_parse

    chair, monitor = ctx.users["committee_mbdin"], ctx.users["provincial_monitor"]
    mbdin = Area.objects.get(code="PK620")
    for index, after in enumerate(SUBMITTED_AFTER["PK620"], start=1):
        period = period_parse(f"2025B{index}")
        report = reports.report_open(district=mbdin, period=period.code, by=chair)
        reports.report_narrative_save(report=report, by=chair, explanations=EXPLAIN, **NARRATIVE)
        report = reports.report_submit(report=report, by=chair)
        if index <= 4:
            report = reports.report_review(report=report, by=monitor)
        if index <= 3:
            report = reports.report_accept(report=report, by=monitor)
        if index in (3, 6):
            why = "The cell corrected two FIR dates after the period was locked."
            report = reports.report_reopen(report=report, by=monitor, reason=why)
        if index == 3:
            report = reports.report_submit(report=report, by=chair)
            report = reports.report_review(report=report, by=monitor)
            report = reports.report_accept(report=report, by=monitor)
        _dated(report, period, after)


def _division_reports() -> None:
    """The other Gujrat-division districts have no committee account in the
    demo: their reports are stored directly, with the numbers of the records."""
    from ahtc.monitoring import reports
    from ahtc.monitoring.compute import existence_note
    from ahtc.monitoring.models import CommitteeReport, ReportStatus
    from ahtc.monitoring.periods import period_parse

    for code, days in SUBMITTED_AFTER.items():
        if code == "PK620":
            continue
        district = Area.objects.get(code=code)
        for index, after in enumerate(days, start=1):
            period = period_parse(f"2025B{index}")
            if after is None or not existence_note(district, period)[0]:
                continue
            lines = reports.live_lines(district, period)
            report = CommitteeReport.objects.create(
                district=district,
                period=period.code,
                period_kind=period.kind,
                due_on=reports.due_date(period),
                status=ReportStatus.ACCEPTED if index <= 4 else ReportStatus.SUBMITTED,
                snapshot=reports.snapshot_of(lines),
                **NARRATIVE,
            )
            _dated(report, period, after)


def build_committees(ctx: Any) -> None:
    """Once per database, and only with the committee persona in the context."""
    from ahtc.monitoring.models import CommitteeMember

    if "committee_mbdin" not in ctx.users or "committee_mbdin" not in getattr(ctx, "orgs", {}):
        return
    if CommitteeMember.objects.filter(district__code="PK620").exists():
        return
    build_committee(ctx)
    _mbdin_reports(ctx)
    _division_reports()
