"""Reporting periods: month, the Assembly's two-month period, quarter and the
July-June fiscal year.

Codes are what people type and what URLs carry:

    2025-07     July 2025
    2025B4      the fourth two-month period of 2025 (July-August)
    2025Q3      the third calendar quarter of 2025 (July-September)
    FY2025-26   the fiscal year from 1 July 2025 to 30 June 2026

A period is half-open: it starts on `start` and ends before `end`, so that
periods side by side never count a day twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    BIMONTH = "bimonth", _("two months (the Assembly's period)")
    QUARTER = "quarter", _("quarter")
    FISCAL_YEAR = "fiscal_year", _("fiscal year (July to June)")


# Months in one period of each kind; the fiscal year starts in July.
MONTHS = {
    PeriodKind.MONTH: 1,
    PeriodKind.BIMONTH: 2,
    PeriodKind.QUARTER: 3,
    PeriodKind.FISCAL_YEAR: 12,
}
FISCAL_START_MONTH = 7

_PATTERNS = [
    (PeriodKind.MONTH, re.compile(r"^(\d{4})-(\d{2})$")),
    (PeriodKind.BIMONTH, re.compile(r"^(\d{4})B(\d)$")),
    (PeriodKind.QUARTER, re.compile(r"^(\d{4})Q(\d)$")),
    (PeriodKind.FISCAL_YEAR, re.compile(r"^FY(\d{4})-(\d{2})$")),
]
_MAX_INDEX = {PeriodKind.MONTH: 12, PeriodKind.BIMONTH: 6, PeriodKind.QUARTER: 4}


class PeriodError(ValueError):
    """A period code that cannot be read; the message says what is expected."""


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + months
    return total // 12, total % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """`year` is the calendar year, or for a fiscal year the year it starts;
    `index` the month (1-12), two-month period (1-6) or quarter (1-4)."""

    kind: str
    year: int
    index: int = 1

    @property
    def first_month(self) -> tuple[int, int]:
        if self.kind == PeriodKind.FISCAL_YEAR:
            return self.year, FISCAL_START_MONTH
        return self.year, (self.index - 1) * MONTHS[PeriodKind(self.kind)] + 1

    @property
    def start(self) -> dt.date:
        year, month = self.first_month
        return dt.date(year, month, 1)

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        year, month = _add_months(*self.first_month, MONTHS[PeriodKind(self.kind)])
        return dt.date(year, month, 1)

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind == PeriodKind.BIMONTH:
            return f"{self.year}B{self.index}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}Q{self.index}"
        return f"FY{self.year}-{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        first = date_format(self.start, "F Y")
        last = date_format(self.last_day, "F Y")
        if self.kind == PeriodKind.MONTH:
            return first
        if self.kind == PeriodKind.FISCAL_YEAR:
            return gettext("fiscal year %(code)s (%(first)s to %(last)s)") % {
                "code": self.code[2:],
                "first": first,
                "last": last,
            }
        return gettext("%(first)s to %(last)s") % {"first": first, "last": last}

    def __str__(self) -> str:
        return self.code

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes in the project's time zone, for
        filtering timestamp columns by index (no per-row date conversion)."""
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods later (earlier when negative), same kind."""
        if self.kind == PeriodKind.FISCAL_YEAR:
            return Period(self.kind, self.year + steps)
        per_year = _MAX_INDEX[PeriodKind(self.kind)]
        total = self.year * per_year + (self.index - 1) + steps
        return Period(self.kind, total // per_year, total % per_year + 1)

    def previous(self) -> Period:
        return self.shifted(-1)

    def months(self) -> list[Period]:
        count = MONTHS[PeriodKind(self.kind)]
        first = period_containing(self.start, PeriodKind.MONTH)
        return [first.shifted(i) for i in range(count)]

    def elapsed_fraction(self, today: dt.date) -> float:
        """How much of the period has passed on `today` (0 before, 1 after)."""
        if today >= self.end:
            return 1.0
        if today < self.start:
            return 0.0
        return (today - self.start).days / (self.end - self.start).days


def period_parse(text: str) -> Period:
    """Read a period code; PeriodError says which forms are accepted."""
    raw = (text or "").strip().upper()
    for kind, pattern in _PATTERNS:
        match = pattern.match(raw)
        if not match:
            continue
        year, second = int(match.group(1)), int(match.group(2))
        if kind == PeriodKind.FISCAL_YEAR:
            if second != (year + 1) % 100:
                raise PeriodError(gettext("A fiscal year runs into the next year, e.g. FY2025-26."))
            return Period(kind, year)
        if not 1 <= second <= _MAX_INDEX[kind]:
            raise PeriodError(_out_of_range(kind))
        return Period(kind, year, second)
    raise PeriodError(
        gettext(
            "Write a period as a month (2025-07), two months (2025B4 for July and "
            "August), a quarter (2025Q3) or a fiscal year (FY2025-26)."
        )
    )


def _out_of_range(kind: str) -> str:
    if kind == PeriodKind.MONTH:
        return gettext("A month is 01 to 12.")
    if kind == PeriodKind.BIMONTH:
        return gettext("A year has six two-month periods, B1 (January and February) to B6.")
    return gettext("A year has four quarters, Q1 to Q4.")


def period_containing(day: dt.date, kind: str) -> Period:
    if kind == PeriodKind.FISCAL_YEAR:
        start_year = day.year if day.month >= FISCAL_START_MONTH else day.year - 1
        return Period(kind, start_year)
    size = MONTHS[PeriodKind(kind)]
    return Period(kind, day.year, (day.month - 1) // size + 1)


def months_ending(last: Period, count: int = 12) -> list[Period]:
    """`count` months up to and including the last month of `last`."""
    final = period_containing(last.last_day, PeriodKind.MONTH)
    return [final.shifted(i - count + 1) for i in range(count)]


def recent_periods(kind: str, today: dt.date | None = None, count: int = 8) -> list[Period]:
    """The current period of `kind` and the ones before it, newest first."""
    current = period_containing(today or timezone.localdate(), kind)
    return [current.shifted(-i) for i in range(count)]
