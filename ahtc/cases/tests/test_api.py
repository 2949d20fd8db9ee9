"""The cases API: same scope as the pages, pseudonyms only, same rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.api.services import api_token_create
from ahtc.cases import services
from ahtc.cases.models import Case, CaseShare, PartyRole, Status
from ahtc.people.models import Person

pytestmark = pytest.mark.django_db

NAME = "Gulnaz Apitest"


def token_client(user: User) -> APIClient:
    client = APIClient()
    _token, key = api_token_create(user=user, name="tests", by=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    client.cookies["ahtc_lang"] = "en"
    return client


@pytest.fixture
def named(case: Case, make_person: Callable[..., Person], officer_mbdin: User) -> Case:
    services.party_add(case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person(NAME))
    return case


def test_list_is_scoped_to_the_district(
    named: Case, officer_mbdin: User, officer_gujrat: User
) -> None:
    own = token_client(officer_mbdin).get("/api/v1/cases/").json()
    assert [c["reference"] for c in own["results"]] == [named.reference]
    other = token_client(officer_gujrat).get("/api/v1/cases/").json()
    assert other["results"] == []


def test_detail_has_pseudonyms_never_names(named: Case, officer_mbdin: User) -> None:
    response = token_client(officer_mbdin).get(f"/api/v1/cases/{named.reference}/")
    assert response.status_code == 200
    body = response.json()
    assert body["parties"][0]["pseudonym"] == f"{named.reference}-V1"
    assert NAME not in response.content.decode()
    assert "inquiry" in body["allowed_transitions"]


def test_detail_of_another_district_is_404(named: Case, officer_gujrat: User) -> None:
    response = token_client(officer_gujrat).get(f"/api/v1/cases/{named.reference}/")
    assert response.status_code == 404


def test_anonymous_is_refused(named: Case) -> None:
    assert APIClient().get("/api/v1/cases/").status_code in {401, 403}


def test_transition_follows_the_rules(named: Case, officer_mbdin: User) -> None:
    client = token_client(officer_mbdin)
    refused = client.post(
        f"/api/v1/cases/{named.reference}/transition/", {"to": "trial"}, format="json"
    )
    assert refused.status_code == 400
    assert "cannot go to" in refused.json()["message"]
    moved = client.post(
        f"/api/v1/cases/{named.reference}/transition/", {"to": "inquiry"}, format="json"
    )
    assert moved.status_code == 200
    named.refresh_from_db()
    assert named.status == Status.INQUIRY


def test_partner_cannot_move_a_shared_case(
    named: Case, officer_mbdin: User, fia_liaison: User, fia_org: Any
) -> None:
    CaseShare.objects.create(case=named, organisation=fia_org, reason="x", shared_by=officer_mbdin)
    client = token_client(fia_liaison)
    assert client.get(f"/api/v1/cases/{named.reference}/").status_code == 200
    response = client.post(
        f"/api/v1/cases/{named.reference}/transition/", {"to": "inquiry"}, format="json"
    )
    assert response.status_code == 403


def test_legal_catalogue_by_date(officer_mbdin: User) -> None:
    client = token_client(officer_mbdin)
    old = {p["code"] for p in client.get("/api/v1/legal-provisions/?on=2017-05-01").json()}
    new = {p["code"] for p in client.get("/api/v1/legal-provisions/?on=2024-05-01").json()}
    assert "PPC-369A" in old
    assert "PTPA-3-1" not in old
    assert "PPC-369A" not in new
    assert "PTPA-3-1" in new
    unverified = next(
        p for p in client.get("/api/v1/legal-provisions/").json() if p["code"] == "PTPA-3-2"
    )
    assert unverified["punishment_en"] == ""
    bad = client.get("/api/v1/legal-provisions/?on=yesterday")
    assert bad.status_code == 400


def test_schema_lists_the_case_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/schema/").json()
    assert "/api/v1/cases/{reference}/transition/" in schema["paths"]
    assert "/api/v1/legal-provisions/" in schema["paths"]


def test_limit_is_capped_and_bad_year_is_400(
    make_case: Callable[..., Case], officer_mbdin: User
) -> None:
    make_case()
    client = token_client(officer_mbdin)
    assert client.get("/api/v1/cases/?year=abc").status_code == 400
    body = client.get("/api/v1/cases/?limit=100000000").json()
    assert "results" in body
    from ahtc.api.auth import BoundedLimitOffsetPagination

    assert BoundedLimitOffsetPagination.max_limit == 500
