"""Geometry for the server-rendered SVG charts (no third-party script).

The templates draw what these return; each chart sits beside a table of the
same numbers, which is what screen readers and people who print use.
"""

from __future__ import annotations

from dataclasses import dataclass

BAR_WIDTH = 600
BAR_LABEL = 170
BAR_ROW = 26
LINE_WIDTH = 600
LINE_HEIGHT = 220
LINE_PAD = 40


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    width: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    label_width: int = BAR_LABEL
    width: int = BAR_WIDTH


def bar_chart(items: list[tuple[str, float | None, str]]) -> BarChart:
    """(label, value, shown text) per bar; a missing value draws no bar."""
    top = max((v for _l, v, _d in items if v), default=0) or 1
    room = BAR_WIDTH - BAR_LABEL - 70
    bars = []
    for index, (label, number, display) in enumerate(items):
        width = round(room * (number or 0) / top, 1)
        bars.append(Bar(label, display, index * BAR_ROW, width, BAR_LABEL + width + 6))
    return BarChart(bars, max(len(items), 1) * BAR_ROW)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    display: str


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    polyline: str
    top_label: str
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT
    pad: int = LINE_PAD

    @property
    def baseline_y(self) -> int:
        return self.height - self.pad


def line_chart(items: list[tuple[str, float | None, str]], top_label: str = "") -> LineChart:
    """(label, value, shown text) per point, oldest first; gaps are skipped."""
    top = max((v for _l, v, _d in items if v), default=0) or 1
    step = (LINE_WIDTH - 2 * LINE_PAD) / max(len(items) - 1, 1)
    usable = LINE_HEIGHT - 2 * LINE_PAD
    points = [
        Point(
            round(LINE_PAD + i * step, 1),
            round(LINE_HEIGHT - LINE_PAD - usable * (number or 0) / top, 1),
            label,
            display,
        )
        for i, (label, number, display) in enumerate(items)
    ]
    drawn = [p for p, (_l, n, _d) in zip(points, items, strict=True) if n is not None]
    return LineChart(points, " ".join(f"{p.x},{p.y}" for p in drawn), top_label or f"{top:g}")
