"""The chart of a neighbourhood: positions laid out on the server (igraph,
Kamada-Kawai from a circle, so the same graph always draws the same way) and
the rows of the table that says the same for screen readers and print."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from ahtc.cases.models import PROTECTED_ROLES, SUSPECT_ROLES
from ahtc.intelligence.analysis import neighbourhood, simple
from ahtc.intelligence.graph import Graph, LinkKind, Node, Record

WIDTH, HEIGHT, MARGIN = 1000, 640, 60
MAX_NODES = 150


@dataclass(frozen=True)
class Dot:
    node: Node
    x: float
    y: float
    kind: str  # suspect | victim | other (a class of the stylesheet)
    centre: bool
    href: str = ""  # the same page with this person expanded


@dataclass(frozen=True)
class Line:
    a: Dot
    b: Dot
    kind: str
    directed: bool


@dataclass(frozen=True)
class RecordRow:
    text: str
    url: str


@dataclass(frozen=True)
class Row:
    source: Node
    target: Node
    kind: str
    label: str
    date: dt.date | None
    records: list[RecordRow]


def _kind(node: Node) -> str:
    if node.roles & {str(r) for r in SUSPECT_ROLES}:
        return "suspect"
    if node.roles & {str(r) for r in PROTECTED_ROLES}:
        return "victim"
    return "other"


def local_view(graph: Graph, centre: set[int], depth: int, expanded: set[int]) -> Graph:
    """What a person's (or a case's) page draws: the centre's neighbourhood to
    `depth` and each expanded node's direct links, at most MAX_NODES people
    each, the nearest first."""
    keep = neighbourhood(graph, centre, depth, limit=MAX_NODES)
    if expanded:
        keep |= neighbourhood(graph, expanded, 1, limit=MAX_NODES)
    return graph.restricted(keep)


def layout(
    graph: Graph, centre: set[int], href: Callable[[int], str] = str
) -> tuple[list[Dot], list[Line]]:
    g, ids = simple(graph)
    n = len(ids)
    if n == 0:
        return [], []
    seed = [[math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)] for i in range(n)]
    coords = g.layout_kamada_kawai(seed=seed).coords if n > 1 else [[0.0, 0.0]]
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    dots = {}
    for i, node_id in enumerate(ids):
        x = MARGIN + (coords[i][0] - min(xs)) / span_x * (WIDTH - 2 * MARGIN)
        y = MARGIN + (coords[i][1] - min(ys)) / span_y * (HEIGHT - 2 * MARGIN)
        if n == 1:
            x, y = WIDTH / 2, HEIGHT / 2
        node = graph.nodes[node_id]
        dots[node_id] = Dot(
            node, round(x, 1), round(y, 1), _kind(node), node_id in centre, href(node_id)
        )
    lines: dict[tuple[int, int, str], Line] = {}
    for link in graph.links:
        key = (link.source, link.target, link.kind)
        lines.setdefault(key, Line(dots[link.source], dots[link.target], link.kind, link.directed))
    return list(dots.values()), list(lines.values())


def _prefixes() -> tuple[str, str]:
    """The case and agency URLs up to the key, reversed once per table (not
    once per record: a table may hold thousands)."""
    case = reverse("cell:case", args=["0"])
    agency = reverse("cell:agencies:agency", args=[0])
    return case[: -len("0/")], agency[: -len("0/")]


def _record_row(record: Record, graph: Graph, prefixes: tuple[str, str]) -> RecordRow:
    if record.agency is not None:
        return RecordRow(graph.agencies.get(record.agency, ""), f"{prefixes[1]}{record.agency}/")
    text = record.case if record.event is None else f"{record.case} #{record.event}"
    return RecordRow(text, f"{prefixes[0]}{record.case}/")


def _record_key(record: Record) -> tuple[str, int, int]:
    return (record.case, record.event or 0, record.agency or 0)


def rows(graph: Graph) -> list[Row]:
    labels = dict(LinkKind.choices)
    prefixes = _prefixes()
    return [
        Row(
            graph.nodes[x.source],
            graph.nodes[x.target],
            x.kind,
            str(labels[x.kind]),
            x.date,
            [_record_row(r, graph, prefixes) for r in sorted(x.records, key=_record_key)],
        )
        for x in sorted(graph.links, key=lambda k: (k.date or dt.date.min, k.source, k.kind))
    ]
