"""Analyses of the link graph with igraph (and leidenalg for communities).

The graph the analyses see is simple and undirected: two people are joined
once, however many links the records give them (the links stay on the
`Graph` for the records behind them). Centrality reads who holds a network
together; communities use Leiden with the Constant Potts Model (CPM), which
keeps small dense groups apart where modularity merges them (its resolution
limit): a group counts when its density of links passes `resolution`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

import igraph as ig  # type: ignore[import-untyped]
import leidenalg  # type: ignore[import-untyped]

from ahtc.intelligence.graph import Graph, Link

CPM_RESOLUTION = 0.25
LEIDEN_SEED = 15


class AnalysisError(ValueError):
    """A question the graph cannot answer; the message is for the user."""


@dataclass(frozen=True)
class Centrality:
    degree: int
    betweenness: float
    closeness: float
    eigenvector: float


@dataclass(frozen=True)
class Network:
    number: int
    members: list[int]
    links: int
    first: dt.date | None
    last: dt.date | None
    central: list[int]  # members by betweenness, then degree, highest first


@dataclass(frozen=True)
class Step:
    source: int
    target: int
    links: list[Link]


def simple(graph: Graph, nodes: Iterable[int] | None = None) -> tuple[ig.Graph, list[int]]:
    """The igraph of `graph` (one edge per pair) and the node id of each vertex."""
    ids = sorted(graph.nodes if nodes is None else set(nodes))
    index = {node: i for i, node in enumerate(ids)}
    pairs = {
        (min(index[x.source], index[x.target]), max(index[x.source], index[x.target]))
        for x in graph.links
        if x.source in index and x.target in index
    }
    return ig.Graph(n=len(ids), edges=sorted(pairs)), ids


def centrality(graph: Graph, nodes: Iterable[int] | None = None) -> dict[int, Centrality]:
    """Degree (people linked), betweenness (normalised), closeness (inside the
    node's own network) and eigenvector centrality (scaled to 1 per network)."""
    g, ids = simple(graph, nodes)
    if not ids:
        return {}
    between = g.betweenness(directed=False)
    n = len(ids)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    close = g.closeness(normalized=True)
    eigen = [0.0] * n
    for members in g.connected_components():
        if len(members) == 2:  # a pair: both 1.0, as igraph gives (most networks are pairs)
            eigen[members[0]] = eigen[members[1]] = 1.0
        elif len(members) > 2:
            sub = g.induced_subgraph(members)
            for i, value in zip(members, sub.eigenvector_centrality(scale=True), strict=True):
                eigen[i] = value
    return {
        node: Centrality(
            degree=g.degree(i),
            betweenness=round(between[i] * scale, 4),
            closeness=round(0.0 if close[i] != close[i] else close[i], 4),  # NaN when alone
            eigenvector=round(eigen[i], 4),
        )
        for i, node in enumerate(ids)
    }


def networks(graph: Graph, *, central: int = 3) -> list[Network]:
    """Connected networks of two people or more, largest first (worked out once
    per graph: a kept graph's copies share the answer, graph_cache.py)."""
    key = f"networks:{central}"
    if key not in graph.memo:
        graph.memo[key] = _networks(graph, central)
    found: list[Network] = graph.memo[key]
    return found


def _networks(graph: Graph, central: int) -> list[Network]:
    g, ids = simple(graph)
    found = [m for m in g.connected_components() if len(m) > 1]
    scores = centrality(graph)
    adjacency = graph.adjacency()
    result = []
    for number, members in enumerate(sorted(found, key=lambda m: (-len(m), ids[m[0]])), start=1):
        people = [ids[i] for i in members]
        links = {id(x): x for p in people for x in adjacency.get(p, [])}
        days = [x.date for x in links.values() if x.date]
        ranked = sorted(people, key=lambda p: (-scores[p].betweenness, -scores[p].degree, p))
        result.append(
            Network(
                number=number,
                members=sorted(people),
                links=len(links),
                first=min(days, default=None),
                last=max(days, default=None),
                central=ranked[:central],
            )
        )
    return result


def communities(
    graph: Graph, *, resolution: float = CPM_RESOLUTION, seed: int = LEIDEN_SEED
) -> list[list[int]]:
    """Leiden (CPM) groups of two people or more, largest first."""
    g, ids = simple(graph)
    if g.ecount() == 0:
        return []
    partition = leidenalg.find_partition(
        g, leidenalg.CPMVertexPartition, resolution_parameter=resolution, seed=seed
    )
    groups = [sorted(ids[i] for i in members) for members in partition if len(members) > 1]
    return sorted(groups, key=lambda m: (-len(m), m[0]))


def neighbourhood(
    graph: Graph, start: Iterable[int], depth: int, limit: int | None = None
) -> set[int]:
    """Nodes within `depth` links of any of `start`, breadth first, so that
    with a `limit` the nearest are kept (and a hub's thousands of links are
    not all walked)."""
    adjacency = graph.adjacency()
    seen = {s for s in start if s in graph.nodes}
    frontier = deque((s, 0) for s in sorted(seen))
    while frontier:
        node, d = frontier.popleft()
        if d == depth:
            continue
        for link in adjacency.get(node, []):
            if limit is not None and len(seen) >= limit:
                return seen
            other = link.other(node)
            if other not in seen:
                seen.add(other)
                frontier.append((other, d + 1))
    return seen


def shortest_path(graph: Graph, source: int, target: int) -> list[Step]:
    """The fewest links from one person to another, with every link (and so
    every record) joining each consecutive pair; empty if none joins them."""
    if source not in graph.nodes or target not in graph.nodes:
        raise AnalysisError("unknown person")
    if source == target:
        raise AnalysisError("the same person")
    g, ids = simple(graph)
    index = {node: i for i, node in enumerate(ids)}
    path = g.get_shortest_paths(index[source], to=index[target], output="vpath")[0]
    if len(path) < 2:
        return []
    pairs: dict[frozenset[int], list[Link]] = {}
    for link in graph.links:
        pairs.setdefault(frozenset((link.source, link.target)), []).append(link)
    steps = []
    for a, b in pairwise(path):
        x, y = ids[a], ids[b]
        steps.append(Step(x, y, sorted(pairs[frozenset((x, y))], key=lambda k: k.kind)))
    return steps


def activity(graph: Graph, members: Iterable[int]) -> list[tuple[str, int]]:
    """Links per month among `members` (dated links only), every month from
    the first to the last so that quiet months show as 0."""
    kept = set(members)
    months = Counter(
        (x.date.year, x.date.month)
        for x in graph.links
        if x.date and x.source in kept and x.target in kept
    )
    if not months:
        return []
    (year, month), last = min(months), max(months)
    series = []
    while (year, month) <= last:
        series.append((f"{year:04d}-{month:02d}", months.get((year, month), 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series
