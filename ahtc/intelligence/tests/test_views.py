"""Link analysis pages up the ladder of personas, and their bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent
from ahtc.intelligence.tests.conftest import World

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
NETWORKS = "/cell/intelligence/"


def person_url(world: World, key: str, suffix: str = "") -> str:
    return reverse("cell:intelligence:person", args=[world.people[key].pk]) + suffix


def links_table(response: Any) -> str:
    page: str = response.content.decode()
    start = page.index('<table class="stack network-table">')
    return page[start : page.index("</table>", start)]


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    assert client.get(NETWORKS).status_code == 302
    assert client.get(person_url(world, "rafiq")).status_code == 302


def test_officer_sees_the_networks_and_their_central_people(
    world: World, officer_mbdin: User, login_as: LoginAs
) -> None:
    page = login_as(officer_mbdin).get(NETWORKS).content.decode()
    assert "Rafiq Recruiter" in page
    assert "Zahid" not in page


def test_person_network_draws_the_chart_and_the_same_table(
    world: World, officer_mbdin: User, login_as: LoginAs
) -> None:
    response = login_as(officer_mbdin).get(person_url(world, "rafiq"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert 'role="img"' in page
    assert "Vic Three" in page
    assert "Falcon Travels" in page
    assert world.case_b.reference in page
    assert "recruited by" in page
    assert "Farooq Financier G" not in page
    assert "Zahid" not in page
    shown = AuditEvent.objects.filter(object_type="people.person", reason="person network")
    assert shown.filter(object_id=str(world.people["vic3"].pk)).exists()


def test_depth_one_and_kind_filter(world: World, officer_mbdin: User, login_as: LoginAs) -> None:
    client = login_as(officer_mbdin)
    table = links_table(client.get(person_url(world, "sajid"), {"depth": 1}))
    assert "Rafiq Recruiter" in table
    assert "Vic Three" not in table
    table = links_table(
        client.get(person_url(world, "rafiq"), {"kinds": ["same_agency"], "depth": "1"})
    )
    assert "Sajid Staff" in table
    assert "Vic One" not in table


def test_expanding_a_node_adds_its_links(
    world: World, officer_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(officer_mbdin)
    far = links_table(client.get(person_url(world, "sajid"), {"depth": 1}))
    assert "Vic One" not in far
    rafiq = world.people["rafiq"].pk
    near = client.get(person_url(world, "sajid"), {"depth": "1", "expand": str(rafiq)})
    assert "Vic One" in links_table(near)


def test_svg_download(world: World, officer_mbdin: User, login_as: LoginAs) -> None:
    response = login_as(officer_mbdin).get(person_url(world, "rafiq"), {"format": "svg"})
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    assert b"Vic One" in response.content


def test_case_network(world: World, officer_mbdin: User, login_as: LoginAs) -> None:
    client = login_as(officer_mbdin)
    url = reverse("cell:intelligence:case", args=[world.case_b.reference])
    page = client.get(url).content.decode()
    assert "Waqas Witness" in page
    assert "Bilal Broker" in page
    other = reverse("cell:intelligence:case", args=[world.case_g.reference])
    assert client.get(other).status_code == 404


def test_shortest_path_page_lists_each_step_with_its_records(
    world: World, officer_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(officer_mbdin)
    response = client.get(person_url(world, "sajid", "path/"), {"to": world.people["vic3"].pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Falcon Travels" in page
    assert world.case_b.reference in page
    bad = client.get(person_url(world, "sajid", "path/"), {"to": world.people["zahid"].pk})
    assert bad.status_code == 400
    assert "Choose a person of the same network." in bad.content.decode()


class TestBadInput:
    def test_end_before_start_keeps_the_dates_and_says_why(
        self, world: World, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        response = login_as(officer_mbdin).get(
            person_url(world, "rafiq"), {"start": "2025-05-01", "end": "2025-01-01"}
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "The end date is before the start date." in page
        assert 'value="2025-05-01"' in page

    def test_not_a_date(self, world: World, officer_mbdin: User, login_as: LoginAs) -> None:
        response = login_as(officer_mbdin).get(person_url(world, "rafiq"), {"start": "soon"})
        assert response.status_code == 400
        assert 'value="soon"' in response.content.decode()

    def test_bad_expand(self, world: World, officer_mbdin: User, login_as: LoginAs) -> None:
        response = login_as(officer_mbdin).get(person_url(world, "rafiq"), {"expand": "1;DROP"})
        assert response.status_code == 400
        assert "The people to expand are not valid." in response.content.decode()

    def test_unknown_person_is_404(
        self, world: World, officer_mbdin: User, login_as: LoginAs
    ) -> None:
        url = reverse("cell:intelligence:person", args=[10**8])
        assert login_as(officer_mbdin).get(url).status_code == 404


def test_other_districts_officer_gets_404_and_an_audit_row(
    world: World, officer_gujrat: User, login_as: LoginAs
) -> None:
    client = login_as(officer_gujrat)
    assert client.get(person_url(world, "rafiq")).status_code == 404
    assert AuditEvent.objects.filter(
        outcome="refused", object_type="people.person", object_id=str(world.people["rafiq"].pk)
    ).exists()
    page = client.get(NETWORKS).content.decode()
    assert "Rafiq" not in page
    assert "Zahid Gujrat" in page


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.PROVINCIAL_MONITOR, OrganisationKind.POLICE_AHTC),
        (Role.ANALYST, OrganisationKind.POLICE_AHTC),
        (Role.AGENCY_LIAISON, OrganisationKind.EDUCATION),
        (Role.AGENCY_LIAISON, OrganisationKind.NGO),  # a service provider
        (Role.AGENCY_LIAISON, OrganisationKind.LABOUR),
    ],
)
def test_refused_roles_get_403(
    role: Role, kind: str, world: World, make_user: Callable[..., User], login_as: LoginAs
) -> None:
    area = "PK6" if role == Role.PROVINCIAL_MONITOR else "PK620"
    client = login_as(make_user(f"u_{role}_{kind}", role, area, kind=kind))
    for url in (NETWORKS, person_url(world, "rafiq"), "/cell/intelligence/watchlist/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Rafiq" not in response.content.decode()
    assert AuditEvent.objects.filter(outcome="refused", reason="link analysis needs case work")


def test_works_in_urdu(world: World, officer_mbdin: User, login_as: LoginAs, settings: Any) -> None:
    client = login_as(officer_mbdin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ur"
    page = client.get(person_url(world, "rafiq")).content.decode()
    assert 'dir="rtl"' in page
    assert "<svg" in page
