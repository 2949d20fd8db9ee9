"""Periods (parsing, boundaries) and aggregation across a district split."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ahtc.monitoring.compute import ValueStatus, by_area, value
from ahtc.monitoring.periods import (
    Period,
    PeriodError,
    PeriodKind,
    months_ending,
    period_containing,
    period_parse,
)
from ahtc.monitoring.tests.conftest import area, at, submit


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("2025-07", "2025-07-01", "2025-08-01"),
        ("2025-12", "2025-12-01", "2026-01-01"),
        ("2025B1", "2025-01-01", "2025-03-01"),
        ("2025B4", "2025-07-01", "2025-09-01"),
        ("2025B6", "2025-11-01", "2026-01-01"),
        ("2025Q3", "2025-07-01", "2025-10-01"),
        ("FY2025-26", "2025-07-01", "2026-07-01"),
    ],
)
def test_periods_parse_with_half_open_bounds(code: str, start: str, end: str) -> None:
    period = period_parse(code)
    assert (period.start, period.end) == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert period.code == code
    assert period_parse(code.lower()) == period


@pytest.mark.parametrize("bad", ["2025-13", "2025B7", "2025Q5", "FY2025-27", "July", "", "2025"])
def test_bad_period_codes_say_what_is_expected(bad: str) -> None:
    with pytest.raises(PeriodError) as error:
        period_parse(bad)
    assert str(error.value)


def test_periods_step_across_years_and_contain_their_months() -> None:
    assert period_parse("2025B1").previous().code == "2024B6"
    assert period_parse("2025Q4").shifted(1).code == "2026Q1"
    assert period_parse("FY2024-25").previous().code == "FY2023-24"
    assert [p.code for p in period_parse("2025B4").months()] == ["2025-07", "2025-08"]
    assert len(period_parse("FY2025-26").months()) == 12


def test_the_fiscal_year_starts_in_july() -> None:
    assert period_containing(dt.date(2025, 6, 30), PeriodKind.FISCAL_YEAR).code == "FY2024-25"
    assert period_containing(dt.date(2025, 7, 1), PeriodKind.FISCAL_YEAR).code == "FY2025-26"
    assert period_containing(dt.date(2025, 8, 31), PeriodKind.BIMONTH).code == "2025B4"
    assert period_containing(dt.date(2025, 9, 1), PeriodKind.BIMONTH).code == "2025B5"


def test_twelve_months_end_with_the_periods_last_month() -> None:
    months = months_ending(period_parse("FY2024-25"))
    assert (months[0].code, months[-1].code, len(months)) == ("2024-07", "2025-06", 12)


def test_elapsed_fraction() -> None:
    period = Period(PeriodKind.MONTH, 2025, 7)
    assert period.elapsed_fraction(dt.date(2025, 6, 1)) == 0
    assert period.elapsed_fraction(dt.date(2025, 8, 1)) == 1
    assert 0 < period.elapsed_fraction(dt.date(2025, 7, 16)) < 1


# --- a district split: Wazirabad (PK637) out of Gujranwala (PK609) on 2022-10-14 -------------


@pytest.fixture
def split_reports(db: Any) -> None:
    submit(at("2021-11-10"), "PK609", tehsil="PK60904")  # old Wazirabad tehsil, Gujranwala's
    submit(at("2022-11-10"), "PK637", tehsil="PK63701")  # the new district
    submit(at("2022-11-11"), "PK609", tehsil="PK60901")


def count(code: str, period: str) -> Any:
    return value("reports_received", area(code), period_parse(period))


def test_records_filed_before_a_split_stay_with_the_old_district(split_reports: None) -> None:
    assert count("PK609", "FY2021-22").value == 1
    assert count("PK60904", "FY2021-22").value == 1
    assert count("PK6DV02", "FY2021-22").value == 1
    assert count("PK6", "FY2021-22").value == 1


def test_a_district_that_did_not_exist_yet_has_no_value(split_reports: None) -> None:
    before = count("PK637", "FY2021-22")
    assert before.status == ValueStatus.NOT_APPLICABLE
    assert before.value is None


def test_after_the_split_each_district_counts_its_own(split_reports: None) -> None:
    new = count("PK637", "2022Q4")
    assert new.value == 1
    assert "2022-10-14" in new.note
    assert count("PK609", "2022Q4").value == 1
    assert count("PK63701", "2022Q4").value == 1
    assert count("PK6DV03", "2022Q4").value == 1  # Wazirabad's division
    assert count("PK6DV02", "2022Q4").value == 1
    assert count("PK60904", "2023Q1").status == ValueStatus.NOT_APPLICABLE


def test_district_comparison_across_the_split(split_reports: None) -> None:
    rows = {
        a.area.code: a.value
        for a in by_area("reports_received", area("PK6"), period_parse("FY2021-22"))
    }
    assert rows["PK609"].value == 1
    assert rows["PK637"].status == ValueStatus.NOT_APPLICABLE
    later = {
        a.area.code: a.value.value
        for a in by_area("reports_received", area("PK6"), period_parse("FY2022-23"))
    }
    assert (later["PK609"], later["PK637"]) == (1, 1)
