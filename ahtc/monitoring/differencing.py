"""Small numbers across periods: a longer period must not give away a month.

Every period the screens, reports and API serve nests in one July-June
fiscal year: its 12 months, six two-month periods (the Assembly's), four
quarters and the year itself. Anyone reading aggregates can ask for each of
them, on different pages, so hiding a small month is not enough: the year
minus the 11 other months, a quarter minus a two-month period (September =
the third quarter minus July-August), or a two-month period minus its other
month would give it back. The rule below is applied to the whole year at
once, from the months, so every page hides the same cells whatever it shows:

1. A month, two-month period or year counting 1 to k-1 is hidden (primary).
2. If exactly one two-month period of a year that is shown is hidden, the
   year minus the others would give it away: the smallest other non-zero
   two-month period is hidden too. With none to hide, the year is hidden.
3. A two-month period that is shown, with one of its two months hidden,
   hides the other month (the period minus it would give it away). A hidden
   two-month period hides both its months, even a zero (otherwise a quarter
   that cuts it, minus the shown month, could be worked out).
4. Quarters are not the Assembly's period and cut across the two-month ones,
   so a quarter is shown to aggregate readers only when none of its months is
   hidden: it then adds nothing the months do not say.

Afterwards the hidden months go in pairs, and every shown sum holds both
or neither month of a pair, and either no hidden pair or at least two: it cannot
be found by adding and subtracting shown numbers (tested by brute force in
tests/test_differencing.py). This holds for counts whose months add up; for
counts of distinct things over a period (a kiln inspected in two months counts
once in the year) the year is not the sum of its months and subtraction gives
no exact number anyway, so the rule is applied only to the counts kept as
monthly tallies, whose months add up by construction (suppression._adds_up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ahtc.monitoring.periods import Period, PeriodKind, period_containing

PAIRS = 6  # two-month periods in a year
QUARTERS = 4


@dataclass(frozen=True)
class YearHidden:
    """What the rule hides in one fiscal year (indexes from July = 0)."""

    months: frozenset[int]
    bimonths: frozenset[int]
    quarters: frozenset[int]
    year: bool


def _smallest(indexes: Sequence[int], counts: Sequence[int]) -> int:
    """The smallest non-zero count (zeros last: hiding them costs a shown zero)."""
    return min(indexes, key=lambda i: (not counts[i], counts[i]))


def _pair(j: int) -> set[int]:
    return {2 * j, 2 * j + 1}


def protect_year(months: Sequence[int], k: int) -> YearHidden:
    """The cells of a fiscal year to hide, given its 12 monthly counts."""
    if len(months) != 12:
        raise ValueError("a fiscal year has 12 months")

    def small(n: int) -> bool:
        return 0 < n < k

    pairs = [months[2 * j] + months[2 * j + 1] for j in range(PAIRS)]
    hidden_months = {i for i, n in enumerate(months) if small(n)}
    hidden_pairs = {j for j, n in enumerate(pairs) if small(n)}
    year = small(sum(months))
    if not year and len(hidden_pairs) == 1:
        others = [j for j in range(PAIRS) if j not in hidden_pairs and pairs[j]]
        if others:
            hidden_pairs.add(_smallest(others, pairs))
        else:
            year = True
    for j in range(PAIRS):
        if j in hidden_pairs or _pair(j) & hidden_months:
            hidden_months |= _pair(j)
    quarters = {q for q in range(QUARTERS) if set(range(3 * q, 3 * q + 3)) & hidden_months}
    return YearHidden(frozenset(hidden_months), frozenset(hidden_pairs), frozenset(quarters), year)


def hidden_codes(year: Period, months: Sequence[int], k: int) -> frozenset[str]:
    """The codes of the periods of `year` to hide (months, 2025B4, 2025Q3, FY...)."""
    found = protect_year(months, k)
    firsts = [m.start for m in year.months()]
    codes = {year.months()[i].code for i in found.months}
    codes |= {period_containing(firsts[2 * j], PeriodKind.BIMONTH).code for j in found.bimonths}
    codes |= {period_containing(firsts[3 * q], PeriodKind.QUARTER).code for q in found.quarters}
    if found.year:
        codes.add(year.code)
    return frozenset(codes)


def fiscal_year_of(period: Period) -> Period:
    return period_containing(period.start, PeriodKind.FISCAL_YEAR)
