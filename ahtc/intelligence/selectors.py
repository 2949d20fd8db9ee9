"""Who may use link analysis and the watchlist, and what they see.

- Link analysis: cell staff (*manage cases*), investigating officers
  (*investigate*) and the investigating agency's liaisons (FIA, *view
  shared*). Everyone else (monitors, analysts, service providers, labour,
  education, prosecutors) is refused with a 403 page and an audit row. What
  each sees is `graph.graph_for_user`: their own cases and agencies only.
- Names on the chart: a person is named only for users who may see the
  person (people.selectors.people_for_user, each showing audited); everyone
  else sees the pseudonyms of the case parties (CASE-S1).
- The watchlist: cell staff of the entry's district, and the owning officer.
  Adding or removing needs *manage cases* in the district.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db.models import Q, QuerySet

from ahtc.accounts.models import OrganisationKind
from ahtc.accounts.roles import Perm
from ahtc.accounts.selectors import user_scope
from ahtc.core.access import get_scoped_or_404
from ahtc.core.audit import audit_records
from ahtc.core.models import AuditAction
from ahtc.intelligence.graph import Graph
from ahtc.intelligence.models import WatchlistAlert, WatchlistEntry
from ahtc.people.models import Person


def _fia(user: Any) -> bool:
    organisation = getattr(user, "organisation", None)
    return organisation is not None and organisation.kind == OrganisationKind.FIA


def may_analyse(user: Any) -> bool:
    scope = user_scope(user)
    return (
        scope.has_perm_anywhere(Perm.MANAGE_CASES)
        or scope.has_perm_anywhere(Perm.INVESTIGATE)
        or (_fia(user) and scope.has_perm_anywhere(Perm.VIEW_SHARED))
    )


def network_people_for_user(user: Any) -> QuerySet[Person]:
    """People who can appear in the user's graph: parties of their cases,
    staff of the agencies they read."""
    from ahtc.agencies.selectors import agencies_for_user
    from ahtc.cases.selectors import cases_for_user

    if not may_analyse(user):
        return Person.objects.none()
    ids = Person.objects.filter(
        Q(parties__case__in=cases_for_user(user))
        | Q(agency_roles__agency__in=agencies_for_user(user))
    ).values("pk")
    return Person.objects.filter(pk__in=ids)


def network_person_for_user(user: Any, pk: Any) -> Person:
    return get_scoped_or_404(user=user, scoped=network_people_for_user(user), pk=pk)


def label_nodes(user: Any, graph: Graph, nodes: set[int], *, why: str) -> None:
    """Names for the nodes the user may see by name (audited, one row per
    person record), pseudonyms for the rest."""
    from ahtc.people.selectors import people_for_user

    wanted = {pk for n in nodes for pk in graph.nodes[n].people}
    named = {
        p.pk: p
        for p in people_for_user(user)
        .filter(pk__in=wanted)
        .select_related("source_district")
        .only("name_latin", "name_urdu", "source_district__code")  # no other decrypting
        .order_by("pk")
    }
    for node_id in nodes:
        # A copy: the graph's nodes may be those of a kept graph (graph_cache).
        node = graph.nodes[node_id] = copy.copy(graph.nodes[node_id])
        people = [named[pk] for pk in sorted(node.people) if pk in named]
        names = [p.name_latin or p.name_urdu for p in people]
        node.named = any(names)
        node.label = next((n for n in names if n), "") or _pseudonym(node)
    audit_records(
        actor=user,
        action=AuditAction.VIEW,
        targets=[(p, p.source_district.code) for p in named.values()],
        reason=why,
    )


def _pseudonym(node: Any) -> str:
    if node.parties:
        return str(node.parties[0])
    return f"P-{node.id}"


def watchlist_for_user(user: Any) -> QuerySet[WatchlistEntry]:
    if not getattr(user, "is_authenticated", False):
        return WatchlistEntry.objects.none()
    scope = user_scope(user)
    return WatchlistEntry.objects.filter(
        scope.q(Perm.MANAGE_CASES, "district__path") | Q(owner=user)
    )


def watch_entry_for_user(user: Any, pk: Any) -> WatchlistEntry:
    scoped = watchlist_for_user(user).select_related("district", "owner", "person")
    return get_scoped_or_404(user=user, scoped=scoped, pk=pk)


def alerts_for_user(user: Any) -> QuerySet[WatchlistAlert]:
    """Alerts of the entries the user owns or whose district they run."""
    return WatchlistAlert.objects.filter(entry__in=watchlist_for_user(user))


def alert_links(user: Any, alerts: list[WatchlistAlert]) -> dict[int, str]:
    """For each alert, the link to its record if the user may open it, else
    ''. One query per kind of record, however many alerts."""
    from django.urls import reverse

    from ahtc.agencies.models import AgencyPerson
    from ahtc.agencies.selectors import agencies_for_user
    from ahtc.cases.models import Party
    from ahtc.cases.selectors import cases_for_user
    from ahtc.intelligence.models import AlertSource
    from ahtc.portal.selectors import tips_for_user
    from ahtc.victims.selectors import records_for_user

    wanted: dict[str, set[int]] = {}
    for alert in alerts:
        wanted.setdefault(alert.source, set()).add(alert.record_id)
    urls: dict[tuple[str, int], str] = {}
    ids = wanted.get(AlertSource.CASE_PARTY, set())
    for pk, ref in Party.objects.filter(pk__in=ids, case__in=cases_for_user(user)).values_list(
        "pk", "case__reference"
    ):
        urls[(AlertSource.CASE_PARTY, pk)] = reverse("cell:case", args=[ref])
    ids = wanted.get(AlertSource.AGENCY_STAFF, set())
    for pk, agency in AgencyPerson.objects.filter(
        pk__in=ids, agency__in=agencies_for_user(user)
    ).values_list("pk", "agency_id"):
        urls[(AlertSource.AGENCY_STAFF, pk)] = reverse("cell:agencies:agency", args=[agency])
    ids = wanted.get(AlertSource.REPORT, set())
    for pk in tips_for_user(user).filter(pk__in=ids).values_list("pk", flat=True):
        urls[(AlertSource.REPORT, pk)] = reverse("cell:intake_detail", args=[pk])
    ids = wanted.get(AlertSource.VICTIM_RECORD, set())
    for pk, number in records_for_user(user).filter(pk__in=ids).values_list("pk", "number"):
        urls[(AlertSource.VICTIM_RECORD, pk)] = reverse("cell:victim", args=[number])
    return {a.pk: urls.get((a.source, a.record_id), "") for a in alerts}
