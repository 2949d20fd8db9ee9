"""Small numbers hidden on every surface a monitor or committee reads: the
indicator API, the committee report's page, PDF and XLSX, and across periods
(a month below k inside a year above it). The district's cell sees them
exactly, as on the screens."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.jobs.tests.helpers import follow_export
from ahtc.monitoring import reports as r
from ahtc.monitoring.models import CommitteeReport
from ahtc.monitoring.tests.conftest import area, at, submit
from ahtc.portal.models import Channel

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
DASHBOARD = reverse("cell:monitoring:dashboard")
FEWER = "fewer than 11"


def values_url(code: str = "reports_received") -> str:
    return reverse("api:indicator_values", args=[code])


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def july_by_channel(officer_mbdin: User) -> None:
    """July 2025 in MBDin: 12 reports on the web portal and 1 by helpline."""
    for day in range(1, 13):
        submit(at(f"2025-07-{day:02d}"), "PK620")
    submit(at("2025-07-20"), "PK620", channel=Channel.HELPLINE, by=officer_mbdin)


@pytest.fixture
def small_july(db: Any) -> None:
    """MBDin, fiscal year 2025-26: July 3 reports, August 12; the year 15."""
    for day in range(1, 4):
        submit(at(f"2025-07-{day:02d}"), "PK620")
    for day in range(1, 13):
        submit(at(f"2025-08-{day:02d}"), "PK620")


# --- the API -----------------------------------------------------------------------------------


def test_api_hides_a_small_category_and_the_one_that_would_give_it_away(
    committee_mbdin: User, july_by_channel: None, login_as: LoginAs
) -> None:
    query = {"area": "PK620", "period": "2025-07", "by": "channel"}
    body = login_as(committee_mbdin).get(values_url(), query).json()
    assert body["total"]["value"] == 13
    assert body["total"]["suppressed"] is False
    found = {v["category"]: v for v in body["values"]}
    for channel in ("web", "helpline"):
        assert found[channel]["value"] is None
        assert found[channel]["numerator"] is None
        assert found[channel]["suppressed"] is True
        assert found[channel]["below"] == 11
        assert found[channel]["display"] == FEWER
    assert 12 not in [v["value"] for v in body["values"]]


def test_api_gives_the_districts_cell_exact_numbers(
    officer_mbdin: User, july_by_channel: None, login_as: LoginAs
) -> None:
    query = {"area": "PK620", "period": "2025-07", "by": "channel"}
    body = login_as(officer_mbdin).get(values_url(), query).json()
    found = {v["category"]: v for v in body["values"]}
    assert (found["web"]["value"], found["helpline"]["value"]) == (12, 1)
    assert found["helpline"]["suppressed"] is False


def test_api_hides_a_small_province_total_from_the_monitor(
    provincial_monitor: User, july_by_channel: None, login_as: LoginAs
) -> None:
    client = login_as(provincial_monitor)
    province = client.get(values_url(), {"area": "PK6", "period": "2025-07"}).json()
    assert province["total"]["value"] == 13
    gujrat = client.get(values_url(), {"area": "PK610", "period": "2025-07"}).json()
    assert gujrat["total"]["value"] == 0  # zeros are shown
    assert gujrat["total"]["suppressed"] is False


# --- differencing across periods ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "shown"),
    [
        ("2025-07", None),  # 3: below k
        ("2025-08", None),  # 12, but July-August (15) minus it would give July
        ("2025B4", 15),
        ("2025Q3", None),  # the quarter cuts across the two-month periods
        ("FY2025-26", 15),
    ],
)
def test_a_small_month_cannot_be_found_from_the_year_or_its_pair(
    committee_mbdin: User, small_july: None, login_as: LoginAs, period: str, shown: int | None
) -> None:
    body = login_as(committee_mbdin).get(values_url(), {"area": "PK620", "period": period})
    assert body.json()["total"]["value"] == shown


def test_the_cell_sees_every_period_exactly(
    officer_mbdin: User, small_july: None, login_as: LoginAs
) -> None:
    client = login_as(officer_mbdin)
    august = client.get(values_url(), {"area": "PK620", "period": "2025-08"}).json()
    assert august["total"]["value"] == 12


def _trend(html: str) -> dict[str, str]:
    heads = re.findall(r'<th scope="col" dir="ltr">([^<]*)</th>', html)
    cells = re.findall(r"<td>([^<]*)</td>", html[html.index('id="trend-heading"') :])
    return dict(zip(heads, cells, strict=False))


def test_the_dashboard_year_and_its_months_do_not_give_a_small_month_away(
    committee_mbdin: User, small_july: None, login_as: LoginAs
) -> None:
    query = {"area": "PK620", "period": "FY2025-26", "indicator": "reports_received"}
    html = login_as(committee_mbdin).get(DASHBOARD, query).content.decode()
    trend = _trend(html)
    assert trend["2025-07"] == FEWER
    assert trend["2025-08"] == FEWER
    assert re.search(r'kpi-value">15<', html)  # the year stays
    assert "2025-07: fewer than 11<" in html  # the chart's labels too
    assert "2025-07: 3<" not in html
    assert "2025-08: 12<" not in html


def test_the_dashboard_shows_the_cell_its_months(
    officer_mbdin: User, small_july: None, login_as: LoginAs
) -> None:
    query = {"area": "PK620", "period": "FY2025-26", "indicator": "reports_received"}
    trend = _trend(login_as(officer_mbdin).get(DASHBOARD, query).content.decode())
    assert (trend["2025-07"], trend["2025-08"]) == ("3", "12")


# --- the committee report ----------------------------------------------------------------------


@pytest.fixture
def july_report(committee_mbdin: User) -> CommitteeReport:
    """Two reports received in Mandi Bahauddin in July 2025."""
    submit(at("2025-07-05"), "PK620")
    submit(at("2025-07-06"), "PK620")
    return r.report_open(district=area("PK620"), period="2025-07", by=committee_mbdin)


def _report_files(client: Client, report: CommitteeReport) -> tuple[str, str, Any]:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    page = client.get(reverse("cell:monitoring:report", args=[report.pk])).content.decode()
    url = reverse("cell:monitoring:report_file", args=[report.pk])
    pdf = follow_export(client, client.post(url, {"format": "pdf", "language": "en"}))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    xlsx = follow_export(client, client.post(url, {"format": "xlsx", "language": "en"}))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    return page, text, rows


def test_the_committees_report_page_pdf_and_xlsx_hide_small_numbers(
    committee_mbdin: User, july_report: CommitteeReport, login_as: LoginAs
) -> None:
    page, text, rows = _report_files(login_as(committee_mbdin), july_report)
    assert 'data-code="reports_received"><bdi>fewer than 11<' in page
    assert re.search(r"Reports received\s+fewer than 11", text)
    assert not re.search(r"Reports received\s+2\b", text)
    assert rows["reports_received"][2] == FEWER
    assert rows["reports_received"][3] is None  # no numerator either


def test_the_districts_cell_has_the_report_exactly(
    officer_mbdin: User, july_report: CommitteeReport, login_as: LoginAs
) -> None:
    page, text, rows = _report_files(login_as(officer_mbdin), july_report)
    assert 'data-code="reports_received"><bdi dir="ltr">2<' in page
    assert re.search(r"Reports received\s+2\b", text)
    assert rows["reports_received"][2] == 2


def test_a_report_file_without_a_reader_hides_small_numbers(
    july_report: CommitteeReport,
) -> None:
    from openpyxl import load_workbook

    from ahtc.monitoring.report_files import report_xlsx

    sheet = load_workbook(io.BytesIO(report_xlsx(july_report))).active
    assert sheet is not None
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["reports_received"][2] == FEWER
