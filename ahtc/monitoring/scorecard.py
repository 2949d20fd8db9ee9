"""Actual against target, in words and symbols (never colour alone), and the
district league table.

A period still running is judged pro rata for counts (half the year gone:
half the yearly target expected); percentages, medians and rates are judged
as they stand. A lower-is-better count that already passed its target has
missed it, whatever remains of the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring.compute import IndicatorValue, by_area, value
from ahtc.monitoring.indicators import Measure, indicator_def
from ahtc.monitoring.models import Target
from ahtc.monitoring.periods import Period

CUMULATIVE = {Measure.COUNT, Measure.PER_100K}


class TargetStatus(models.TextChoices):
    MET = "met", _("target met")
    ON_TRACK = "on_track", _("on track")
    BEHIND = "behind", _("behind")
    MISSED = "missed", _("target missed")
    NO_DATA = "no_data", _("no data")


SYMBOLS = {
    TargetStatus.MET: "✔",
    TargetStatus.ON_TRACK: "●",
    TargetStatus.BEHIND: "▼",
    TargetStatus.MISSED: "✘",
    TargetStatus.NO_DATA: "–",
}
GOOD = {TargetStatus.MET, TargetStatus.ON_TRACK}


@dataclass(frozen=True)
class ScoreLine:
    target: Target
    actual: IndicatorValue
    status: str
    expected: float | None  # what the period so far should have reached

    @property
    def symbol(self) -> str:
        return SYMBOLS[TargetStatus(self.status)]

    @property
    def status_text(self) -> str:
        return str(TargetStatus(self.status).label)

    @property
    def change_from_baseline(self) -> float | None:
        if self.actual.value is None or self.target.baseline_value is None:
            return None
        return round(self.actual.value - float(self.target.baseline_value), 2)


def judge(
    *, measure: str, higher_is_better: bool, actual: float | None, target: Decimal, fraction: float
) -> tuple[str, float | None]:
    """The status of `actual` against `target` with `fraction` of the period gone."""
    goal = float(target)
    if actual is None:
        return TargetStatus.NO_DATA, None
    final = fraction >= 1
    expected = goal * fraction if measure in CUMULATIVE and not final else goal
    if higher_is_better:
        if actual >= goal:
            return TargetStatus.MET, expected
        if final:
            return TargetStatus.MISSED, expected
        return (TargetStatus.ON_TRACK if actual >= expected else TargetStatus.BEHIND), expected
    if actual > goal and (final or measure in CUMULATIVE):
        return TargetStatus.MISSED, expected
    if final:
        return TargetStatus.MET, expected
    return (TargetStatus.ON_TRACK if actual <= goal else TargetStatus.BEHIND), expected


def _line(target: Target, actual: IndicatorValue, period: Period, today: dt.date) -> ScoreLine:
    defn = indicator_def(target.indicator.code)
    status, expected = judge(
        measure=defn.measure,
        higher_is_better=defn.higher_is_better,
        actual=actual.value,
        target=target.value,
        fraction=period.elapsed_fraction(today),
    )
    return ScoreLine(target, actual, status, expected)


def targets_in(area: Area, period: Period) -> models.QuerySet[Target]:
    return Target.objects.filter(area=area, period=period.code).select_related("indicator")


def scorecard(area: Area, period: Period, today: dt.date | None = None) -> list[ScoreLine]:
    """Every target of `area` in `period`, with the actual value and its status."""
    today = today or timezone.localdate()
    return [
        _line(t, value(t.indicator.code, area, period), period, today)
        for t in targets_in(area, period)
    ]


@dataclass
class LeagueRow:
    area: Area
    lines: list[ScoreLine]
    rank: int | None = None

    @property
    def met(self) -> int:
        return sum(1 for line in self.lines if line.status in GOOD)

    @property
    def score(self) -> float | None:
        """Share of targets met or on track, in percent (None: no targets)."""
        return round(100 * self.met / len(self.lines), 1) if self.lines else None


def league_table(area: Area, period: Period, today: dt.date | None = None) -> list[LeagueRow]:
    """Districts under `area` ranked by the share of their targets met or on
    track in `period`; districts without targets come last, unranked. One
    grouped query per indicator that has targets, whatever the number of districts."""
    today = today or timezone.localdate()
    districts = [
        a
        for a in Area.objects.within(area).of_level(AreaLevel.DISTRICT).order_by("path")
        if a.is_valid_on(min(period.last_day, today)) or a.is_valid_on(period.start)
    ]
    targets: dict[str, list[Target]] = defaultdict(list)
    for target in Target.objects.filter(area__in=districts, period=period.code).select_related(
        "indicator", "area"
    ):
        targets[target.indicator.code].append(target)
    lines: dict[int, list[ScoreLine]] = defaultdict(list)
    for code, rows in targets.items():
        actual = {v.area.pk: v.value for v in by_area(code, area, period)}
        for target in rows:
            lines[target.area_id].append(_line(target, actual[target.area_id], period, today))
    table = [LeagueRow(d, lines.get(d.pk, [])) for d in districts]
    return _ranked(table)


def _ranked(table: list[LeagueRow]) -> list[LeagueRow]:
    scored = sorted((r for r in table if r.score is not None), key=lambda r: -(r.score or 0))
    previous: float | None = None
    for position, row in enumerate(scored, start=1):
        row.rank = scored[position - 2].rank if row.score == previous else position
        previous = row.score
    unscored = [r for r in table if r.score is None]
    return scored + unscored
