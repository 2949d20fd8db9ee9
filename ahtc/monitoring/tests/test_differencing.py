"""Small numbers across periods: no hidden small count of a fiscal year can
be found by adding and subtracting the months, two-month periods, quarters
and year that are shown (differencing.py)."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from ahtc.monitoring.differencing import hidden_codes, protect_year
from ahtc.monitoring.periods import period_parse

K = 11
Cell = tuple[str, frozenset[int], int]


def cells(months: list[int]) -> list[Cell]:
    """Every period of the year as (name, months in it, count)."""
    found: list[Cell] = [(f"m{i}", frozenset({i}), n) for i, n in enumerate(months)]
    found += [(f"b{j}", frozenset({2 * j, 2 * j + 1}), 0) for j in range(6)]
    found += [(f"q{q}", frozenset(range(3 * q, 3 * q + 3)), 0) for q in range(4)]
    found += [("year", frozenset(range(12)), 0)]
    return [(name, inside, sum(months[i] for i in inside)) for name, inside, _n in found]


def hidden_names(months: list[int]) -> set[str]:
    found = protect_year(months, K)
    names = {f"m{i}" for i in found.months} | {f"b{j}" for j in found.bimonths}
    names |= {f"q{q}" for q in found.quarters}
    return names | ({"year"} if found.year else set())


def _reduce(vector: list[Fraction], basis: list[list[Fraction]]) -> list[Fraction]:
    for row in basis:
        pivot = next(i for i, x in enumerate(row) if x)
        if vector[pivot]:
            factor = vector[pivot] / row[pivot]
            vector = [a - factor * b for a, b in zip(vector, row, strict=True)]
    return vector


def derivable(target: frozenset[int], shown: list[frozenset[int]]) -> bool:
    """Is the sum over `target` a combination of the shown sums?"""
    basis: list[list[Fraction]] = []
    for inside in shown:
        rest = _reduce([Fraction(int(i in inside)) for i in range(12)], basis)
        if any(rest):
            basis.append(rest)
    return not any(_reduce([Fraction(int(i in target)) for i in range(12)], basis))


def leaks(months: list[int]) -> list[str]:
    hidden = hidden_names(months)
    everything = cells(months)
    shown = [inside for name, inside, _n in everything if name not in hidden]
    small = [(name, inside) for name, inside, n in everything if 0 < n < K]
    assert all(name in hidden for name, _inside in small)  # primary suppression
    return [name for name, inside in small if derivable(inside, shown)]


def test_a_small_month_in_a_large_year_hides_its_pair_month_not_the_year() -> None:
    """July 3 in a year of 250: the year minus the other months would give July."""
    months = [3, 20, 25, 30, 15, 12, 40, 18, 22, 25, 20, 20]
    assert leaks(months) == []
    assert hidden_names(months) == {"m0", "m1", "q0"}


def test_september_is_protected_against_quarter_minus_two_months() -> None:
    """September = July-September minus July-August, with no month shown."""
    months = [30, 30, 4, 30, 30, 30, 30, 30, 30, 30, 30, 30]
    assert leaks(months) == []
    assert "q0" in hidden_names(months)  # the quarter that would give it away


def test_one_small_two_month_period_hides_another_so_the_year_does_not_tell() -> None:
    months = [3, 2, 30, 30, 30, 30, 30, 30, 30, 30, 12, 12]
    hidden = hidden_names(months)
    assert {"b0", "b5"} <= hidden  # the smallest other: November-December (24)
    assert "year" not in hidden
    assert leaks(months) == []


def test_a_small_year_is_hidden_with_its_months() -> None:
    assert hidden_names([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) == set()
    only_small = [5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert hidden_names(only_small) == {"m0", "m1", "b0", "q0", "year"}
    assert leaks(only_small) == []


def test_zeros_and_large_counts_hide_nothing() -> None:
    assert hidden_names([0, 11, 12, 0, 50, 0, 11, 11, 11, 0, 0, 99]) == set()


@pytest.mark.parametrize("seed", range(60))
def test_no_small_count_can_be_found_by_subtraction(seed: int) -> None:
    """Random years of small districts (many months below k) and large ones."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    top = rng.choice([4, 8, 15, 30, 60])
    for _round in range(10):
        months = [rng.choice([0, rng.randint(0, top)]) for _m in range(12)]
        assert leaks(months) == [], months


def test_the_hidden_cells_have_their_period_codes() -> None:
    months = [3, 20, 25, 30, 15, 12, 40, 18, 22, 25, 20, 20]
    codes = hidden_codes(period_parse("FY2025-26"), months, K)
    assert codes == {"2025-07", "2025-08", "2025Q3"}


def test_a_year_is_twelve_months() -> None:
    with pytest.raises(ValueError, match="12 months"):
        protect_year([1, 2, 3], K)
