"""Pre-aggregated monthly tallies: what keeps the provincial dashboard fast.

The live computation (compute.py) is the reference. For the indicators in
PREAGGREGATED, a scheduled job (`monitoring_aggregates_refresh`, hourly)
stores their tallies per month, district (as filed), tehsil and
breakdown category in MonthlyCount; a period's value is then the sum of its
months (a few hundred small rows instead of a scan of the records). Each run
rebuilds the months from RECENT_MONTHS back onwards (new and late entries
land there; future-dated ones too); once a day a run rebuilds everything
(corrections to older months). So the screens show the records as they were
at the last run, at most an hour old.

Only indicators whose monthly tallies add up to the period's are stored:
each record is counted on one date of its own (not the first of many dates
of related rows: an accused convicted in two months, a kiln inspected twice),
with no condition that depends on the period or on today. The others stay
live (`tests/test_aggregates.py` checks the list against the sources, and
that stored and live values agree, across a district split too).

When the store is older than MONITORING_AGGREGATES_MAX_AGE minutes (the job
stopped), everything is computed live: slower, never stale. A committee
report's frozen numbers are computed live (`live_only`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring.indicators import DIMENSIONS, indicator_def
from ahtc.monitoring.models import AggregateState, MonthlyCount
from ahtc.monitoring.periods import Period
from ahtc.monitoring.sources import SOURCES, Durations, PerPopulation, Rows, as_date

# Counts of a record's own date, whose months add up (see the module's docstring).
PREAGGREGATED: frozenset[str] = frozenset(
    {
        "reports_received",
        "cases_opened",
        "firs_registered",
        "arrests",
        "median_days_report_to_fir",
        "median_days_fir_to_verdict",
        "victims_identified",
        "sdg_16_2_2",
        "referrals_made",
        "referrals_completed",
        "median_days_to_service",
        "seen_again_alerts",
        "children_withdrawn",
        "children_enrolled",
        "agency_notices_served",
        "workers_eobi_registered",
    }
)
RECENT_MONTHS = 3
P = ParamSpec("P")
R = TypeVar("R")
FULL_EVERY = dt.timedelta(days=1)
BATCH = 5000

_live_only: ContextVar[bool] = ContextVar("monitoring_live_only", default=False)


@contextmanager
def live_only() -> Iterator[None]:
    """Compute from the records inside this block (a report's frozen numbers)."""
    token = _live_only.set(True)
    try:
        yield
    finally:
        _live_only.reset(token)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_back(day: dt.date, count: int) -> dt.date:
    total = day.year * 12 + day.month - 1 - count
    return dt.date(total // 12, total % 12 + 1, 1)


def _rows(code: str) -> Rows:
    source = SOURCES[code]
    if isinstance(source, Durations | PerPopulation):
        return source.rows
    if not isinstance(source, Rows):
        raise TypeError(f"{code} cannot be pre-aggregated")
    return source


# --- building ----------------------------------------------------------------------------------


def _records(rows: Rows, since: dt.date | None) -> QuerySet[Any]:
    """The rows dated from `since` on (all dated rows when None)."""
    queryset = rows.query()
    condition = Q(**{f"{rows.when}__isnull": False})
    if since is not None:
        start: Any = since
        if _is_datetime(queryset, rows.when):
            start = dt.datetime.combine(since, dt.time.min, tzinfo=timezone.get_current_timezone())
        condition &= Q(**{f"{rows.when}__gte": start})
    if rows.also is not None:
        condition &= rows.also(None)  # the stored sources' conditions ignore the period
    return queryset.filter(condition).order_by()


def _is_datetime(queryset: QuerySet[Any], path: str) -> bool:
    from ahtc.monitoring.compute import is_datetime

    return is_datetime(queryset.model, path)


def _place(rows: Rows) -> list[str]:
    return [rows.district, *([rows.tehsil] if rows.tehsil else [])]


def _split(rows: Rows, row: tuple[Any, ...]) -> tuple[int | None, int | None, tuple[Any, ...]]:
    """(district, tehsil, the rest) of a row that starts with _place's columns."""
    if rows.tehsil:
        return row[0], row[1], row[2:]
    return row[0], None, row[1:]


def _dims(code: str, rows: Rows) -> list[str]:
    return [d for d in indicator_def(code).disaggregations if d in rows.dims]


def _counted(code: str, rows: Rows, records: QuerySet[Any]) -> Iterator[MonthlyCount]:
    """Distinct records per month and place, then per category of each breakdown."""
    place = _place(rows)
    dated = records.annotate(agg_month=TruncMonth(rows.when))
    totals = dated.values_list("agg_month", *place).annotate(n=Count("pk", distinct=True))
    for month, *rest in totals.order_by():
        district, tehsil, (n,) = _split(rows, tuple(rest))
        yield _row(code, month, district, tehsil, "", "", n)
    for dim in _dims(code, rows):
        if DIMENSIONS[dim].multi:
            yield from _counted_multi(code, rows, dated, dim)
            continue
        grouped = dated.values_list("agg_month", *place, rows.dims[dim]).annotate(
            n=Count("pk", distinct=True)
        )
        tally: Counter[tuple[Any, ...]] = Counter()
        for month, *rest in grouped.order_by():
            district, tehsil, (category, n) = _split(rows, tuple(rest))
            tally[(month, district, tehsil, category or "")] += n
        for (month, district, tehsil, category), n in tally.items():
            yield _row(code, month, district, tehsil, dim, category, n)


def _counted_multi(code: str, rows: Rows, dated: QuerySet[Any], dim: str) -> Iterator[MonthlyCount]:
    """A list per record: each record once per category it names (as compute._counts)."""
    names = ["pk", "agg_month", *_place(rows), rows.dims[dim]]
    by_record = {row[0]: row[1:] for row in dated.values_list(*names)}
    tally: Counter[tuple[Any, ...]] = Counter()
    for month, *rest in by_record.values():
        district, tehsil, (categories,) = _split(rows, tuple(rest))
        for category in set(categories or []):
            tally[(month, district, tehsil, category)] += 1
    for (month, district, tehsil, category), n in tally.items():
        yield _row(code, month, district, tehsil, dim, category, n)


def _timed(code: str, source: Durations, records: QuerySet[Any]) -> Iterator[MonthlyCount]:
    """One row per number of days (per month, place and category): exact medians."""
    rows = source.rows
    dims = _dims(code, rows)
    names = ["pk", *_place(rows), *(rows.dims[d] for d in dims), *source.start, source.end]
    tally: Counter[tuple[Any, ...]] = Counter()
    for row in {r[0]: r[1:] for r in records.values_list(*names)}.values():
        district, tehsil, rest = _split(rows, row)
        categories, dates = rest[: len(dims)], rest[len(dims) :]
        start = next((as_date(d) for d in dates[:-1] if d is not None), None)
        end = as_date(dates[-1])
        if start is None or end is None:
            continue
        key = (month_start(end), district, tehsil, (end - start).days)
        tally[(*key, "", "")] += 1
        for dim, category in zip(dims, categories, strict=True):
            tally[(*key, dim, category or "")] += 1
    for (month, district, tehsil, days, dim, category), n in tally.items():
        yield _row(code, month, district, tehsil, dim, category, n, days)


def _row(
    code: str,
    month: Any,
    district: int | None,
    tehsil: int | None,
    dim: str,
    category: str,
    n: int,
    days: int | None = None,
) -> MonthlyCount:
    day = as_date(month) or month  # TruncMonth of a timestamp: its local date
    return MonthlyCount(
        indicator=code,
        month=day,
        district_id=district or 0,
        tehsil_id=tehsil,
        dimension=dim,
        category=str(category)[:100],
        days=days,
        count=n,
    )


def build(code: str, since: dt.date | None) -> list[MonthlyCount]:
    """The monthly rows of `code` from the month `since` on (None: all)."""
    source = SOURCES[code]
    rows = _rows(code)
    records = _records(rows, since)
    made = (
        _timed(code, source, records)
        if isinstance(source, Durations)
        else _counted(code, rows, records)
    )
    return [r for r in made if r.district_id]


@dataclass(frozen=True)
class RefreshReport:
    indicators: int
    rows: int
    full: bool


def _due_full(now: dt.datetime) -> bool:
    states = AggregateState.objects.filter(indicator__in=PREAGGREGATED)
    if states.count() < len(_codes()):
        return True
    return states.filter(full_at__lt=now - FULL_EVERY).exists()


def _codes() -> list[str]:
    return sorted(c for c in PREAGGREGATED if indicator_def(c).is_active)


def refresh(*, full: bool | None = None, now: dt.datetime | None = None) -> RefreshReport:
    """Rebuild the stored months from RECENT_MONTHS back (and from the last
    run, if that is older), or everything when `full` (None: when the last
    full rebuild is a day old). Each indicator in its own transaction."""
    now = now or timezone.now()
    full = _due_full(now) if full is None else full
    recent = months_back(month_start(timezone.localdate(now)), RECENT_MONTHS)
    total = 0
    for code in _codes():
        total += _refresh_one(code, recent, now, full)
    return RefreshReport(len(_codes()), total, full)


@transaction.atomic
def _refresh_one(code: str, recent: dt.date, now: dt.datetime, full: bool) -> int:
    state = AggregateState.objects.select_for_update().filter(indicator=code).first()
    since = None
    if state is not None and not full:
        since = min(month_start(timezone.localdate(state.refreshed_at)), recent)
    stale = MonthlyCount.objects.filter(indicator=code)
    (stale.filter(month__gte=since) if since else stale).delete()
    made = build(code, since)
    MonthlyCount.objects.bulk_create(made, batch_size=BATCH)
    full_at = now if since is None or state is None else state.full_at
    AggregateState.objects.update_or_create(
        indicator=code, defaults={"refreshed_at": now, "full_at": full_at}
    )
    return len(made)


# --- reading -----------------------------------------------------------------------------------


def max_age() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "MONITORING_AGGREGATES_MAX_AGE", 90))


_states: ContextVar[frozenset[str] | None] = ContextVar("monitoring_states", default=None)


def _fresh() -> QuerySet[AggregateState]:
    return AggregateState.objects.filter(refreshed_at__gte=timezone.now() - max_age())


@contextmanager
def reading() -> Iterator[None]:
    """Look up which indicators are fresh once for a whole page, not per value."""
    token = _states.set(frozenset(_fresh().values_list("indicator", flat=True)))
    try:
        yield
    finally:
        _states.reset(token)


def reads_aggregates(view: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with reading():
            return view(*args, **kwargs)

    return wrapped


def is_fresh(code: str) -> bool:
    """Whether `code` is read from the store (else computed live)."""
    if _live_only.get() or code not in PREAGGREGATED:
        return False
    known = _states.get()
    if known is not None:
        return code in known
    return _fresh().filter(indicator=code).exists()


@dataclass
class Stored:
    """Tallies read from the stored months, as compute.Tally fields."""

    count: int = 0
    hits: int = 0
    days: list[int] | None = None


def _group_key(area: Area, group: str) -> tuple[str, str]:
    """(the dimension stored, the column grouped by) for compute's groups."""
    if not group:
        return "", ""
    if group == "areas":
        return "", "tehsil__path" if area.level == AreaLevel.DISTRICT else "district__path"
    return group.removeprefix("dim:"), "category"


def _stored(code: str, area: Area, start: dt.date, end: dt.date, dim: str) -> QuerySet[Any]:
    place = "tehsil__path" if area.level == AreaLevel.TEHSIL else "district__path"
    return MonthlyCount.objects.filter(
        indicator=code, dimension=dim, month__gte=start, month__lt=end
    ).filter(**{f"{place}__startswith": area.path})


def _grouped(code: str, stored: QuerySet[Any], column: str) -> dict[Any, Stored]:
    found: dict[Any, Stored] = defaultdict(Stored)
    if isinstance(SOURCES[code], Durations):
        for key, days, n in stored.values_list(column, "days").annotate(n=Sum("count")):
            entry = found[key if key is not None else ""]
            entry.days = [*(entry.days or []), *([days] * n)]
        return found
    summed = stored.values_list(column).annotate(n=Sum("count"), h=Sum("hits"))
    for key, n, h in summed.order_by():
        entry = found[key if key is not None else ""]
        entry.count += n or 0
        entry.hits += h or 0
    return found


def stored_tallies(code: str, area: Area, period: Period, group: str) -> dict[str, Stored]:
    """The stored months of `period` under `area`, grouped as compute groups them."""
    dim, column = _group_key(area, group)
    stored = _stored(code, area, period.start, period.end, dim)
    if not column:
        return {"": _stored_total(code, stored)}
    return _grouped(code, stored, column)


def stored_months(code: str, area: Area, start: dt.date, end: dt.date) -> dict[dt.date, Stored]:
    """The total of each stored month in [start, end) under `area` (a trend, one query)."""
    return _grouped(code, _stored(code, area, start, end, ""), "month")


def _stored_total(code: str, stored: QuerySet[MonthlyCount]) -> Stored:
    if isinstance(SOURCES[code], Durations):
        days: list[int] = []
        for n_days, n in stored.values_list("days").annotate(n=Sum("count")).order_by():
            days += [n_days] * n
        return Stored(days=days)
    sums = stored.aggregate(n=Sum("count"), h=Sum("hits"))
    return Stored(count=sums["n"] or 0, hits=sums["h"] or 0)
