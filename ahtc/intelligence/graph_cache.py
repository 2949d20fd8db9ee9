"""The link-analysis graph kept between requests (issue 15).

Building a district's graph reads every party, event, staff member, phone and
identity link of its cases and agencies: about 2 s for the busiest district of
the province-scale data. It is kept in the worker's memory, keyed by

- **what the user may see now**: the ids of the cases and agencies their access
  rules give (read on every request, so a share that expired, a task that
  closed or a role that changed takes effect at once, and nothing outside the
  user's scope can come from another user's graph), and
- **the data version**: a token in the shared cache, replaced when a transaction
  that wrote a record the graph is built from commits, with a count of this
  worker's own writes (signals below, and `graph_data_changed` for the bulk
  writers that send none), so a new link shows on the next page.

A kept graph is never changed: each request gets a copy with its own table of
nodes (`Graph.copy`), and names are put on copies of the nodes it shows
(intelligence/selectors.label_nodes). No names are kept: the graph holds
record ids, pseudonyms and district codes only. Graphs expire after
TTL_SECONDS and at most MAX_GRAPHS are kept per worker.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ahtc.agencies.models import Agency
    from ahtc.cases.models import Case
    from ahtc.intelligence.graph import Graph

VERSION_KEY = "intelligence:graph-version"
MAX_GRAPHS = 16
TTL_SECONDS = 600

_graphs: OrderedDict[str, tuple[float, Graph]] = OrderedDict()
_lock = threading.Lock()


_generation = 0  # this worker's own writes, counted at once


def graph_data_changed() -> None:
    """A record behind the graphs changed: every kept graph is old. This
    worker knows at once; the others when the writer's transaction commits
    (one shared-cache write per transaction, none when it rolls back)."""
    global _generation
    with _lock:
        _generation += 1
    connection = transaction.get_connection()
    if not any(func is _bump_shared for _sids, func, _robust in connection.run_on_commit):
        transaction.on_commit(_bump_shared)


def _bump_shared() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return f"{version}:{_generation}"


def clear() -> None:
    """Forget every kept graph of this worker (tests; operators never need it)."""
    with _lock:
        _graphs.clear()


def kept_graph(*, cases: QuerySet[Case], agencies: QuerySet[Agency]) -> Graph:
    """The graph of these cases and agencies: the kept one when the same
    records at the same version were built before, else built and kept."""
    from ahtc.agencies.models import Agency
    from ahtc.cases.models import Case
    from ahtc.intelligence.graph import build_graph

    version = _version()  # before reading the ids: a change after it rebuilds
    case_ids = sorted(cases.values_list("pk", flat=True))
    agency_ids = sorted(agencies.values_list("pk", flat=True))
    key = hashlib.sha256(f"{version}|{case_ids}|{agency_ids}".encode()).hexdigest()
    now = time.monotonic()
    with _lock:
        hit = _graphs.get(key)
        if hit is not None and now - hit[0] < TTL_SECONDS:
            _graphs.move_to_end(key)
            return hit[1].copy()
    graph = build_graph(
        cases=Case.objects.filter(pk__in=case_ids),
        agencies=Agency.objects.filter(pk__in=agency_ids),
    )
    graph.adjacency()  # worked out once, shared by the copies
    graph.node_of(0)
    with _lock:
        _graphs[key] = (now, graph)
        _graphs.move_to_end(key)
        while len(_graphs) > MAX_GRAPHS:
            _graphs.popitem(last=False)
    return graph.copy()


def _changed(sender: Any, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        graph_data_changed()


def connect() -> None:
    """The records a graph is built from (graph.build_graph)."""
    from ahtc.agencies.models import Agency, AgencyParty, AgencyPerson
    from ahtc.cases.models import Case, CaseEvent, Party
    from ahtc.people.models import Identifier, PersonLink

    for model in (
        Case,
        Party,
        CaseEvent,
        Agency,
        AgencyPerson,
        AgencyParty,
        Identifier,
        PersonLink,
    ):
        name = model._meta.label_lower
        post_save.connect(_changed, sender=model, dispatch_uid=f"graph_version_save_{name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"graph_version_delete_{name}")
