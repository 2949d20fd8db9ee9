"""List pages cost the same number of queries however much they show."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ahtc.accounts.models import User
from ahtc.cases import services as cs
from ahtc.cases.models import Case, PartyRole
from ahtc.intelligence.models import WatchlistEntry
from ahtc.intelligence.tests.conftest import World
from ahtc.intelligence.watch import watchlist_add
from ahtc.people.models import Person
from ahtc.people.services import person_create

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
PAGES = [
    "/cell/intelligence/",
    "/cell/intelligence/watchlist/",
    "/cell/intelligence/watchlist/alerts/",
]


def count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def more(world: World, officer: User, n: int) -> None:
    """Another case with new suspects, each watchlisted, each seen again."""
    case = cs.case_open(district=world.case_a.district, by=officer, title="more", origin="walk_in")
    other = cs.case_open(
        district=world.case_a.district, by=officer, title="again", origin="walk_in"
    )
    for i in range(n):
        person = person_create(
            source_district=world.case_a.district, by=officer, name_latin=f"Extra Suspect {i}"
        )
        cs.party_add(case=case, by=officer, role=PartyRole.SMUGGLER, person=person)
        watchlist_add(person=person, district=case.district, by=officer, owner=officer, reason="r")
        cs.party_add(case=other, by=officer, role=PartyRole.SMUGGLER, person=person)


@pytest.mark.parametrize("url", PAGES)
def test_same_queries_at_two_sizes(
    url: str, world: World, officer_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(officer_mbdin)
    client.get(url)  # warm the per-session rows
    more(world, officer_mbdin, 1)
    small = count(client, url)
    more(world, officer_mbdin, 4)
    assert count(client, url) == small
    assert WatchlistEntry.objects.count() == 5
    assert Person.objects.count() > 5
    assert Case.objects.count() > 3
