"""Link analysis at scale: igraph against networkx on the same graph, and the
person view on it.

    .venv/bin/python bench/graph_scale.py [--edges 1000000] [--nodes 200000]
                                          [--sources 100] [--persons 20] [--seed 15]
                                          [--no-networkx]

The graph is generated (preferential attachment, so a few "agents" gather
many links, as financiers and sub-agents do), with the given number of
edges, each given a link kind and a date. In one run it times, on the same
graph:

- connected components, PageRank and betweenness sampled from `--sources`
  sources, with igraph and (if importable) with networkx, and prints each
  ratio networkx / igraph. networkx's PageRank needs SciPy; without it the
  bench uses networkx's own pure-Python PageRank and says so;
- the person view (intelligence/chart.py: the two-step neighbourhood capped
  at the nearest people, centrality, layout, activity and the table rows)
  for `--persons` people picked at random, and prints the median and p95.

Times are wall-clock on whatever else the machine is doing; nothing is asserted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ahtc.settings")

import django

django.setup()

import igraph as ig  # type: ignore[import-untyped]  # noqa: E402

from ahtc.intelligence import analysis as an  # noqa: E402
from ahtc.intelligence import chart  # noqa: E402
from ahtc.intelligence.graph import Graph, Link, LinkKind, Node, Record  # noqa: E402

KINDS = list(LinkKind.values)
FIRST_DAY = dt.date(2023, 1, 1)


def timed(what: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = what()
    return time.perf_counter() - start, result


def generate(nodes: int, edges: int, seed: int) -> ig.Graph:
    """Preferential attachment with `edges` edges (igraph's generator, seeded)."""
    ig.set_random_number_generator(random.Random(seed))
    per_node = max(1, round(edges / nodes))
    g = ig.Graph.Barabasi(nodes, per_node, directed=False)
    g.simplify()
    return g


def as_links(g: ig.Graph, seed: int) -> Graph:
    rng = random.Random(seed)
    graph = Graph(nodes={i: Node(id=i, people={i}, label=f"P-{i}") for i in range(g.vcount())})
    graph.links = [
        Link(
            a,
            b,
            rng.choice(KINDS),
            FIRST_DAY + dt.timedelta(days=rng.randrange(900)),
            {Record(case=f"BENCH-{rng.randrange(50000)}")},
        )
        for a, b in g.get_edgelist()
    ]
    return graph


def compare(g: ig.Graph, sources: list[int], with_networkx: bool) -> None:
    rows: list[tuple[str, float, float | None, str]] = []
    t_ig, _ = timed(g.connected_components)
    t_pr, _ = timed(g.pagerank)
    t_bw, _ = timed(lambda: g.betweenness(sources=sources))
    nx_times: list[float | None] = [None, None, None]
    note = ""
    if with_networkx:
        try:
            import networkx as nx  # type: ignore[import-untyped]
        except ImportError:
            note = "networkx is not installed: igraph only"
        else:
            nx_times, note = _networkx(nx, g, sources)
    for name, t_i, t_n in zip(
        ("components", "PageRank", f"betweenness ({len(sources)} sources)"),
        (t_ig, t_pr, t_bw),
        nx_times,
        strict=True,
    ):
        rows.append((name, t_i, t_n, f"{t_n / t_i:.1f}x" if t_n else "-"))
    print(f"{'':32} {'igraph':>10} {'networkx':>10} {'ratio':>8}")
    for name, t_i, t_n, ratio in rows:
        shown = f"{t_n:.2f} s" if t_n is not None else "-"
        print(f"{name:32} {t_i:8.2f} s {shown:>10} {ratio:>8}")
    if note:
        print(f"note: {note}")


def _networkx(nx: Any, g: ig.Graph, sources: list[int]) -> tuple[list[float | None], str]:
    t_build, nxg = timed(lambda: nx.Graph(g.get_edgelist()))
    print(f"networkx graph built in {t_build:.1f} s (not counted)")
    t_cc, _ = timed(lambda: list(nx.connected_components(nxg)))
    note = ""
    try:
        import scipy  # type: ignore[import-untyped]  # noqa: F401

        t_pr, _ = timed(lambda: nx.pagerank(nxg))
    except ImportError:
        from networkx.algorithms.link_analysis.pagerank_alg import (  # type: ignore[import-untyped]
            _pagerank_python,
        )

        t_pr, _ = timed(lambda: _pagerank_python(nxg))
        note = "SciPy is not installed: networkx PageRank is its pure-Python version"
    # networkx samples k sources itself; give it the same count (and a seed).
    t_bw, _ = timed(lambda: nx.betweenness_centrality(nxg, k=len(sources), seed=1))
    return [t_cc, t_pr, t_bw], note


def person_view(graph: Graph, node: int) -> int:
    local = chart.local_view(graph, {node}, 2, set())
    an.centrality(local)
    chart.layout(local, {node})
    an.activity(local, set(local.nodes))
    return len(chart.rows(local))


def person_views(graph: Graph, persons: int, seed: int) -> None:
    t_adj, _ = timed(graph.adjacency)
    print(f"adjacency of the link graph built once in {t_adj:.2f} s (kept with the graph)")
    chart.rows(Graph())  # loads the URL configuration once, as a running server has
    picked = random.Random(seed).sample(sorted(graph.nodes), persons)
    times = []
    for node in picked:
        start = time.perf_counter()
        person_view(graph, node)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(
        f"person view, {persons} people: median {statistics.median(times):.0f} ms, "
        f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--nodes", type=int, default=200_000)
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--persons", type=int, default=20)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--no-networkx", action="store_true")
    args = parser.parse_args()
    took, g = timed(lambda: generate(args.nodes, args.edges, args.seed))
    print(f"graph: {g.vcount():,} people, {g.ecount():,} links (generated in {took:.1f} s)")
    sources = random.Random(args.seed).sample(range(g.vcount()), args.sources)
    compare(g, sources, not args.no_networkx)
    took, graph = timed(lambda: as_links(g, args.seed))
    print(f"link graph with kinds, dates and records made in {took:.1f} s")
    person_views(graph, args.persons, args.seed)


if __name__ == "__main__":
    main()
