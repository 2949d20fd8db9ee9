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

Exact numbers: whoever works the records of the area (*manage cases* or
*triage reports* there: the district's cell head and officers) sees them
exactly, as they see the records themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
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
)
from ahtc.monitoring.exports_std import K_DEFAULT
from ahtc.monitoring.indicators import Measure, indicator_def
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


@dataclass(frozen=True)
class Screen:
    """How one user's screen shows one area's numbers: k = 0 shows them exactly."""

    k: int

    def value(self, v: IndicatorValue) -> IndicatorValue:
        """Primary suppression of one value."""
        if not self.k or not v.ok:
            return v
        basis = _basis(v)
        return hide(v, self.k) if basis is not None and 0 < basis < self.k else v

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
    total, parts = screen.group(total, [a.value for a in compared])
    return total, [AreaValue(a.area, v) for a, v in zip(compared, parts, strict=True)]


def explorer(
    screen: Screen, result: IndicatorTable, compared: Sequence[AreaValue]
) -> tuple[IndicatorTable, list[AreaValue]]:
    """The explorer's table (one indicator: total and breakdown) and its
    comparison of areas, both against the same total, hidden consistently."""
    row = result.rows[0]
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
