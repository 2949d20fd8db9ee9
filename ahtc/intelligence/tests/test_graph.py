"""The link graph from the records, its access rule, and the analyses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.cases.models import CaseShare
from ahtc.intelligence import analysis as an
from ahtc.intelligence.graph import Graph, Link, LinkKind, Node, Record, graph_for_user
from ahtc.intelligence.tests.conftest import World

pytestmark = pytest.mark.django_db
K = LinkKind


def node(graph: Graph, world: World, key: str) -> int:
    found = graph.node_of(world.people[key].pk)
    assert found is not None, key
    return found


def links(graph: Graph, world: World, a: str, b: str) -> dict[str, Link]:
    x, y = node(graph, world, a), node(graph, world, b)
    return {k.kind: k for k in graph.links if {k.source, k.target} == {x, y}}


class TestLinkKinds:
    def test_co_accused_are_suspects_of_one_case(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        link = links(graph, world, "bilal", "farooq")[K.CO_ACCUSED]
        assert link.records == {Record(case=world.case_a.reference)}
        assert link.date == world.case_a.offence_date
        assert K.CO_ACCUSED not in links(graph, world, "vic1", "rafiq")

    def test_recruited_by_points_from_victim_to_recruiter_with_the_event(
        self, world: World, officer_mbdin: User
    ) -> None:
        graph = graph_for_user(officer_mbdin)
        link = links(graph, world, "vic1", "rafiq")[K.RECRUITED_BY]
        assert (link.source, link.target) == (
            node(graph, world, "vic1"),
            node(graph, world, "rafiq"),
        )
        assert link.date == dt.date(2025, 1, 10)
        event = world.case_a.events.get(kind="Recruitment")
        assert Record(case=world.case_a.reference, event=event.pk) in link.records

    def test_paid_to_goes_up_the_money_chain(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        assert K.PAID_TO in links(graph, world, "vic1", "bilal")
        up = links(graph, world, "bilal", "farooq")[K.PAID_TO]
        assert up.source == node(graph, world, "bilal")
        assert up.date == dt.date(2025, 2, 1)
        assert K.PAID_TO not in links(graph, world, "vic1", "farooq")

    def test_travelled_with_in_one_case_and_across_cases_on_the_same_step(
        self, world: World, officer_mbdin: User
    ) -> None:
        graph = graph_for_user(officer_mbdin)
        assert K.TRAVELLED_WITH in links(graph, world, "vic1", "tariq")
        across = links(graph, world, "vic1", "vic3")[K.TRAVELLED_WITH]
        assert {r.case for r in across.records} == {
            world.case_a.reference,
            world.case_b.reference,
        }
        assert all(r.event for r in across.records)

    def test_same_agency_links_its_staff(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        link = links(graph, world, "sajid", "rafiq")[K.SAME_AGENCY]
        assert link.records == {Record(agency=world.agency.pk)}
        assert graph.agencies[world.agency.pk] == "Falcon Travels"

    def test_shared_phone_found_by_keyed_hash(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        link = links(graph, world, "bilal", "waqas")[K.SHARED_PHONE]
        assert {r.case for r in link.records} == {
            world.case_a.reference,
            world.case_b.reference,
        }

    def test_linked_records_are_one_person(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        assert node(graph, world, "rafiq") == node(graph, world, "rafiq_b")
        assert K.RECRUITED_BY in links(graph, world, "vic3", "rafiq")

    def test_filters_by_kind_and_date(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin, kinds=[K.PAID_TO])
        assert {x.kind for x in graph.links} == {K.PAID_TO}
        march = graph_for_user(officer_mbdin, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
        assert {x.kind for x in march.links} == {K.TRAVELLED_WITH}


class TestAccess:
    def test_other_districts_people_never_appear(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        everyone = {pk for n in graph.nodes.values() for pk in n.people}
        assert world.people["zahid"].pk not in everyone
        assert world.people["farooq_g"].pk not in everyone
        refs = {r.case for x in graph.links for r in x.records}
        assert world.case_g.reference not in refs

    def test_gujrat_officer_sees_only_gujrat(self, world: World, officer_gujrat: User) -> None:
        graph = graph_for_user(officer_gujrat)
        everyone = {pk for n in graph.nodes.values() for pk in n.people}
        assert everyone == {world.people["farooq_g"].pk, world.people["zahid"].pk}
        # Farooq's Mandi Bahauddin record is linked to this one, but is not in scope.
        assert world.people["farooq"].pk not in everyone

    def test_division_head_sees_both_and_joins_the_identity(
        self, world: World, make_user: Callable[..., User]
    ) -> None:
        head = make_user("head_div", Role.CELL_HEAD, "PK6DV03")
        graph = graph_for_user(head)
        assert node(graph, world, "farooq") == node(graph, world, "farooq_g")
        assert K.CO_ACCUSED in links(graph, world, "zahid", "bilal") or an.shortest_path(
            graph, node(graph, world, "zahid"), node(graph, world, "bilal")
        )

    def test_a_shared_case_shows_its_people_and_nothing_else(
        self, world: World, officer_mbdin: User, fia_liaison: User
    ) -> None:
        # FIA reads the division's agency registry (agencies.selectors), no case yet.
        before = graph_for_user(fia_liaison)
        assert {pk for n in before.nodes.values() for pk in n.people} == {
            world.people["sajid"].pk,
            world.people["rafiq"].pk,
        }
        assert not [r for x in before.links for r in x.records if r.case]
        assert fia_liaison.organisation is not None
        # Shared as after consent was recorded (the consent gate is the cases app's test).
        CaseShare.objects.create(
            case=world.case_b, organisation=fia_liaison.organisation, shared_by=officer_mbdin
        )
        graph = graph_for_user(fia_liaison)
        everyone = {pk for n in graph.nodes.values() for pk in n.people}
        shown = {world.people[k].pk for k in ("rafiq_b", "farooq", "vic3", "waqas")}
        assert shown <= everyone
        assert world.people["bilal"].pk not in everyone  # case A only
        assert world.case_a.reference not in {r.case for x in graph.links for r in x.records}
        assert world.people["zahid"].pk not in everyone

    @pytest.mark.parametrize("persona", ["provincial_monitor", "labour_liaison"])
    def test_no_case_scope_no_graph(
        self, persona: str, world: World, request: pytest.FixtureRequest
    ) -> None:
        assert graph_for_user(request.getfixturevalue(persona)).nodes == {}


class TestAnalyses:
    def test_networks_and_central_people(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        found = an.networks(graph)
        assert len(found) == 1
        assert node(graph, world, "rafiq") in found[0].central
        scores = an.centrality(graph)
        rafiq = scores[node(graph, world, "rafiq")]
        assert rafiq.degree >= 5
        assert 0 < rafiq.betweenness <= 1
        assert 0 < rafiq.closeness <= 1
        assert 0 < rafiq.eigenvector <= 1

    def test_shortest_path_keeps_the_records_of_each_step(
        self, world: World, officer_mbdin: User
    ) -> None:
        graph = graph_for_user(officer_mbdin)
        steps = an.shortest_path(graph, node(graph, world, "sajid"), node(graph, world, "vic3"))
        assert next(s.source for s in steps) == node(graph, world, "sajid")
        assert len(steps) == 2  # Sajid -agency- Rafiq -recruited- Vic Three
        assert steps[0].links[0].records == {Record(agency=world.agency.pk)}
        assert {r.case for x in steps[1].links for r in x.records} == {world.case_b.reference}

    def test_shortest_path_bad_input(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        with pytest.raises(an.AnalysisError):
            an.shortest_path(graph, node(graph, world, "vic1"), 10**9)
        with pytest.raises(an.AnalysisError):
            an.shortest_path(graph, node(graph, world, "vic1"), node(graph, world, "vic1"))

    def test_activity_counts_links_per_month_with_quiet_months(
        self, world: World, officer_mbdin: User
    ) -> None:
        graph = graph_for_user(officer_mbdin, kinds=[K.RECRUITED_BY, K.PAID_TO])
        series = dict(an.activity(graph, graph.nodes))
        assert series["2025-01"] >= 2
        assert series["2025-02"] >= 2
        assert series["2025-03"] == 0
        assert list(series)[-1] == "2025-04"

    def test_neighbourhood_depth(self, world: World, officer_mbdin: User) -> None:
        graph = graph_for_user(officer_mbdin)
        sajid = node(graph, world, "sajid")
        one = an.neighbourhood(graph, [sajid], 1)
        assert one == {sajid, node(graph, world, "rafiq")}
        assert node(graph, world, "vic3") in an.neighbourhood(graph, [sajid], 2)


def planted(groups: int, size: int) -> Graph:
    """Cliques joined in a ring by one link each."""
    graph = Graph()
    for g in range(groups):
        members = [g * size + i for i in range(size)]
        for m in members:
            graph.nodes[m] = Node(id=m)
        graph.links += [
            Link(a, b, K.CO_ACCUSED, None) for i, a in enumerate(members) for b in members[i + 1 :]
        ]
        graph.links.append(Link(g * size, ((g + 1) % groups) * size + 1, K.SHARED_PHONE, None))
    return graph


def test_leiden_cpm_recovers_planted_small_groups() -> None:
    graph = planted(groups=30, size=4)
    found = an.communities(graph)
    assert sorted(found) == [[g * 4 + i for i in range(4)] for g in range(30)]


def test_modularity_would_merge_them() -> None:
    """Why CPM: on the same graph modularity joins small groups (resolution limit)."""
    import leidenalg  # type: ignore[import-untyped]

    g, _ = an.simple(planted(groups=30, size=4))
    merged = leidenalg.find_partition(g, leidenalg.ModularityVertexPartition, seed=1)
    assert len(merged) < 30
