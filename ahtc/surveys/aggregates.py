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
