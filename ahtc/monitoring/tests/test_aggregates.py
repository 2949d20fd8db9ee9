"""Pre-aggregated monthly tallies: the same values as the live computation
(the reference), across a district split, read only when fresh, rebuilt by
the scheduled job (aggregates.py)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ahtc.jobs.schedule import SCHEDULE
from ahtc.monitoring import aggregates
from ahtc.monitoring.aggregates import PREAGGREGATED, is_fresh, live_only, refresh
from ahtc.monitoring.compute import IndicatorValue, breakdown, by_area, series, value
from ahtc.monitoring.indicators import indicator_def
from ahtc.monitoring.models import AggregateState, MonthlyCount
from ahtc.monitoring.periods import period_parse
from ahtc.monitoring.sources import SOURCES, Rate, rows_of
from ahtc.monitoring.tests.conftest import Story, area, at, submit, travel
from ahtc.monitoring.tests.test_periods_and_areas import split_reports  # noqa: F401

STORY_AREAS = ["PK620", "PK62002", "PK610", "PK6DV02", "PK6"]
STORY_PERIODS = ["2025-03", "2025-07", "2025-08", "2025B4", "2025Q3", "FY2024-25", "FY2025-26"]


def _same(live: IndicatorValue, stored: IndicatorValue) -> None:
    assert stored.as_dict() == live.as_dict()


def _compare(code: str, area_code: str, period_code: str) -> None:
    where, period = area(area_code), period_parse(period_code)
    with live_only():
        live = value(code, where, period)
        live_parts = {d: breakdown(code, where, period, d) for d in _dims(code)}
        live_areas = by_area(code, where, period) if where.level != "tehsil" else []
        live_trend = series(code, where, period.months())
    _same(live, value(code, where, period))
    for month, stored_month in zip(live_trend, series(code, where, period.months()), strict=True):
        _same(month, stored_month)
    for dim, parts in live_parts.items():
        stored_parts = breakdown(code, where, period, dim)
        assert list(stored_parts) == list(parts)
        for key, part in parts.items():
            _same(part, stored_parts[key])
    if live_areas:
        stored_areas = by_area(code, where, period)
        assert [a.area.code for a in stored_areas] == [a.area.code for a in live_areas]
        for one, other in zip(live_areas, stored_areas, strict=True):
            _same(one.value, other.value)


def _dims(code: str) -> list[str]:
    return list(indicator_def(code).disaggregations)


def test_only_indicators_whose_months_add_up_are_stored() -> None:
    """A record counted on a date of its own (no `a__b` date of many related
    rows), with no rate whose condition moves with today."""
    for code in PREAGGREGATED:
        source = SOURCES[code]
        assert not isinstance(source, Rate), code
        assert "__" not in rows_of(source).when, code


@pytest.mark.django_db
def test_stored_values_equal_the_live_ones(story: Story) -> None:
    with travel(at("2025-10-15")):
        done = refresh(full=True)
        assert done.rows > 0
        assert MonthlyCount.objects.filter(indicator="victims_identified").exists()
        for code in sorted(PREAGGREGATED):
            assert is_fresh(code)
            for area_code in STORY_AREAS:
                for period_code in STORY_PERIODS:
                    _compare(code, area_code, period_code)


@pytest.mark.django_db
def test_stored_values_equal_live_across_a_district_split(split_reports: None) -> None:  # noqa: F811
    with travel(at("2023-06-15")):
        refresh(full=True)
        for area_code in ["PK609", "PK637", "PK60904", "PK63701", "PK6DV02", "PK6DV03", "PK6"]:
            for period_code in ["FY2021-22", "2022Q4", "FY2022-23", "2023Q1", "2021-11"]:
                _compare("reports_received", area_code, period_code)
        rows = {
            a.area.code: a.value.value
            for a in by_area("reports_received", area("PK6"), period_parse("FY2021-22"))
        }
        assert rows["PK609"] == 1
        assert rows["PK637"] is None  # did not exist yet


@pytest.mark.django_db
def test_stored_months_are_read_without_scanning_the_records(story: Story) -> None:
    with travel(at("2025-10-15")):
        refresh(full=True)
        with CaptureQueriesContext(connection) as queries:
            found = value("reports_received", area("PK620"), period_parse("2025Q3"))
    assert found.value == 5  # four in July, one just after midnight on 1 August
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "portal_tip" not in sql
    assert "monitoring_monthlycount" in sql


@pytest.mark.django_db
def test_a_new_report_counts_from_the_next_refresh(story: Story) -> None:
    october = period_parse("2025-10")
    with travel(at("2025-10-16")):
        refresh(full=True)
    submit(at("2025-10-16", 10, 5), "PK620")
    with travel(at("2025-10-16", 10, 6)):
        assert value("reports_received", area("PK620"), october).value == 0  # as stored
        with live_only():
            assert value("reports_received", area("PK620"), october).value == 1
        refresh(full=False)
        assert value("reports_received", area("PK620"), october).value == 1
        assert value("reports_received", area("PK620"), period_parse("FY2025-26")).value == 6


@pytest.mark.django_db
def test_future_dated_records_are_stored_too(story: Story) -> None:
    with travel(at("2025-07-01")):  # deliveries and enrolments dated after this day
        refresh(full=True)
        _compare("median_days_to_service", "PK620", "FY2025-26")
        _compare("children_enrolled", "PK620", "2025B4")


@pytest.mark.django_db
def test_stale_tallies_are_not_read(story: Story, settings: Any) -> None:
    settings.MONITORING_AGGREGATES_MAX_AGE = 30
    july = period_parse("2025-07")
    with travel(at("2025-10-15")):
        refresh(full=True)
    MonthlyCount.objects.filter(indicator="reports_received").delete()  # a broken store
    with travel(at("2025-10-15", 10, 20)):
        assert value("reports_received", area("PK620"), july).value == 0  # read from the store
    with travel(at("2025-10-15", 11)):  # the job stopped an hour ago
        assert not is_fresh("reports_received")
        assert value("reports_received", area("PK620"), july).value == 4  # live


@pytest.mark.django_db
def test_a_run_rebuilds_recent_months_and_the_daily_one_everything(
    story: Story,
) -> None:
    code = "victims_identified"
    with travel(at("2025-10-15")):
        refresh(full=True)
    MonthlyCount.objects.filter(indicator=code).delete()
    with travel(at("2025-10-15", 11)):
        assert refresh().full is False
        months = set(MonthlyCount.objects.filter(indicator=code).values_list("month", flat=True))
        assert months == {dt.date(2025, 7, 1)}  # June's record (v4) is not rebuilt
    with travel(at("2025-10-16", 11)):  # a day after the full rebuild
        assert refresh().full is True
        months = set(MonthlyCount.objects.filter(indicator=code).values_list("month", flat=True))
        assert months == {dt.date(2025, 6, 1), dt.date(2025, 7, 1)}
        state = AggregateState.objects.get(indicator=code)
        assert state.full_at == state.refreshed_at


@pytest.mark.django_db
def test_a_refresh_after_a_missed_month_fills_the_gap(story: Story) -> None:
    with travel(at("2025-06-15")):
        refresh(full=True)
    with travel(at("2025-11-02")):
        aggregates.refresh(full=False)
        for code in ("reports_received", "victims_identified", "median_days_to_service"):
            _compare(code, "PK620", "FY2025-26")


def test_the_refresh_is_scheduled_hourly() -> None:
    entry = next(e for e in SCHEDULE if e.name == "monitoring_aggregates_refresh")
    assert entry.task == "ahtc.monitoring.tasks.monitoring_aggregates_refresh_job"
    assert entry.every == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_the_job_refreshes_the_store(story: Story) -> None:
    from ahtc.jobs.services import job_enqueue
    from ahtc.jobs.tests.helpers import run_jobs
    from ahtc.monitoring.tasks import monitoring_aggregates_refresh_job

    entry = next(e for e in SCHEDULE if e.name == "monitoring_aggregates_refresh")
    job = job_enqueue(task=monitoring_aggregates_refresh_job, kind=entry.kind)
    run_jobs()
    job.refresh_from_db()
    assert job.status == "SUCCESSFUL"
    assert AggregateState.objects.count() == len(aggregates._codes())


@pytest.mark.django_db
def test_the_command_refreshes_the_store(story: Story) -> None:
    out = io.StringIO()
    call_command("indicators", "refresh", "--full", stdout=out)
    assert "every month" in out.getvalue()
    assert is_fresh("reports_received")
