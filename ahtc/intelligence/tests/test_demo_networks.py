"""The demo's agents form two networks around a financier, and one
watchlist entry with one alert (demo/networks.py)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.demo.networks import build_networks
from ahtc.demo.people import build_people
from ahtc.intelligence import analysis as an
from ahtc.intelligence.graph import graph_for_user
from ahtc.intelligence.models import WatchlistAlert, WatchlistEntry
from ahtc.people.models import Person

pytestmark = pytest.mark.django_db


def test_two_networks_each_around_its_financier(
    officer_mbdin: User, officer_gujrat: User, dpo_mbdin: User, make_user: Callable[..., User]
) -> None:
    users = {
        "officer_mbdin": officer_mbdin,
        "officer_gujrat": officer_gujrat,
        "dpo_mbdin": dpo_mbdin,
        "head_pk609": make_user("head_pk609", Role.CELL_HEAD, "PK609"),
        "head_pk634": make_user("head_pk634", Role.CELL_HEAD, "PK634"),
    }
    ctx = SimpleNamespace(users=users)
    build_people(ctx)
    aslam = Person.objects.order_by("pk").first()
    assert aslam is not None
    build_networks(ctx)
    graph = graph_for_user(officer_mbdin)
    networks = an.networks(graph)
    assert len(networks) == 2
    financiers = {graph.nodes[n.central[0]].roles >= {"Financier"} for n in networks}
    assert financiers == {True}
    assert graph.node_of(aslam.pk) in {n.central[0] for n in networks}
    entry = WatchlistEntry.objects.get()
    assert entry.person == aslam
    [alert] = WatchlistAlert.objects.all()
    assert alert.district.code == "PK610"
    assert alert.matched_by == "phone"
