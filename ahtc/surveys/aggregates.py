"""Aggregates per instrument: coverage against the known universe, shares of
each answer with 95% confidence intervals, by tehsil; small cells suppressed.

- Only approved submissions count.
- A field inside a repeat is counted over its repeat rows (the families
  interviewed at a kiln), a field outside over the submissions.
- The interval is Wilson's score interval (Wilson 1927; Agresti & Coull
  1998): unlike p ± 1.96·sqrt(p(1-p)/n) it stays inside 0-100% and keeps its
  coverage for small n and shares near 0 or 100%, which survey tallies of a
  few dozen kilns are.
- Suppression: a count from 1 to 10 is shown as "<11" with no share or
  interval (the threshold the CTDC and most statistical offices use); the
  number answering is shown. This is primary suppression only: where only
  two answers exist, the other one can be worked out, so tables of rare
  yes/no answers for a small area are best read at district level.
- Computed in one pass over the approved rows: answers of sensitive
  instruments are encrypted and cannot be grouped by the database. Survey
  sizes are hundreds to a few thousand rows per district.
"""

from __future__ import annotations

import dataclasses
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from ahtc.core.models import in_language
from ahtc.surveys.models import Instrument, InstrumentVersion, Submission, Universe
from ahtc.surveys.xform import label_in

SMALL = 11
Z95 = 1.959964
CHOICE_TYPES = {"select_one", "select_multiple"}
NUMBER_TYPES = {"integer", "decimal", "calculate"}


def wilson(count: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for count/n, as fractions."""
    if n <= 0:
        return 0.0, 0.0
    p = count / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Share:
    value: str
    label: str
    count: int
    n: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.count < SMALL or self.n < SMALL

    @property
    def shown_count(self) -> str:
        return f"<{SMALL}" if 0 < self.count < SMALL else str(self.count)

    @property
    def share(self) -> float | None:
        return None if self.suppressed or not self.n else self.count / self.n

    @property
    def interval(self) -> tuple[float, float] | None:
        return None if self.suppressed else wilson(self.count, self.n)


@dataclass
class FieldSummary:
    path: str
    label: str
    kind: str  # "choices" or "number"
    in_repeat: bool
    n: int = 0
    shares: list[Share] = field(default_factory=list)
    by_tehsil: list[tuple[str, list[Share]]] = field(default_factory=list)
    numbers: dict[str, float] = field(default_factory=dict)


@dataclass
class Coverage:
    district: str
    surveyed: int
    universe: int | None

    @property
    def share(self) -> float | None:
        return self.surveyed / self.universe if self.universe else None


@dataclass
class Summary:
    instrument: Instrument
    total: int
    coverage: list[Coverage]
    fields: list[FieldSummary]


def _units(answers: dict[str, Any], spec: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The answer sets a field is counted over: the submission, or each row
    of its repeat (a repeat nested in a repeat: each inner row)."""
    if not spec["repeat"]:
        return [answers]
    parts = spec["repeat"].split("/")
    rows: list[dict[str, Any]] = [answers]
    for depth in range(1, len(parts) + 1):
        key = "/".join(parts[:depth])
        rows = [inner for row in rows for inner in row.get(key, []) if isinstance(inner, dict)]
    return rows


def _choice_shares(spec: dict[str, Any], values: list[str], language: str) -> list[Share]:
    counts: Counter[str] = Counter()
    for value in values:
        counts.update(value.split() if spec["type"] == "select_multiple" else [value])
    n = len(values)
    return [
        Share(str(c["value"]), label_in(c["labels"], language), counts[str(c["value"])], n)
        for c in spec["choices"]
    ]


def _numbers(values: list[Any]) -> dict[str, float]:
    numbers = [float(v) for v in values if isinstance(v, int | float)]
    if len(numbers) < SMALL:
        return {"n": float(len(numbers))}
    return {
        "n": float(len(numbers)),
        "median": statistics.median(numbers),
        "mean": statistics.fmean(numbers),
        "min": min(numbers),
        "max": max(numbers),
    }


def _summarise(
    spec: dict[str, Any], rows: list[tuple[str, dict[str, Any]]], language: str
) -> FieldSummary:
    kind = "choices" if spec["type"] in CHOICE_TYPES else "number"
    summary = FieldSummary(
        spec["path"], label_in(spec["labels"], language) or spec["name"], kind, bool(spec["repeat"])
    )
    per_tehsil: dict[str, list[Any]] = defaultdict(list)
    values: list[Any] = []
    for tehsil, answers in rows:
        for unit in _units(answers, spec):
            value = unit.get(spec["path"])
            if value not in (None, ""):
                values.append(value if kind == "number" else str(value))
                per_tehsil[tehsil].append(value if kind == "number" else str(value))
    summary.n = len(values)
    if kind == "number":
        summary.numbers = _numbers(values)
        return summary
    summary.shares = _choice_shares(spec, values, language)
    summary.by_tehsil = [
        (name, _choice_shares(spec, per_tehsil[name], language)) for name in sorted(per_tehsil)
    ]
    return summary


def _coverage(instrument: Instrument, rows: QuerySet[Submission]) -> list[Coverage]:
    counted = Counter(rows.values_list("district__name_en", "district__name_ur"))
    universes = {
        (u.district.name_en, u.district.name_ur): u.size
        for u in Universe.objects.filter(instrument=instrument).select_related("district")
    }
    return [
        Coverage(in_language(en=en, ur=ur), count, universes.get((en, ur)))
        for (en, ur), count in sorted(counted.items())
    ]


def instrument_summary(
    instrument: Instrument, rows: QuerySet[Submission], version: InstrumentVersion | None = None
) -> Summary:
    """Every choice and number field of the latest version (or `version`)."""
    language = (get_language() or "en")[:2]
    version = version or instrument.latest_version()
    specs = [
        f
        for f in (version.catalogue if version else [])
        if (f["type"] in CHOICE_TYPES and f["choices"]) or f["type"] in NUMBER_TYPES
    ]
    loaded = [
        (
            in_language(en=s.tehsil.name_en, ur=s.tehsil.name_ur) if s.tehsil else "—",
            s.answers,
        )
        for s in rows.select_related("tehsil")
    ]
    return Summary(
        instrument=instrument,
        total=len(loaded),
        coverage=_coverage(instrument, rows),
        fields=[_summarise(spec, loaded, language) for spec in specs],
    )


# --- charts --------------------------------------------------------------------------------------
# Geometry for the server-rendered SVG charts (no script): the template draws
# what these return, beside the table of the same numbers. Drawn left to right
# and mirrored for right-to-left pages, so the labels sit at the start of the
# line in both. Suppressed shares are not drawn; their text says why.

CHART_WIDTH = 360  # drawn at about this size on a phone; the label is above its bar
CHART_PAD = 4
CHART_TEXT = 124  # room after the longest bar for the share and its interval
CHART_ROW = 46
CHART_TOP = 20  # the axis labels


@dataclass(frozen=True)
class Bar:
    label: str
    text: str
    y: int
    drawn: bool
    x: float = 0.0
    width: float = 0.0
    low: float = 0.0  # the interval's ends, as x
    high: float = 0.0
    label_x: float = 0.0
    text_x: float = 0.0


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    ticks: list[tuple[float, str, str]]  # x, text, text-anchor
    anchor_label: str  # text-anchor: "start" left to right, "end" mirrored
    anchor_text: str
    width: int = CHART_WIDTH


def _percent(value: float) -> str:
    return f"{round(value * 100)}%"


class _Axis:
    """Places a fraction 0..1 on the line, mirrored when right to left."""

    def __init__(self, rtl: bool) -> None:
        self.rtl = rtl
        self.room = CHART_WIDTH - CHART_PAD - CHART_TEXT

    def x(self, fraction: float) -> float:
        ltr = CHART_PAD + self.room * max(0.0, min(1.0, fraction))
        return round(CHART_WIDTH - ltr if self.rtl else ltr, 1)

    def span(self, fraction: float) -> tuple[float, float]:
        """A bar from 0 to `fraction`: its x and width."""
        width = round(self.room * max(0.0, min(1.0, fraction)), 1)
        return (self.x(fraction) if self.rtl else self.x(0)), width

    def label_x(self) -> float:
        return self.x(0)

    def after(self, fraction: float) -> float:
        return self.x(fraction) + (-5 if self.rtl else 5)


def _chart(bars: list[Bar], axis: _Axis) -> Chart:
    anchor, other = ("end", "start") if axis.rtl else ("start", "end")
    ticks = [(axis.x(0), "0%", anchor), (axis.x(0.5), "50%", "middle"), (axis.x(1), "100%", other)]
    return Chart(bars, CHART_TOP + max(len(bars), 1) * CHART_ROW, ticks, anchor, anchor)


def _share_bar(share: Share, y: int, axis: _Axis, suppressed_text: str) -> Bar:
    label = share.label or share.value
    interval, value = share.interval, share.share
    if value is None or interval is None:
        return Bar(label, f"{share.shown_count}: {suppressed_text}", y, False, text_x=axis.after(0))
    x, width = axis.span(value)
    text = f"{_percent(value)} ({_percent(interval[0])}–{_percent(interval[1])})"
    return Bar(
        label,
        text,
        y,
        True,
        x,
        width,
        axis.x(interval[0]),
        axis.x(interval[1]),
        text_x=axis.after(max(value, interval[1])),
    )


def share_chart(shares: list[Share], *, rtl: bool, suppressed_text: str) -> Chart:
    """One bar per answer: the share, its 95% interval as a line with ends."""
    axis = _Axis(rtl)
    bars = [
        _share_bar(s, CHART_TOP + i * CHART_ROW, axis, suppressed_text)
        for i, s in enumerate(shares)
    ]
    return _chart([dataclasses.replace(b, label_x=axis.label_x()) for b in bars], axis)


def coverage_chart(rows: list[Coverage], *, rtl: bool, of_text: str, unknown_text: str) -> Chart:
    """Surveyed against the known universe, per district."""
    axis = _Axis(rtl)
    bars = []
    for i, row in enumerate(rows):
        y, share = CHART_TOP + i * CHART_ROW, row.share
        if share is None:
            bars.append(Bar(row.district, f"{row.surveyed} ({unknown_text})", y, False))
            continue
        x, width = axis.span(share)
        text = of_text % {"n": row.surveyed, "of": row.universe, "pct": _percent(share)}
        bars.append(Bar(row.district, text, y, True, x, width, text_x=axis.after(share)))
    bars = [
        dataclasses.replace(b, label_x=axis.label_x(), text_x=b.text_x or axis.after(0))
        for b in bars
    ]
    return _chart(bars, axis)


def summary_charts(summary: Summary, *, rtl: bool) -> dict[str, Any]:
    """The page's charts: coverage, and each choice question's shares."""
    from django.utils.translation import gettext as _

    hidden = _("fewer than 11, not drawn")
    return {
        "coverage": coverage_chart(
            summary.coverage,
            rtl=rtl,
            of_text=_("%(n)s of %(of)s (%(pct)s)"),
            unknown_text=_("known number not set"),
        ),
        "fields": [
            (item, share_chart(item.shares, rtl=rtl, suppressed_text=hidden))
            if item.kind == "choices" and item.n
            else (item, None)
            for item in summary.fields
        ],
    }
