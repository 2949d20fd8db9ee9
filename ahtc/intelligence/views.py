"""Link analysis pages: the networks, a person's network, a case's network,
the shortest path between two people. Access: intelligence/selectors.py."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ahtc.accounts.decorators import staff_view
from ahtc.accounts.roles import Perm
from ahtc.core.audit import audit_record
from ahtc.core.models import AuditAction, AuditOutcome
from ahtc.intelligence import analysis as an
from ahtc.intelligence import chart
from ahtc.intelligence.forms import NetworkFilter, PathForm
from ahtc.intelligence.graph import Graph, LinkKind, graph_for_user
from ahtc.intelligence.selectors import label_nodes, may_analyse, network_person_for_user

View = Callable[..., HttpResponse]
MAX_NETWORKS = 50
MAX_PATH_CHOICES = 300


def analyst_view(view: View) -> View:
    """Signed in with a second factor, and allowed link analysis (else 403, audited)."""

    @staff_view(Perm.VIEW_WORKSPACE)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_analyse(request.user):
            audit_record(
                actor=request.user,
                action=AuditAction.VIEW,
                outcome=AuditOutcome.REFUSED,
                object_type="page",
                object_id=request.resolver_match.view_name if request.resolver_match else "",
                reason="link analysis needs case work",
            )
            return render(request, "cell/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@analyst_view
def network_list(request: HttpRequest) -> HttpResponse:
    graph = graph_for_user(request.user)
    found = an.networks(graph)
    shown = found[:MAX_NETWORKS]
    label_nodes(
        request.user, graph, {p for n in shown for p in n.central}, why="networks: central people"
    )
    return render(
        request,
        "intelligence/networks.html",
        {
            "networks": [
                {"network": n, "central": [graph.nodes[p] for p in n.central]} for n in shown
            ],
            "more": len(found) - len(shown),
            "people": len(graph.nodes),
        },
    )


def _chart_context(
    request: HttpRequest,
    graph: Graph,
    centre: set[int],
    form: NetworkFilter,
    why: str,
    depth: int | None = None,
) -> dict[str, Any]:
    values = form.values()
    if depth is not None:
        values["depth"] = depth
    expanded = {n for n in values["expand"] if n in graph.nodes} - centre
    local = chart.local_view(graph, centre, values["depth"], expanded)
    keep = set(local.nodes)
    label_nodes(request.user, local, keep, why=why)

    def href(node: int) -> str:
        query = request.GET.copy()
        query.pop("format", None)
        query["expand"] = ",".join(str(n) for n in sorted(expanded | {node}))
        return f"?{query.urlencode()}"

    dots, lines = chart.layout(local, centre, href)
    activity = an.activity(local, keep)
    scores = an.centrality(local)
    return {
        "form": form,
        "dots": dots,
        "lines": lines,
        "rows": chart.rows(local),
        "scores": sorted(
            ((local.nodes[k], v) for k, v in scores.items()),
            key=lambda kv: (-kv[1].betweenness, -kv[1].degree, kv[0].id),
        )[:10],
        "activity": activity,
        "activity_max": max((c for _m, c in activity), default=0),
        "kinds": LinkKind.choices,
        "expand": ",".join(str(n) for n in sorted(expanded)),
        "capped": len(keep) >= chart.MAX_NODES,
        "width": chart.WIDTH,
        "height": chart.HEIGHT,
    }


def _filtered(request: HttpRequest) -> tuple[NetworkFilter, Graph]:
    form = NetworkFilter(request.GET or None)
    values = form.values()
    graph = graph_for_user(
        request.user, kinds=values["kinds"], start=values["start"], end=values["end"]
    )
    return form, graph


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    status = 400 if context["form"].is_bound and not context["form"].is_valid() else 200
    if request.GET.get("format") == "svg" and status == 200:
        response = render(request, "intelligence/chart.svg", context, content_type="image/svg+xml")
        response["Content-Disposition"] = 'attachment; filename="network.svg"'
        return response
    return render(request, template, context, status=status)


def _node(graph: Graph, person_id: int) -> int:
    """The person's node; network_person_for_user found them in the user's records,
    so a miss means they were removed a moment ago: not found."""
    node = graph.node_of(person_id)
    if node is None:
        raise Http404
    return node


@analyst_view
def person_network(request: HttpRequest, pk: int) -> HttpResponse:
    person = network_person_for_user(request.user, pk)
    form, graph = _filtered(request)
    node = _node(graph, person.pk)
    context = _chart_context(request, graph, {node}, form, why="person network")
    path_form = _path_form(graph, node, request.user)  # names the centre too
    context.update(
        {
            "person": person,
            "centre": graph.nodes[node],
            "districts": _district_names(graph.nodes[node].districts),
            "path_form": path_form,
        }
    )
    context.update(_watch_context(request.user, person))
    return _page(request, "intelligence/person.html", context)


@analyst_view
def case_network(request: HttpRequest, reference: str) -> HttpResponse:
    from ahtc.cases.selectors import case_for_user

    case = case_for_user(request.user, reference)
    form, graph = _filtered(request)
    people = set(case.parties.filter(person__isnull=False).values_list("person_id", flat=True))
    centre = {n.id for n in graph.nodes.values() if n.people & people}
    why = f"case network {case.reference}"
    context = _chart_context(request, graph, centre, form, why=why, depth=1)
    context["case"] = case
    return _page(request, "intelligence/case.html", context)


def _path_form(graph: Graph, node: int, user: Any, data: Any = None) -> PathForm:
    """The people of the same network, as choices (names only where the user may see them)."""
    members = sorted(an.neighbourhood(graph, [node], len(graph.nodes)) - {node})
    members = members[:MAX_PATH_CHOICES]
    label_nodes(user, graph, {node, *members}, why="shortest path choices")
    form = PathForm(data)
    choices = [(m, graph.nodes[m].label) for m in members]
    form.fields["to"].choices = choices  # type: ignore[attr-defined]
    return form


def _watch_context(user: Any, person: Any) -> dict[str, Any]:
    from ahtc.intelligence.watch_views import watch_context

    return watch_context(user, person)


@analyst_view
def shortest_path(request: HttpRequest, pk: int) -> HttpResponse:
    person = network_person_for_user(request.user, pk)
    graph = graph_for_user(request.user)
    node = _node(graph, person.pk)
    form = _path_form(graph, node, request.user, request.GET)
    steps: list[an.Step] = []
    error = ""
    if form.is_valid():
        steps = an.shortest_path(graph, node, form.cleaned_data["to"])
    else:
        error = _("Choose a person of the same network.")
    return render(
        request,
        "intelligence/path.html",
        {
            "person": person,
            "centre": graph.nodes[node],
            "form": form,
            "error": error,
            "steps": [{"step": s, "rows": chart.rows(_only(graph, s.links))} for s in steps],
        },
        status=400 if error else 200,
    )


def _district_names(codes: set[str]) -> str:
    from ahtc.geography.models import Area

    return ", ".join(a.name for a in Area.objects.filter(code__in=codes).order_by("code"))


def _only(graph: Graph, links: list[Any]) -> Graph:
    return Graph(nodes=graph.nodes, links=links, agencies=graph.agencies)
