"""Indicator values: the one interface every monitoring screen, report and
export uses (committee reports and standard exports build on it).

    value(code, area, period, disaggregation=None) -> IndicatorValue
    table(codes, area, period, by=None) -> IndicatorTable
    by_area(code, area, period, level="district") -> list[AreaValue]
    series(code, area, periods) -> list[IndicatorValue]

Everything is aggregated in the database (one grouped query per source, two
for a percentage); the medians read only pairs of dates. No function here
checks who asks: callers pass an area the user may see (selectors.py). Values
never carry a record, only counts.

Areas across boundary changes: a record counts for the area it was filed
under (its district, or its tehsil), found by the materialised `path`, so a
report filed under a district before a split stays that district's and its
division's. An area that did not exist at any time in the period has no value
("not applicable"), rather than a misleading zero.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ahtc.geography.models import Area, AreaLevel
from ahtc.monitoring import aggregates
from ahtc.monitoring.indicators import (
    DIMENSIONS,
    IndicatorDef,
    Measure,
    indicator_def,
)
from ahtc.monitoring.periods import Period, PeriodKind
from ahtc.monitoring.sources import (
    SOURCES,
    Durations,
    PerPopulation,
    Rate,
    Rows,
    Source,
    as_date,
)

PER = 100_000


class ValueStatus(models.TextChoices):
    OK = "ok", _("computed")
    PENDING = "pending", _("not yet available: the module that records it is still to come")
    NOT_APPLICABLE = "not_applicable", _("the area did not exist in this period")
    UNAVAILABLE = "unavailable", _("not recorded at this level of the area tree")
    NO_POPULATION = "no_population", _("no population figure for this area")
    NO_DATA = "no_data", _("nothing to measure in this period")
    SUPPRESSED = "suppressed", _("too few to show: small numbers could identify people")


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    area: str
    period: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    category: str = ""  # the breakdown's value; "" for the total
    status: str = ValueStatus.OK
    note: str = ""
    below: int = 0  # suppressed: the threshold k it is below (suppression.py)

    @property
    def ok(self) -> bool:
        return self.status == ValueStatus.OK and self.value is not None

    @property
    def display(self) -> str:
        """The value as shown on screens and in reports (the same everywhere)."""
        if self.status == ValueStatus.SUPPRESSED:
            return gettext("fewer than %(k)d") % {"k": self.below}
        if self.value is None:
            return "–"
        measure = indicator_def(self.code).measure
        if measure == Measure.COUNT:
            return number_format(int(self.value), force_grouping=True)
        if measure == Measure.PERCENT:
            return f"{number_format(self.value, 1)}%"
        return number_format(self.value, 1 if measure == Measure.MEDIAN_DAYS else 2)

    @property
    def status_text(self) -> str:
        return str(ValueStatus(self.status).label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.code,
            "area": self.area,
            "period": self.period,
            "category": self.category,
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "status": self.status,
            "note": self.note,
        }


@dataclass
class TableRow:
    indicator: IndicatorDef
    total: IndicatorValue
    cells: dict[str, IndicatorValue] = field(default_factory=dict)


@dataclass
class IndicatorTable:
    area: Area
    period: Period
    by: str | None
    columns: list[tuple[str, str]]  # (category, label) of the breakdown
    rows: list[TableRow]


@dataclass(frozen=True)
class AreaValue:
    area: Area
    value: IndicatorValue


# --- validity and area filters --------------------------------------------------------------


def existence_note(area: Area, period: Period) -> tuple[bool, str]:
    """Whether the area existed at some time in the period, and a note when only in part."""
    starts, ends = area.valid_from, area.valid_to
    if (starts and starts >= period.end) or (ends and ends <= period.start):
        return False, gettext("%(area)s did not exist in %(period)s.") % {
            "area": area.name,
            "period": period.code,
        }
    if starts and starts > period.start:
        return True, gettext("Counted from %(day)s, when the area was created.") % {
            "day": starts.isoformat()
        }
    if ends and ends < period.end:
        return True, gettext("Counted until %(day)s, when the area ended.") % {
            "day": ends.isoformat()
        }
    return True, ""


def _path_field(rows: Rows, area: Area) -> str:
    """The filed-under path to match `area` against ("" if not recorded at its level)."""
    if area.level == AreaLevel.TEHSIL:
        return f"{rows.tehsil}__path" if rows.tehsil else ""
    return f"{rows.district}__path"


def is_datetime(model: type[models.Model], path: str) -> bool:
    current: Any = model
    for part in path.split("__"):
        try:
            found = current._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # an annotation: the sources annotate dates only
        if found.is_relation:
            current = found.related_model
        else:
            return isinstance(found, models.DateTimeField)
    return False


def _period_q(rows: Rows, queryset: QuerySet[Any], period: Period) -> Q:
    if is_datetime(queryset.model, rows.when):
        start, end = period.bounds()
    else:
        start, end = period.start, period.end  # type: ignore[assignment]
    return Q(**{f"{rows.when}__gte": start, f"{rows.when}__lt": end})


def _rows_in(
    rows: Rows, area: Area, period: Period, filters: dict[str, str], extra: Q | None = None
) -> QuerySet[Any]:
    """The rows filed under `area` in `period`, in one filter() so that
    conditions on the same related rows (verdict date and outcome) match one row."""
    queryset = rows.query()
    condition = Q(**{f"{_path_field(rows, area)}__startswith": area.path})
    condition &= _period_q(rows, queryset, period)
    if rows.also is not None:
        condition &= rows.also(period)
    if extra is not None:
        condition &= extra
    for dim, category in filters.items():
        condition &= Q(**{rows.dims[dim]: category})
    return queryset.filter(condition).order_by()


# --- grouped tallies -------------------------------------------------------------------------


def _group_field(rows: Rows, area: Area, group: str) -> str:
    """'' (total), a breakdown ('dim:sex') or the child areas ('areas')."""
    if not group:
        return ""
    if group == "areas":
        if area.level == AreaLevel.DISTRICT:
            return f"{rows.tehsil}__path" if rows.tehsil else ""
        return f"{rows.district}__path"
    return rows.dims[group.removeprefix("dim:")]


def _counts(queryset: QuerySet[Any], group_field: str, multi: bool) -> dict[str, int]:
    if not group_field:
        return {"": queryset.aggregate(n=Count("pk", distinct=True))["n"] or 0}
    if multi:  # a list per record: count each record once per category it names
        tally: Counter[str] = Counter()
        for categories in dict(queryset.values_list("pk", group_field)).values():
            tally.update(set(categories or []))
        return dict(tally)
    grouped = queryset.values_list(group_field).annotate(n=Count("pk", distinct=True))
    result: Counter[str] = Counter()
    for key, count in grouped:
        result[key or ""] += count
    return dict(result)


def _durations(
    source: Durations, queryset: QuerySet[Any], group_field: str
) -> dict[str, list[int]]:
    names = ["pk", *([group_field] if group_field else []), *source.start, source.end]
    by_record = {row[0]: row[1:] for row in queryset.values_list(*names)}
    found: dict[str, list[int]] = defaultdict(list)
    for row in by_record.values():
        key = (row[0] or "") if group_field else ""
        dates = row[1:] if group_field else row
        start = next((as_date(d) for d in dates[:-1] if d is not None), None)
        end = as_date(dates[-1])
        if start is not None and end is not None:
            found[key].append((end - start).days)
    return dict(found)


@dataclass
class Tally:
    count: int = 0
    hits: int = 0
    days: list[int] = field(default_factory=list)


def _tallies(
    source: Source, area: Area, period: Period, group: str, filters: dict[str, str]
) -> dict[str, Tally]:
    rows = source.base if isinstance(source, Rate) else _plain_rows(source)
    field_name = _group_field(rows, area, group)
    multi = group.startswith("dim:") and DIMENSIONS[group[4:]].multi
    queryset = _rows_in(rows, area, period, filters)
    tallies: dict[str, Tally] = defaultdict(Tally)
    if isinstance(source, Durations):
        for key, days in _durations(source, queryset, field_name).items():
            tallies[key].days = days
        return tallies
    for key, count in _counts(queryset, field_name, multi).items():
        tallies[key].count = count
    if isinstance(source, Rate):
        hit_rows = _rows_in(rows, area, period, filters, source.hit(period))
        for key, count in _counts(hit_rows, field_name, multi).items():
            tallies[key].hits = count
    return tallies


def _tally(
    code: str, area: Area, period: Period, group: str, filters: dict[str, str]
) -> dict[str, Tally]:
    """The tallies of `code`: from the months stored by aggregates.py while
    they are fresh (one breakdown at a time), else from the records."""
    if filters or not aggregates.is_fresh(code):
        return _tallies(SOURCES[code], area, period, group, filters)
    return {
        key: Tally(stored.count, stored.hits, stored.days or [])
        for key, stored in aggregates.stored_tallies(code, area, period, group).items()
    }


def _plain_rows(source: Source) -> Rows:
    if isinstance(source, Durations | PerPopulation):
        return source.rows
    if not isinstance(source, Rows):
        raise TypeError(source)
    return source


# --- from tallies to values ------------------------------------------------------------------


def population(area: Area) -> int | None:
    """The census population recorded for the area (geography data), if any.

    Not summed from the districts: census-era figures of split districts
    include their split-offs, so a sum could count people twice (SOURCES.md).
    """
    return area.population or None


def _finish(
    defn: IndicatorDef, area: Area, period: Period, tally: Tally, category: str, note: str
) -> IndicatorValue:
    base: dict[str, Any] = {
        "code": defn.code,
        "area": area.code,
        "period": period.code,
        "category": category,
    }
    measure = defn.measure
    if measure == Measure.COUNT:
        return IndicatorValue(value=tally.count, numerator=tally.count, note=note, **base)
    if measure == Measure.PERCENT:
        if not tally.count:
            return IndicatorValue(
                value=None, numerator=0, denominator=0, status=ValueStatus.NO_DATA, **base
            )
        share = round(100 * tally.hits / tally.count, 1)
        return IndicatorValue(
            value=share, numerator=tally.hits, denominator=tally.count, note=note, **base
        )
    if measure == Measure.MEDIAN_DAYS:
        if not tally.days:
            return IndicatorValue(value=None, status=ValueStatus.NO_DATA, denominator=0, **base)
        median = float(statistics.median(tally.days))
        return IndicatorValue(value=median, denominator=len(tally.days), note=note, **base)
    people = population(area)
    if people is None:
        return IndicatorValue(
            value=None, numerator=tally.count, status=ValueStatus.NO_POPULATION, **base
        )
    rate = round(tally.count * PER / people, 2)
    return IndicatorValue(value=rate, numerator=tally.count, denominator=people, note=note, **base)


def _blank(
    defn: IndicatorDef, area: Area, period: Period, status: str, note: str = ""
) -> IndicatorValue:
    return IndicatorValue(
        code=defn.code, area=area.code, period=period.code, value=None, status=status, note=note
    )


def _refusal(defn: IndicatorDef, area: Area, period: Period) -> IndicatorValue | None:
    """A value standing for "cannot be computed here", or None when it can."""
    if not defn.is_active:
        return _blank(defn, area, period, ValueStatus.PENDING, str(defn.pending_note))
    exists, note = existence_note(area, period)
    if not exists:
        return _blank(defn, area, period, ValueStatus.NOT_APPLICABLE, note)
    if not _path_field(_source_rows(defn.code), area):
        return _blank(defn, area, period, ValueStatus.UNAVAILABLE)
    return None


def _source_rows(code: str) -> Rows:
    source = SOURCES[code]
    return source.base if isinstance(source, Rate) else _plain_rows(source)


def _check_dims(defn: IndicatorDef, dims: Iterable[str]) -> None:
    for dim in dims:
        if dim not in defn.disaggregations:
            raise ValueError(
                gettext("%(indicator)s cannot be broken down by %(dimension)s.")
                % {"indicator": defn.code, "dimension": dim}
            )


# --- the interface ---------------------------------------------------------------------------


def value(
    code: str, area: Area, period: Period, disaggregation: dict[str, str] | None = None
) -> IndicatorValue:
    """One value. `disaggregation` picks one category of one or more breakdowns,
    e.g. {"sex": "feminine", "age_group": "child"}: the girls and women
    identified. ValueError for a breakdown the indicator does not allow."""
    defn = indicator_def(code)
    wanted = dict(disaggregation or {})
    _check_dims(defn, wanted)
    refusal = _refusal(defn, area, period)
    if refusal is not None:
        return refusal
    _exists, note = existence_note(area, period)
    if not wanted:
        tally = _tally(code, area, period, "", {}).get("", Tally())
        return _finish(defn, area, period, tally, "", note)
    dim, category = list(wanted.items())[-1]
    filters = {k: v for k, v in wanted.items() if k != dim}
    if any(DIMENSIONS[k].multi for k in filters):
        raise ValueError(gettext("Break down by the form of exploitation last."))
    tallies = _tally(code, area, period, f"dim:{dim}", filters)
    return _finish(defn, area, period, tallies.get(category, Tally()), category, note)


def breakdown(code: str, area: Area, period: Period, by: str) -> dict[str, IndicatorValue]:
    """The value for each category of one breakdown (every listed category,
    zeros included, and any other value found in the records)."""
    defn = indicator_def(code)
    _check_dims(defn, [by])
    refusal = _refusal(defn, area, period)
    categories = [c for c, _label in DIMENSIONS[by].choices]
    if refusal is not None:
        return dict.fromkeys(categories, refusal)
    _exists, note = existence_note(area, period)
    tallies = _tally(code, area, period, f"dim:{by}", {})
    keys = categories + sorted(k for k in tallies if k not in categories)
    return {k: _finish(defn, area, period, tallies.get(k, Tally()), k, note) for k in keys}


def table(
    codes: Iterable[str], area: Area, period: Period, by: str | None = None
) -> IndicatorTable:
    """Indicators as rows, the breakdown's categories as columns (where the
    indicator allows that breakdown; other rows have only their total)."""
    rows: list[TableRow] = []
    seen: dict[str, str] = {}
    for code in codes:
        defn = indicator_def(code)
        cells: dict[str, IndicatorValue] = {}
        if by and by in defn.disaggregations:
            cells = breakdown(code, area, period, by)
            for key in cells:
                seen.setdefault(key, str(DIMENSIONS[by].label_of(key)))
        rows.append(TableRow(defn, value(code, area, period), cells))
    return IndicatorTable(area, period, by, list(seen.items()), rows)


def _areas_under(area: Area, level: str) -> list[Area]:
    if area.level == level:
        return [area]
    return list(Area.objects.within(area).of_level(level).order_by("path"))


def by_area(
    code: str, area: Area, period: Period, level: str = AreaLevel.DISTRICT
) -> list[AreaValue]:
    """The value for each area of `level` under `area` (the district comparison),
    from one grouped query: records are grouped by the path they were filed under."""
    defn = indicator_def(code)
    areas = _areas_under(area, level)
    if not defn.is_active:
        return [AreaValue(a, _blank(defn, a, period, ValueStatus.PENDING)) for a in areas]
    rows = _source_rows(code)
    group = "areas" if level != area.level else ""
    parent_field = _group_field(rows, area, group) if group else "-"
    if not parent_field:
        return [AreaValue(a, _blank(defn, a, period, ValueStatus.UNAVAILABLE)) for a in areas]
    exists = existence_note(area, period)[0]
    tallies = _tally(code, area, period, group, {}) if exists else {}
    return [AreaValue(a, _area_value(defn, a, period, tallies, bool(group))) for a in areas]


def _area_value(
    defn: IndicatorDef, area: Area, period: Period, tallies: dict[str, Tally], grouped: bool
) -> IndicatorValue:
    exists, note = existence_note(area, period)
    if not exists:
        return _blank(defn, area, period, ValueStatus.NOT_APPLICABLE, note)
    if not grouped:
        return _finish(defn, area, period, tallies.get("", Tally()), "", note)
    merged = Tally()
    for path, tally in tallies.items():
        if path.startswith(area.path):
            merged.count += tally.count
            merged.hits += tally.hits
            merged.days += tally.days
    return _finish(defn, area, period, merged, "", note)


def series(code: str, area: Area, periods: Iterable[Period]) -> list[IndicatorValue]:
    """The value in each period (a trend): one query per period, or one for
    all the months when they are read from the stored months."""
    wanted = list(periods)
    months = all(p.kind == PeriodKind.MONTH for p in wanted)
    if not wanted or not months or not aggregates.is_fresh(code):
        return [value(code, area, p) for p in wanted]
    defn = indicator_def(code)
    stored = aggregates.stored_months(code, area, min(wanted).start, max(wanted).end)
    found = []
    for period in wanted:
        refusal = _refusal(defn, area, period)
        part = stored.get(period.start, aggregates.Stored())
        tally = Tally(part.count, part.hits, part.days or [])
        note = existence_note(area, period)[1]
        found.append(refusal or _finish(defn, area, period, tally, "", note))
    return found
