"""Committee reports: generated from the records, checked, signed off and
locked; reopened by the province with a reason; timeliness; PDF and XLSX
equal to the screen."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent
from ahtc.jobs.tests.helpers import follow_export
from ahtc.monitoring import reports as r
from ahtc.monitoring.exports import _number
from ahtc.monitoring.models import CommitteeReport, ReportStatus, ReportStep
from ahtc.monitoring.periods import PeriodKind, period_containing
from ahtc.monitoring.report_files import report_pdf, report_xlsx
from ahtc.monitoring.services import MonitoringError
from ahtc.monitoring.suppression import Screen, screen_for, threshold
from ahtc.monitoring.tests.conftest import area, at, build_children, submit
from ahtc.notifications.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
NARRATIVE = {"challenges": "Few inspectors", "decisions": "Joint raids", "requests": "none"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def division_monitor(make_user: Callable[..., User]) -> User:
    return make_user("monitor_gujrat", Role.PROVINCIAL_MONITOR, "PK6DV03")


@pytest.fixture
def committee_gujrat(make_user: Callable[..., User]) -> User:
    return make_user(
        "committee_gujrat", Role.COMMITTEE_MEMBER, "PK610", kind=OrganisationKind.COMMITTEE
    )


@pytest.fixture
def july(committee_mbdin: User) -> CommitteeReport:
    """Two reports received in Mandi Bahauddin in July 2025, one in Gujrat."""
    submit(at("2025-07-05"), "PK620")
    submit(at("2025-07-06"), "PK620")
    submit(at("2025-07-07"), "PK610")
    return r.report_open(district=area("PK620"), period="2025-07", by=committee_mbdin)


def _value(report: CommitteeReport, code: str) -> Any:
    return next(line.value for line in r.report_lines(report) if line.indicator.code == code)


def _submitted(report: CommitteeReport, by: User) -> CommitteeReport:
    r.report_narrative_save(report=report, by=by, explanations={}, **NARRATIVE)
    return r.report_submit(report=report, by=by)


def test_numbers_are_live_while_a_draft_and_frozen_once_submitted(
    committee_mbdin: User, july: CommitteeReport, login_as: LoginAs
) -> None:
    assert _value(july, "reports_received").value == 2
    client = login_as(committee_mbdin)
    url = reverse("cell:monitoring:report", args=[july.pk])
    response = client.post(url, {**NARRATIVE, "submit": "1"})
    assert response.status_code == 302
    july.refresh_from_db()
    assert july.status == ReportStatus.SUBMITTED
    assert july.snapshot is not None
    submit(at("2025-07-09"), "PK620")  # a late entry after the lock
    assert _value(july, "reports_received").value == 2  # the report keeps what was submitted
    assert r.live_lines(area("PK620"), july_period())[0].value.value == 3
    assert client.post(url, {**NARRATIVE, "challenges": "changed"}).status_code == 400
    july.refresh_from_db()
    assert july.challenges == "Few inspectors"
    assert AuditEvent.objects.filter(
        object_type="monitoring.committeereport", reason__contains="submitted"
    ).exists()


def july_period() -> Any:
    from ahtc.monitoring.periods import period_parse

    return period_parse("2025-07")


def test_submission_refused_without_narrative_keeps_what_was_typed(
    committee_mbdin: User, july: CommitteeReport, login_as: LoginAs
) -> None:
    url = reverse("cell:monitoring:report", args=[july.pk])
    response = login_as(committee_mbdin).post(
        url, {"challenges": "Typed and kept", "decisions": "", "requests": "", "submit": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Typed and kept" in page
    assert "decisions taken" in page
    july.refresh_from_db()
    assert july.status == ReportStatus.DRAFT
    assert july.challenges == "Typed and kept"


def test_a_running_period_cannot_be_submitted(committee_mbdin: User) -> None:
    current = period_containing(timezone.localdate(), PeriodKind.MONTH)
    report = r.report_open(district=area("PK620"), period=current.code, by=committee_mbdin)
    r.report_narrative_save(report=report, by=committee_mbdin, explanations={}, **NARRATIVE)
    with pytest.raises(MonitoringError, match="has not ended"):
        r.report_submit(report=report, by=committee_mbdin)


def test_quarter_is_not_a_committee_period(committee_mbdin: User) -> None:
    with pytest.raises(MonitoringError, match="monthly"):
        r.report_open(district=area("PK620"), period="2025Q3", by=committee_mbdin)


def test_failing_check_needs_an_explanation(
    committee_mbdin: User, officer_mbdin: User, make_org: Callable[..., Any]
) -> None:
    """August 2025: a girl withdrawn in July is enrolled in August, so August
    shows 1 enrolled and 0 withdrawn: the check fails until explained."""
    build_children(officer_mbdin, make_org(kind=OrganisationKind.CHILD_PROTECTION, area="PK620"))
    report = r.report_open(district=area("PK620"), period="2025-08", by=committee_mbdin)
    failing = [x.check.code for x in r.report_checks(report, r.report_lines(report)) if not x.ok]
    assert failing == ["enrolled_within_withdrawn"]
    r.report_narrative_save(report=report, by=committee_mbdin, explanations={}, **NARRATIVE)
    with pytest.raises(MonitoringError, match="explanation"):
        r.report_submit(report=report, by=committee_mbdin)
    why = {"enrolled_within_withdrawn": "Withdrawn in July, enrolled in August"}
    r.report_narrative_save(report=report, by=committee_mbdin, explanations=why, **NARRATIVE)
    assert r.report_submit(report=report, by=committee_mbdin).status == ReportStatus.SUBMITTED


def test_sign_off_district_division_province_and_reopen_with_reason(
    committee_mbdin: User,
    division_monitor: User,
    provincial_monitor: User,
    july: CommitteeReport,
    login_as: LoginAs,
) -> None:
    _submitted(july, committee_mbdin)
    assert Notification.objects.filter(
        recipient=division_monitor, kind=NotificationKind.COMMITTEE_REPORTS
    ).exists()
    step = lambda name: reverse("cell:monitoring:report_step", args=[july.pk, name])  # noqa: E731
    assert login_as(committee_mbdin).post(step("review")).status_code == 403
    assert login_as(division_monitor).post(step("accept")).status_code == 403
    assert login_as(division_monitor).post(step("review")).status_code == 302
    assert login_as(provincial_monitor).post(step("accept")).status_code == 302
    july.refresh_from_db()
    assert july.status == ReportStatus.ACCEPTED
    assert login_as(committee_mbdin).post(step("reopen"), {"reason": "x" * 20}).status_code == 403
    client = login_as(provincial_monitor)
    short = client.post(step("reopen"), {"reason": "typo"})
    assert short.status_code == 400
    assert "typo" in short.content.decode()
    reason = "FIR count corrected by the cell after an audit"
    assert client.post(step("reopen"), {"reason": reason}).status_code == 302
    july.refresh_from_db()
    assert july.status == ReportStatus.DRAFT
    assert july.reopened_count == 1
    assert july.events.filter(step=ReportStep.REOPENED, reason=reason).exists()
    assert AuditEvent.objects.filter(reason__contains=reason).exists()


def test_division_returns_a_report_with_a_reason(
    committee_mbdin: User, division_monitor: User, july: CommitteeReport
) -> None:
    _submitted(july, committee_mbdin)
    with pytest.raises(MonitoringError):
        r.report_return(report=july, by=division_monitor, reason="")
    r.report_return(report=july, by=division_monitor, reason="Explain the drop in FIRs")
    july.refresh_from_db()
    assert july.status == ReportStatus.DRAFT


def test_timeliness_says_who_reported_on_time_late_or_not_at_all(
    committee_mbdin: User, committee_gujrat: User, july: CommitteeReport, login_as: LoginAs
) -> None:
    _submitted(july, committee_mbdin)  # first submitted today: late for July 2025
    CommitteeReport.objects.filter(pk=july.pk).update(
        first_submitted_at=at("2025-08-05")  # on time (due 10 August)
    )
    late = r.report_open(district=area("PK610"), period="2025-07", by=committee_gujrat)
    _submitted(late, committee_gujrat)
    result = r.timeliness(area("PK6DV03"), july_period())
    state = {row.district.code: row.on_time for row in result.rows}
    assert state["PK620"] is True
    assert state["PK610"] is False
    assert state["PK611"] is None
    assert result.received == 2
    assert result.on_time == 1
    assert r.due_date(july_period()) == dt.date(2025, 8, 10)


def test_timeliness_page_for_the_province(
    provincial_monitor: User, committee_mbdin: User, july: CommitteeReport, login_as: LoginAs
) -> None:
    _submitted(july, committee_mbdin)
    page = login_as(provincial_monitor).get(
        reverse("cell:monitoring:timeliness"), {"area": "PK6DV03", "period": "2025-07"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "late" in text
    assert "not received" in text


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["officer_gujrat", "committee_gujrat"])
def test_other_district_gets_404_for_a_report(
    persona: str, request: pytest.FixtureRequest, july: CommitteeReport, login_as: LoginAs
) -> None:
    client = login_as(request.getfixturevalue(persona))
    assert client.get(reverse("cell:monitoring:report", args=[july.pk])).status_code == 404
    file_url = reverse("cell:monitoring:report_file", args=[july.pk])
    assert client.post(file_url, {"format": "pdf"}).status_code == 404


def test_fia_and_anonymous_are_refused(
    fia_liaison: User, july: CommitteeReport, client: Client, login_as: LoginAs
) -> None:
    url = reverse("cell:monitoring:report", args=[july.pk])
    assert client.get(url).status_code == 302
    assert login_as(fia_liaison).get(url).status_code == 403


# --- files ---------------------------------------------------------------------------------


def _screen_values(page: str) -> dict[str, str]:
    found = re.findall(r'data-code="([a-z0-9_]+)"><bdi[^>]*>([^<]*)</bdi>', page)
    return dict(found)


def test_xlsx_and_pdf_reproduce_the_screen(
    committee_mbdin: User, july: CommitteeReport, login_as: LoginAs
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _submitted(july, committee_mbdin)
    client = login_as(committee_mbdin)
    page = client.get(reverse("cell:monitoring:report", args=[july.pk])).content.decode()
    screen = _screen_values(page)
    assert screen["reports_received"] == "fewer than 11"  # small numbers hidden
    file_url = reverse("cell:monitoring:report_file", args=[july.pk])
    xlsx = follow_export(client, client.post(file_url, {"format": "xlsx", "language": "en"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = {row[1]: row[2] for row in sheet.iter_rows(min_row=4, values_only=True)}
    shown = r.shown_lines(r.report_lines(july), screen_for(committee_mbdin, july.district))
    translation.activate("en")
    for line in shown:
        assert rows[line.value.code] == _number(line.value)
        assert screen[line.value.code] == line.value.display
    pdf = follow_export(client, client.post(file_url, {"format": "pdf", "language": "en"}))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    translation.activate("en")
    for line in shown:
        name = str(line.indicator.name)
        words = [re.escape(w) for w in [*name.split(), *line.value.display.split()]]
        assert re.search(r"\s+".join(words), text), name


def test_urdu_pdf_is_right_to_left_with_the_same_numbers(
    committee_mbdin: User, july: CommitteeReport
) -> None:
    from pypdf import PdfReader

    _submitted(july, committee_mbdin)
    reader = PdfReader(io.BytesIO(report_pdf(july, "ur")))
    text = "".join(p.extract_text() for p in reader.pages)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert any("Naskh" in f for f in fonts)
    assert "PK620" in text
    assert "2025-07" in text
    with translation.override("ur"):
        for line in r.shown_lines(r.report_lines(july), Screen(threshold())):
            words = str(line.indicator.name).replace("(", " ").replace(")", " ").split()
            assert all(word in text for word in words)  # bidi extraction moves brackets
            assert all(word in text for word in line.value.display.split())
    assert report_xlsx(july, "ur")[:2] == b"PK"  # a zip: the workbook


def test_download_is_refused_after_the_role_is_withdrawn(
    committee_mbdin: User, july: CommitteeReport, login_as: LoginAs
) -> None:
    from ahtc.accounts.models import RoleAssignment
    from ahtc.jobs.tests.helpers import run_jobs

    client = login_as(committee_mbdin)
    response = client.post(
        reverse("cell:monitoring:report_file", args=[july.pk]), {"format": "xlsx"}
    )
    run_jobs()
    RoleAssignment.objects.filter(user=committee_mbdin).delete()
    download = client.get(response["Location"] + "download/")
    assert download.status_code in (302, 403)
