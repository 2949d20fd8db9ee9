"""Targets judged in words and symbols; the league table; the demo's targets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from ahtc.demo.monitoring import build_monitoring
from ahtc.monitoring.models import Target
from ahtc.monitoring.periods import period_parse
from ahtc.monitoring.scorecard import SYMBOLS, TargetStatus, judge, league_table, scorecard
from ahtc.monitoring.services import MonitoringError, target_set
from ahtc.monitoring.tests.conftest import area, at, submit


@pytest.mark.parametrize(
    ("measure", "higher", "actual", "fraction", "status"),
    [
        ("count", True, 10, 1.0, TargetStatus.MET),
        ("count", True, 9, 1.0, TargetStatus.MISSED),
        ("count", True, 5, 0.5, TargetStatus.ON_TRACK),  # half the period, half the target
        ("count", True, 4, 0.5, TargetStatus.BEHIND),
        ("count", False, 11, 0.5, TargetStatus.MISSED),  # a ceiling passed early stays passed
        ("count", False, 3, 1.0, TargetStatus.MET),
        ("percent", True, 9, 0.5, TargetStatus.BEHIND),  # rates are judged as they stand
        ("median_days", False, 12, 0.5, TargetStatus.BEHIND),
        ("median_days", False, 8, 1.0, TargetStatus.MET),
        ("count", True, None, 1.0, TargetStatus.NO_DATA),
    ],
)
def test_judge(measure: str, higher: bool, actual: Any, fraction: float, status: str) -> None:
    result, _expected = judge(
        measure=measure,
        higher_is_better=higher,
        actual=actual,
        target=Decimal(10),
        fraction=fraction,
    )
    assert result == status


def test_every_status_has_a_symbol() -> None:
    assert set(SYMBOLS) == set(TargetStatus)


@pytest.mark.django_db
def test_scorecard_and_league_table_rank_by_share_met(provincial_monitor: Any) -> None:
    submit(at("2025-07-05"), "PK620")
    submit(at("2025-07-06"), "PK620")
    july = period_parse("2025-07")
    for code, goal in (("PK620", 2), ("PK610", 1), ("PK611", 1)):
        target_set(
            indicator_code="reports_received",
            area=area(code),
            period="2025-07",
            value=Decimal(goal),
            by=provincial_monitor,
        )
    card = scorecard(area("PK620"), july, dt.date(2025, 9, 1))
    assert [(line.status, line.actual.value) for line in card] == [("met", 2)]
    league = league_table(area("PK6DV03"), july, dt.date(2025, 9, 1))
    ranks = {row.area.code: (row.rank, row.score) for row in league}
    assert ranks["PK620"] == (1, 100.0)
    assert ranks["PK610"] == ranks["PK611"] == (2, 0.0)  # ties share a rank
    assert ranks["PK637"] == (None, None)  # no targets: listed last, unranked
    assert league[-1].area.code == "PK637"


@pytest.mark.django_db
def test_targets_refuse_a_period_kind_or_value_out_of_rule(db: Any) -> None:
    with pytest.raises(MonitoringError, match="cannot be negative"):
        target_set(
            indicator_code="arrests",
            area=area("PK620"),
            period="2025-07",
            value=Decimal(-1),
            by=None,
        )
    with pytest.raises(MonitoringError, match="period"):
        target_set(
            indicator_code="arrests", area=area("PK620"), period="2025M7", value=Decimal(1), by=None
        )


@pytest.mark.django_db
def test_demo_sets_mandi_bahauddins_year_and_the_division(provincial_monitor: Any) -> None:
    ctx = SimpleNamespace(users={"provincial_monitor": provincial_monitor})
    build_monitoring(ctx)
    build_monitoring(ctx)  # twice: the same targets, not doubled
    mbdin = Target.objects.filter(area__code="PK620", period="FY2024-25")
    assert mbdin.count() == 10
    assert mbdin.exclude(baseline_value=None).count() == 10
    assert Target.objects.filter(area__code__in=["PK610", "PK611", "PK637"]).count() == 9
