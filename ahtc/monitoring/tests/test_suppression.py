"""Small numbers on the screens: "fewer than k" for aggregate readers, with
secondary suppression against differencing; exact for the district's cell."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.monitoring.compute import IndicatorValue, ValueStatus
from ahtc.monitoring.suppression import EXACT, Screen
from ahtc.monitoring.tests.conftest import at, submit
from ahtc.portal.models import Channel

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
DASHBOARD = reverse("cell:monitoring:dashboard")
EXPLORE = reverse("cell:monitoring:explore")
MAP = reverse("cell:monitoring:map")
BY_CHANNEL = {
    "indicator": "reports_received",
    "area": "PK620",
    "period": "2025-07",
    "by": "channel",
}


@pytest.fixture
def many_reports(officer_mbdin: User) -> None:
    """July 2025: MBDin 12 on the web portal and 1 by helpline; Gujrat 1."""
    for day in range(1, 13):
        submit(at(f"2025-07-{day:02d}"), "PK620")
    submit(at("2025-07-20"), "PK620", channel=Channel.HELPLINE, by=officer_mbdin)
    submit(at("2025-07-21"), "PK610")


def count(n: int | None, category: str = "", code: str = "reports_received") -> IndicatorValue:
    return IndicatorValue(code, "PK620", "2025-07", n, numerator=n, category=category)


def shown(values: list[IndicatorValue]) -> list[float | None]:
    return [v.value for v in values]


# --- the rule ----------------------------------------------------------------------------------


def test_counts_from_one_to_k_minus_one_are_hidden_zeros_and_k_shown() -> None:
    screen = Screen(11)
    assert shown(screen.values([count(0), count(1), count(10), count(11)])) == [0, None, None, 11]
    hidden = screen.value(count(3))
    assert hidden.status == ValueStatus.SUPPRESSED
    assert hidden.numerator is None
    assert hidden.display == "fewer than 11"


def test_a_share_of_few_records_is_hidden_by_its_denominator() -> None:
    rate = IndicatorValue("conviction_rate", "PK620", "2025", 50.0, numerator=2, denominator=4)
    assert Screen(11).value(rate).display == "fewer than 11"
    broad = IndicatorValue("conviction_rate", "PK620", "2025", 25.0, numerator=3, denominator=12)
    assert Screen(11).value(broad).value == 25.0


def test_the_cell_sees_exact_numbers() -> None:
    assert EXACT.value(count(3)).value == 3


def test_a_total_and_one_hidden_part_hide_the_next_smallest_part() -> None:
    """15 = 12 + 3: with 3 hidden, 15 - 12 would give it away, so 12 goes too."""
    total, parts = Screen(11).group(count(15), [count(12, "web"), count(3, "helpline")])
    assert total.value == 15
    assert shown(parts) == [None, None]


def test_secondary_suppression_prefers_a_non_zero_part_and_stops_when_safe() -> None:
    parts = [count(0, "sms"), count(40, "web"), count(20, "desk"), count(5, "helpline")]
    total, found = Screen(11).group(count(65), parts)
    assert total.value == 65
    assert shown(found) == [0, 40, None, None]


def test_with_nothing_else_to_hide_the_total_is_hidden() -> None:
    total, parts = Screen(11).group(count(4), [count(4, "web")])
    assert total.status == ValueStatus.SUPPRESSED
    assert parts[0].status == ValueStatus.SUPPRESSED
    total, parts = Screen(11).group(count(12), [count(5, "web"), count(None, "gone")])
    assert total.status == ValueStatus.SUPPRESSED


def test_a_hidden_total_whose_parts_are_all_shown_hides_one_of_them() -> None:
    total, parts = Screen(11).group(count(5), [count(0, "web"), count(0, "sms")])
    assert total.status == ValueStatus.SUPPRESSED
    assert any(p.status == ValueStatus.SUPPRESSED for p in parts)


# --- the screens -------------------------------------------------------------------------------


def _cells(html: str) -> list[str]:
    return re.findall(r'<td data-label="Value">([^<]*)</td>', html)


def test_committee_sees_fewer_than_k_and_cannot_subtract(
    committee_mbdin: User, many_reports: None, login_as: LoginAs
) -> None:
    """July in MBDin: 13 reports, 12 on the web portal and 1 by helpline."""
    html = login_as(committee_mbdin).get(EXPLORE, BY_CHANNEL).content.decode()
    cells = _cells(html)
    assert cells[0] == "13"  # the total
    assert "fewer than 11" in cells
    assert "12" not in cells
    assert "1" not in cells
    assert "small numbers could identify people" in html


def test_the_districts_cell_sees_exact_counts(
    officer_mbdin: User, many_reports: None, login_as: LoginAs
) -> None:
    cells = _cells(login_as(officer_mbdin).get(EXPLORE, BY_CHANNEL).content.decode())
    assert cells[0] == "13"
    assert "12" in cells
    assert "1" in cells
    assert "fewer than 11" not in cells


def test_district_comparison_hides_a_small_district_and_one_more(
    analyst_province: User, many_reports: None, login_as: LoginAs
) -> None:
    """Gujrat division in July: MBDin 13, Gujrat 1 (Hafizabad 0...)."""
    page = login_as(analyst_province).get(
        DASHBOARD, {"area": "PK6DV03", "period": "2025-07", "indicator": "reports_received"}
    )
    html = page.content.decode()
    comparison = html[html.index('id="compare-heading"') :]
    assert re.search(r"Mandi Bahauddin</th><td[^>]*>fewer than 11<", comparison)
    assert re.search(r"Gujrat</th><td[^>]*>fewer than 11<", comparison)
    assert ">13<" not in comparison
    assert ">14<" in html  # the division's total is still shown


def test_the_map_hides_small_districts(
    provincial_monitor: User, many_reports: None, login_as: LoginAs
) -> None:
    html = (
        login_as(provincial_monitor)
        .get(MAP, {"indicator": "reports_received", "period": "2025-07"})
        .content.decode()
    )
    assert "Gujrat: fewer than 11" in html
    assert "Gujrat: 1<" not in html


def test_the_downloaded_table_hides_what_the_screen_hides(
    analyst_province: User, many_reports: None, login_as: LoginAs
) -> None:
    from openpyxl import load_workbook

    response = login_as(analyst_province).get(EXPLORE, {**BY_CHANNEL, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert 12 not in values
    assert 1 not in values
    assert 13 in values
    assert "fewer than 11" in values


def test_k_comes_from_the_settings(
    committee_mbdin: User, many_reports: None, login_as: LoginAs, settings: Any
) -> None:
    settings.MONITORING_SUPPRESS_K = 20
    cells = _cells(login_as(committee_mbdin).get(EXPLORE, BY_CHANNEL).content.decode())
    assert cells[0] == "fewer than 20"
