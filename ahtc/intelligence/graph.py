"""The link graph: people joined by what the records say about them.

Nodes are people (one node per identity: records joined by active
`people.PersonLink`s, among the records the user may see). Links come from
cases, agencies and identifiers, and keep the records behind them:

- **co-accused**: two suspects of one case;
- **recruited by**: a victim (or smuggled migrant) and a recruiter, broker or
  agent of the same case, with the case's recruitment events;
- **paid to**: one step up the money chain for each payment event of a case:
  victims pay the recruiters, brokers and smugglers; those pay the financier
  (victims pay the financier directly when the case has no agent);
- **travelled with**: victims, transporters and smugglers on the same transit
  step: the same case's transit events, or the same place on the same day in
  two cases;
- **same agency**: owners and staff of one travel agency (the registry, or a
  case party linked to the agency);
- **shared phone**: two people holding the same phone number, compared by the
  identifiers' keyed hashes (nothing is decrypted to build the graph).

Access (`graph_for_user`): the graph is built only from the cases the user
may open (`cases.selectors.cases_for_user`) and the agencies they may read
(`agencies.selectors.agencies_for_user`). A person, a link or a record outside
those never enters it, not even as an unnamed node; identities are joined
only through links whose two records are both in scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ahtc.agencies.models import Agency, AgencyParty, AgencyPerson
from ahtc.cases.models import PROTECTED_ROLES, SUSPECT_ROLES, Case, CaseEvent, EventKind, Party
from ahtc.cases.models import PartyRole as R
from ahtc.people.models import Identifier, IdentifierKind, PersonLink


class LinkKind(models.TextChoices):
    SHARED_PHONE = "shared_phone", _("shared phone")
    SAME_AGENCY = "same_agency", _("same agency")
    CO_ACCUSED = "co_accused", _("co-accused")
    RECRUITED_BY = "recruited_by", _("recruited by")
    PAID_TO = "paid_to", _("paid to")
    TRAVELLED_WITH = "travelled_with", _("travelled with")


RECRUITERS = {R.RECRUITER, R.BROKER}
AGENTS = {R.RECRUITER, R.BROKER, R.SMUGGLER}
TRAVELLERS = PROTECTED_ROLES | {R.TRANSPORTER, R.SMUGGLER}
EVENT_KINDS = (EventKind.RECRUITMENT, EventKind.PAYMENT, EventKind.TRANSIT)


@dataclass(frozen=True)
class Record:
    """One record behind a link: a case (and one of its events), or an agency."""

    case: str = ""
    event: int | None = None
    agency: int | None = None


@dataclass
class Link:
    source: int
    target: int
    kind: str
    date: dt.date | None
    records: set[Record] = field(default_factory=set)

    @property
    def directed(self) -> bool:
        """recruited by / paid to read from source to target."""
        return self.kind in (LinkKind.RECRUITED_BY, LinkKind.PAID_TO)

    def other(self, node: int) -> int:
        return self.target if node == self.source else self.source


@dataclass
class Node:
    id: int  # the lowest id of the person records in scope that form it
    people: set[int] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    districts: set[str] = field(default_factory=set)
    parties: list[str] = field(default_factory=list)  # pseudonyms (CASE-S1)
    label: str = ""
    named: bool = False


@dataclass
class Graph:
    nodes: dict[int, Node] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    agencies: dict[int, str] = field(default_factory=dict)
    # Built once on first use; a Graph is not changed after it is built.
    _adjacent: dict[int, list[Link]] | None = field(default=None, repr=False, compare=False)
    _people: dict[int, int] | None = field(default=None, repr=False, compare=False)
    # Answers worked out from the links and node ids (never from names), shared
    # by a kept graph's copies (analysis.networks).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def node_of(self, person_id: int) -> int | None:
        if self._people is None:
            self._people = {pk: n.id for n in self.nodes.values() for pk in n.people}
        return self._people.get(person_id)

    def adjacency(self) -> dict[int, list[Link]]:
        if self._adjacent is None:
            adjacent: dict[int, list[Link]] = defaultdict(list)
            for link in self.links:
                adjacent[link.source].append(link)
                adjacent[link.target].append(link)
            self._adjacent = adjacent
        return self._adjacent

    def restricted(self, keep: Iterable[int]) -> Graph:
        """The nodes `keep` and the links among them (through the adjacency,
        so a small neighbourhood of a large graph costs little)."""
        kept = set(keep)
        adjacency = self.adjacency()
        links = {
            id(x): x
            for node in kept
            for x in adjacency.get(node, [])
            if x.source in kept and x.target in kept
        }
        return Graph(
            nodes={k: self.nodes[k] for k in sorted(kept) if k in self.nodes},
            links=sorted(links.values(), key=lambda x: (x.source, x.target, x.kind)),
            agencies=self.agencies,
        )

    def copy(self) -> Graph:
        """The same graph with its own table of nodes (names are put on copies of
        the nodes a page shows, never on a kept graph's)."""
        return Graph(
            nodes=dict(self.nodes),
            links=self.links,
            agencies=self.agencies,
            _adjacent=self._adjacent,
            _people=self._people,
            memo=self.memo,
        )

    def filtered(
        self,
        *,
        kinds: Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Graph:
        """Links of these kinds dated inside [start, end] (undated links only
        when no date is given); every node stays, so a lone person still shows."""
        wanted = set(kinds) if kinds else set(LinkKind.values)
        if wanted >= set(LinkKind.values) and start is None and end is None:
            return self.copy()  # everything: the same links (and answers)
        links = [x for x in self.links if x.kind in wanted and _in_range(x.date, start, end)]
        return Graph(nodes=self.nodes, links=links, agencies=self.agencies)


def _in_range(day: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None and end is None:
        return True
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


# --- building -----------------------------------------------------------------------------


class _Builder:
    def __init__(self) -> None:
        self.links: dict[tuple[str, int, int, str], Link] = {}
        self.canonical: dict[int, int] = {}

    def add(
        self, kind: str, a: int, b: int, day: dt.date | None, records: Iterable[Record], key: str
    ) -> None:
        """One link per kind, pair and record group (`key`); its date is the earliest."""
        a, b = self.canonical[a], self.canonical[b]
        if a == b:
            return
        directed = kind in (LinkKind.RECRUITED_BY, LinkKind.PAID_TO)
        if not directed and a > b:
            a, b = b, a
        link = self.links.setdefault((kind, a, b, key), Link(a, b, kind, day))
        if day is not None and (link.date is None or day < link.date):
            link.date = day
        link.records.update(records)


def _identities(person_ids: set[int]) -> dict[int, int]:
    """Person id -> the lowest id of its identity, through links inside scope only."""
    parent = {pk: pk for pk in person_ids}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    rows = PersonLink.objects.filter(
        undone_at__isnull=True, person_a__in=person_ids, person_b__in=person_ids
    ).values_list("person_a", "person_b")
    for a, b in rows:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {pk: root(pk) for pk in person_ids}


def _case_date(row: dict[str, Any]) -> dt.date:
    offence: dt.date | None = row["case__offence_date"]
    return offence or row["case__created_at"].date()


def _case_links(b: _Builder, parties: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    ref, day = parties[0]["case__reference"], _case_date(parties[0])
    case_record = Record(case=ref)
    by_role: dict[str, list[int]] = defaultdict(list)
    for p in parties:
        by_role[p["role"]].append(p["person_id"])

    def having(roles: Iterable[str]) -> list[int]:
        return [pk for role in roles for pk in by_role.get(role, [])]

    for x, y in combinations(having(SUSPECT_ROLES), 2):
        b.add(LinkKind.CO_ACCUSED, x, y, day, [case_record], ref)
    victims = having(PROTECTED_ROLES)
    recruits = [e for e in events if e["kind"] == EventKind.RECRUITMENT]
    recruit_day = min((e["date"] for e in recruits if e["date"]), default=day)
    recruit_records = [case_record] + [Record(case=ref, event=e["pk"]) for e in recruits]
    for v in victims:
        for r in having(RECRUITERS):
            b.add(LinkKind.RECRUITED_BY, v, r, recruit_day, recruit_records, ref)
    _payments(b, ref, events, victims, having(AGENTS), having([R.FINANCIER]))
    travellers = having(TRAVELLERS)
    for e in events:
        if e["kind"] == EventKind.TRANSIT:
            for x, y in combinations(travellers, 2):
                b.add(LinkKind.TRAVELLED_WITH, x, y, e["date"] or day, [Record(ref, e["pk"])], ref)


def _payments(
    b: _Builder,
    ref: str,
    events: list[dict[str, Any]],
    victims: list[int],
    agents: list[int],
    financiers: list[int],
) -> None:
    steps = [(v, a) for v in victims for a in agents] + [(a, f) for a in agents for f in financiers]
    if not agents:
        steps += [(v, f) for v in victims for f in financiers]
    for e in events:
        if e["kind"] == EventKind.PAYMENT:
            for payer, payee in steps:
                b.add(LinkKind.PAID_TO, payer, payee, e["date"], [Record(ref, e["pk"])], ref)


def _route_links(b: _Builder, parties: list[dict[str, Any]], events: list[dict[str, Any]]) -> None:
    """The same place on the same day in two cases: their travellers travelled together."""
    travellers: dict[int, list[int]] = defaultdict(list)
    refs: dict[int, str] = {}
    for p in parties:
        refs[p["case_id"]] = p["case__reference"]
        if p["role"] in TRAVELLERS:
            travellers[p["case_id"]].append(p["person_id"])
    steps: dict[tuple[str, str, dt.date], list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        place = " ".join(e["place"].casefold().split())
        if e["kind"] == EventKind.TRANSIT and place and e["date"]:
            steps[(e["country"], place, e["date"])].append(e)
    for (_country, _place, day), group in steps.items():
        for e1, e2 in combinations(group, 2):
            if e1["case_id"] == e2["case_id"]:
                continue
            records = [Record(refs[e1["case_id"]], e1["pk"]), Record(refs[e2["case_id"]], e2["pk"])]
            for x in travellers[e1["case_id"]]:
                for y in travellers[e2["case_id"]]:
                    b.add(LinkKind.TRAVELLED_WITH, x, y, day, records, f"route:{day}")


def _agency_links(b: _Builder, members: dict[int, dict[int, dt.date | None]]) -> None:
    for agency_id, people in members.items():
        for x, y in combinations(sorted(people), 2):
            days = [d for d in (people[x], people[y]) if d]
            b.add(
                LinkKind.SAME_AGENCY,
                x,
                y,
                max(days) if days else None,
                [Record(agency=agency_id)],
                f"agency:{agency_id}",
            )


def _phone_links(b: _Builder, person_ids: set[int], cases_of: dict[int, set[str]]) -> None:
    holders: dict[str, set[int]] = defaultdict(set)
    rows = Identifier.objects.filter(person__in=person_ids, kind=IdentifierKind.PHONE)
    for pk, value_hash in rows.values_list("person_id", "value_hash"):
        holders[value_hash].add(pk)
    for number, (value_hash, people) in enumerate(sorted(holders.items())):
        for x, y in combinations(sorted(people), 2):
            refs = cases_of.get(x, set()) | cases_of.get(y, set())
            records = [Record(case=ref) for ref in sorted(refs)]
            b.add(LinkKind.SHARED_PHONE, x, y, None, records, f"phone:{number}:{value_hash[:8]}")


def build_graph(*, cases: QuerySet[Case], agencies: QuerySet[Agency]) -> Graph:
    """The graph of these cases and agencies, and nothing else."""
    parties: list[Any] = list(
        Party.objects.filter(case__in=cases, person__isnull=False)
        .order_by("case_id", "number")
        .values(
            "pk",
            "person_id",
            "role",
            "number",
            "case_id",
            "case__reference",
            "case__offence_date",
            "case__created_at",
            "case__district__code",
        )
    )
    events: list[Any] = list(
        CaseEvent.objects.filter(case__in=cases, kind__in=EVENT_KINDS).values(
            "pk", "case_id", "kind", "date", "place", "country"
        )
    )
    members: dict[int, dict[int, dt.date | None]] = defaultdict(dict)
    staff_districts: dict[int, str] = {}
    for row in AgencyPerson.objects.filter(agency__in=agencies).values(
        "agency_id", "person_id", "since", "agency__district__code"
    ):
        members[row["agency_id"]][row["person_id"]] = row["since"]
        staff_districts[row["person_id"]] = row["agency__district__code"]
    visible_parties = {p["pk"]: p["person_id"] for p in parties}
    for agency_id, party_id in AgencyParty.objects.filter(
        agency__in=agencies, party_id__in=list(visible_parties)
    ).values_list("agency_id", "party_id"):
        members[agency_id].setdefault(visible_parties[party_id], None)
    person_ids = {p["person_id"] for p in parties} | {
        pk for people in members.values() for pk in people
    }
    b = _Builder()
    b.canonical = _identities(person_ids)
    graph = Graph(
        agencies=dict(Agency.objects.filter(pk__in=list(members)).values_list("pk", "name_en"))
    )
    _nodes(graph, b.canonical, parties, staff_districts)
    by_case: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for p in parties:
        by_case[p["case_id"]].append(p)
    events_of: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for e in events:
        events_of[e["case_id"]].append(e)
    for case_id, rows in by_case.items():
        _case_links(b, rows, events_of.get(case_id, []))
    _route_links(b, parties, events)
    _agency_links(b, members)
    cases_of: dict[int, set[str]] = defaultdict(set)
    for p in parties:
        cases_of[p["person_id"]].add(p["case__reference"])
    _phone_links(b, person_ids, cases_of)
    graph.links = sorted(b.links.values(), key=lambda x: (x.source, x.target, x.kind))
    return graph


def _nodes(
    graph: Graph,
    canonical: dict[int, int],
    parties: list[dict[str, Any]],
    staff_districts: dict[int, str],
) -> None:
    for person_id, node_id in canonical.items():
        node = graph.nodes.setdefault(node_id, Node(id=node_id))
        node.people.add(person_id)
        if person_id in staff_districts:
            node.districts.add(staff_districts[person_id])
            node.roles.add("agency_staff")
    for p in parties:
        node = graph.nodes[canonical[p["person_id"]]]
        node.roles.add(p["role"])
        node.districts.add(p["case__district__code"])
        prefix = "V" if p["role"] in PROTECTED_ROLES else "S" if p["role"] in SUSPECT_ROLES else "W"
        node.parties.append(f"{p['case__reference']}-{prefix}{p['number']}")


def graph_for_user(
    user: Any,
    *,
    kinds: Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> Graph:
    """The graph of what `user` may see: their cases and agencies only."""
    from ahtc.agencies.selectors import agencies_for_user
    from ahtc.cases.selectors import cases_for_user
    from ahtc.intelligence.graph_cache import kept_graph

    graph = kept_graph(cases=cases_for_user(user), agencies=agencies_for_user(user))
    return graph.filtered(kinds=kinds, start=start, end=end)
