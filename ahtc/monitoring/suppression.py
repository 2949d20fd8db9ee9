"""Small numbers on the monitoring screens: shown as "fewer than k".

Monitors, analysts and committees see aggregates only (DESIGN.md, access
model), and a count of 3 victims of one sex in one district and month can
point at a person. So, as in the statistics export (exports_std.py, CTDC's
rule), any count from 1 to k-1 is shown as "fewer than k" (k from
MONITORING_SUPPRESS_K, default 11); a percentage or median resting on fewer
than k records, or a rate per 100,000 counting fewer than k, too.

Secondary suppression: where a published total and the other parts of it
would give a hidden count by subtraction (a district total and its
breakdown by sex; a division's total and its districts), the smallest other
part is hidden too, until no total reveals a hidden part; if nothing else
can be hidden, the total is. Zeros are shown (as in the export).

Across periods (differencing.py): a month hidden on one page must not come
back as a year minus its other months on another, so each count of a fiscal
year is also hidden where the year's rule hides it, on every page alike.

Exact numbers: whoever works the records of the area (*manage cases* or
*triage reports* there: the district's cell head and officers) sees them
exactly, as they see the records themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.geography.models import Area
from ahtc.monitoring.compute import (
    AreaValue,
    IndicatorTable,
    IndicatorValue,
    TableRow,
    ValueStatus,
    by_area,
    series,
)
from ahtc.monitoring.differencing import fiscal_year_of, hidden_codes
from ahtc.monitoring.exports_std import K_DEFAULT
from ahtc.monitoring.indicators import Measure, indicator_def
from ahtc.monitoring.periods import PeriodError, period_parse
from ahtc.monitoring.scorecard import ScoreLine

EXACT_PERMS = (Perm.MANAGE_CASES, Perm.TRIAGE_TIPS)


def threshold() -> int:
    return int(getattr(settings, "MONITORING_SUPPRESS_K", K_DEFAULT))


def _basis(v: IndicatorValue) -> int | None:
    """The number of records a value rests on (what must not be small)."""
    measure = indicator_def(v.code).measure
    if measure in (Measure.COUNT, Measure.PER_100K):
        return v.numerator
    return v.denominator


def hide(v: IndicatorValue, k: int) -> IndicatorValue:
    return dataclasses.replace(
        v, value=None, numerator=None, denominator=None, status=ValueStatus.SUPPRESSED, below=k
    )


def _parts_withheld(v: IndicatorValue, k: int) -> IndicatorValue:
    """A percentage stays, but its counts go when either part is small: the
    numerator, or the records not in it (denominator minus numerator)."""
    if indicator_def(v.code).measure != Measure.PERCENT or v.denominator is None:
        return v
    parts = (v.numerator or 0, v.denominator - (v.numerator or 0))
    if any(0 < n < k for n in parts):
        return dataclasses.replace(v, numerator=None, denominator=None)
    return v


def _adds_up(code: str) -> bool:
    """Counts whose months add up to the period's: the ones kept as monthly
    tallies (aggregates.PREAGGREGATED). The year's rule is for them only; the
    others (an accused convicted in two months, a kiln inspected twice) are
    counted once in a year that is not the sum of its months, so subtraction
    gives no exact number, and reading their twelve months live would cost a
    query each (differencing.py)."""
    from ahtc.monitoring.aggregates import PREAGGREGATED

    return code in PREAGGREGATED and indicator_def(code).measure == Measure.COUNT


def _counts(months: Sequence[IndicatorValue]) -> list[int]:
    return [int(m.numerator or 0) if m.ok else 0 for m in months]


@dataclass(frozen=True)
class Screen:
    """How one user's screen shows one area's numbers: k = 0 shows them exactly.

    `periods` applies the fiscal year's rule against differencing across
    periods (differencing.py); it reads the year's months once per indicator,
    area and year, kept for the life of this object (one request)."""

    k: int
    periods: bool = True
    _years: dict[tuple[str, str, str], frozenset[str]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def value(self, v: IndicatorValue) -> IndicatorValue:
        """Primary suppression of one value, and the year's rule."""
        if not self.k or not v.ok:
            return v
        basis = _basis(v)
        if basis is not None and 0 < basis < self.k:
            return hide(v, self.k)
        if self._hidden_in_year(v):
            return hide(v, self.k)
        return _parts_withheld(v, self.k)

    def _hidden_in_year(self, v: IndicatorValue) -> bool:
        if not self.periods or v.category or not _adds_up(v.code):
            return False
        try:
            year = fiscal_year_of(period_parse(v.period))
        except PeriodError:
            return False
        key = (v.code, v.area, year.code)
        if key not in self._years:
            self._years[key] = self._year(v.code, v.area, year)
        return v.period in self._years[key]

    def _year(self, code: str, area_code: str, year: Any) -> frozenset[str]:
        area = Area.objects.filter(code=area_code).first()
        if area is None:
            return frozenset()
        return hidden_codes(year, _counts(series(code, area, year.months())), self.k)

    def prime(self, total: IndicatorValue, compared: Sequence[AreaValue]) -> None:
        """Read the year's months of every compared area at once (12 grouped
        queries, not 12 per area), before their values are judged."""
        if not self.k or not self.periods or not compared or total.category:
            return
        if not _adds_up(total.code):
            return
        try:
            year = fiscal_year_of(period_parse(total.period))
        except PeriodError:
            return
        parent = Area.objects.filter(code=total.area).first()
        if parent is None:
            return
        level = compared[0].area.level
        months = [by_area(total.code, parent, m, level) for m in year.months()]
        for i, place in enumerate(compared):
            found = [m[i].value for m in months if i < len(m) and m[i].area == place.area]
            if len(found) == len(months):
                key = (total.code, place.area.code, year.code)
                self._years[key] = hidden_codes(year, _counts(found), self.k)

    def values(self, found: Sequence[IndicatorValue]) -> list[IndicatorValue]:
        return [self.value(v) for v in found]

    def group(
        self, total: IndicatorValue, parts: Sequence[IndicatorValue]
    ) -> tuple[IndicatorValue, list[IndicatorValue]]:
        """A total and its parts (categories, or areas under it), with the
        secondary suppression that stops subtraction revealing a hidden part."""
        total, shown = self.value(total), self.values(parts)
        if not self.k or indicator_def(total.code).measure != Measure.COUNT:
            return total, shown
        while True:
            hidden = [p for p in shown if p.status == ValueStatus.SUPPRESSED]
            revealing = (total.ok and len(hidden) == 1) or (
                total.status == ValueStatus.SUPPRESSED and shown and not hidden
            )
            if not revealing:
                return total, shown
            others = [i for i, p in enumerate(shown) if p.ok]
            if not others:
                return hide(total, self.k), shown
            smallest = min(others, key=lambda i: (not shown[i].value, shown[i].value or 0))
            shown[smallest] = hide(shown[smallest], self.k)


EXACT = Screen(0)


def screen_for(user: Any, area: Area) -> Screen:
    """Exact for those who work the area's records; "fewer than k" for everyone else."""
    scope = user_scope(user)
    if any(scope.permits(perm, area) for perm in EXACT_PERMS):
        return EXACT
    return Screen(threshold())


# --- the screens' shapes -------------------------------------------------------------------------


def areas(
    screen: Screen, total: IndicatorValue, compared: Sequence[AreaValue]
) -> tuple[IndicatorValue, list[AreaValue]]:
    """The comparison of the areas under an area, against that area's total."""
    screen.prime(total, compared)
    total, parts = screen.group(total, [a.value for a in compared])
    return total, [AreaValue(a.area, v) for a, v in zip(compared, parts, strict=True)]


def explorer(
    screen: Screen, result: IndicatorTable, compared: Sequence[AreaValue]
) -> tuple[IndicatorTable, list[AreaValue]]:
    """The explorer's table (one indicator: total and breakdown) and its
    comparison of areas, both against the same total, hidden consistently."""
    row = result.rows[0]
    screen.prime(row.total, compared)
    keys = list(row.cells)
    total, cells = screen.group(row.total, [row.cells[k] for k in keys])
    total, places = areas(screen, total, compared)
    total, cells = screen.group(total, cells)  # the total may have been hidden since
    masked = TableRow(row.indicator, total, dict(zip(keys, cells, strict=True)))
    return dataclasses.replace(result, rows=[masked]), places


def lines(screen: Screen, found: Sequence[ScoreLine]) -> list[ScoreLine]:
    """Scorecard lines with the actual values as the screen shows them (the
    status stays: it says met or behind, not how many)."""
    return [dataclasses.replace(line, actual=screen.value(line.actual)) for line in found]
