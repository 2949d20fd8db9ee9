"""The graph kept between requests (intelligence/graph_cache.py): built once
for the same records, rebuilt after a write, never wider than the user's scope
of the moment, and never carrying one page's names into another."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from ahtc.accounts.models import RoleAssignment, User
from ahtc.accounts.roles import Role
from ahtc.cases.models import PartyRole
from ahtc.cases.services import party_add
from ahtc.intelligence import graph as graph_module
from ahtc.intelligence import graph_cache
from ahtc.intelligence.graph import graph_for_user
from ahtc.intelligence.selectors import label_nodes
from ahtc.intelligence.tests.conftest import World
from ahtc.people.services import person_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a graph was built from the database."""
    calls: list[int] = []
    real = graph_module.build_graph

    def counting(**kwargs: Any) -> Any:
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(graph_module, "build_graph", counting)
    return calls


def _people(graph: graph_module.Graph) -> set[int]:
    return {pk for n in graph.nodes.values() for pk in n.people}


def test_the_same_records_are_built_once(
    world: World, officer_mbdin: User, make_user: Callable[..., User], builds: list[int]
) -> None:
    first = graph_for_user(officer_mbdin)
    second = graph_for_user(officer_mbdin)
    assert len(builds) == 1
    assert second.nodes == first.nodes
    assert second.nodes is not first.nodes
    # Another officer of the same district sees the same records: the same graph.
    colleague = make_user("officer2_mbdin", Role.CELL_OFFICER)
    assert _people(graph_for_user(colleague)) == _people(first)
    assert len(builds) == 1


def test_a_new_party_shows_on_the_next_request(
    world: World, officer_mbdin: User, builds: list[int]
) -> None:
    before = graph_for_user(officer_mbdin)
    newcomer = person_create(
        source_district=world.case_a.district, by=officer_mbdin, name_latin="New Comer"
    )
    party_add(case=world.case_a, by=officer_mbdin, role=PartyRole.RECRUITER, person=newcomer)
    after = graph_for_user(officer_mbdin)
    assert newcomer.pk not in _people(before)
    assert newcomer.pk in _people(after)
    assert len(builds) == 2


def test_a_lost_grant_narrows_the_graph_at_once(
    world: World, make_user: Callable[..., User], builds: list[int]
) -> None:
    head = make_user("head_div", Role.CELL_HEAD, "PK6DV03")
    wide = graph_for_user(head)
    assert world.people["zahid"].pk in _people(wide)  # Gujrat's case
    RoleAssignment.objects.filter(user=head).update(area=world.case_a.district)
    head = User.objects.get(pk=head.pk)  # a new request: the grants read again
    narrow = graph_for_user(head)
    assert world.people["zahid"].pk not in _people(narrow)
    assert world.case_g.reference not in {r.case for x in narrow.links for r in x.records}
    assert len(builds) == 2


def test_names_stay_on_the_page_that_showed_them(world: World, officer_mbdin: User) -> None:
    page = graph_for_user(officer_mbdin)
    centre = page.node_of(world.people["rafiq"].pk)
    assert centre is not None
    label_nodes(officer_mbdin, page, {centre}, why="test")
    assert page.nodes[centre].label  # named on this page
    kept = graph_for_user(officer_mbdin)
    assert kept.nodes[centre].label == ""
    assert not kept.nodes[centre].named


def test_one_shared_version_change_per_transaction(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        graph_cache.graph_data_changed()
        graph_cache.graph_data_changed()
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=True):
        before = graph_cache._version()
        graph_cache.graph_data_changed()
    assert graph_cache._version() != before


def test_at_most_max_graphs_are_kept(
    world: World, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph_cache, "MAX_GRAPHS", 2)
    for name, area in (("a", "PK620"), ("b", "PK610"), ("c", "PK6DV03")):
        graph_for_user(make_user(f"head_{name}", Role.CELL_HEAD, area))
    assert len(graph_cache._graphs) == 2


def test_networks_are_worked_out_once_per_kept_graph(
    world: World, officer_mbdin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ahtc.intelligence import analysis

    calls: list[int] = []
    real = analysis._networks

    def counting(graph: Any, central: int) -> Any:
        calls.append(1)
        return real(graph, central)

    monkeypatch.setattr(analysis, "_networks", counting)
    first = analysis.networks(graph_for_user(officer_mbdin))
    again = analysis.networks(graph_for_user(officer_mbdin))
    assert again == first
    assert len(calls) == 1
    # A filtered graph has other links: its own answer.
    analysis.networks(graph_for_user(officer_mbdin, kinds=["paid_to"]))
    assert len(calls) == 2
