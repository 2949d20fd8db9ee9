"""`GET /api/v1/agencies/` and `/api/v1/agencies/<id>/`: the registry as the staff pages show it."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.api.services import api_token_create
from ahtc.core.models import AuditEvent, AuditOutcome
from ahtc.geography.models import Area

pytestmark = pytest.mark.django_db
URL = "/api/v1/agencies/"


def token_client(user: User) -> APIClient:
    client = APIClient()
    _token, key = api_token_create(user=user, name="tests", by=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_list_is_the_district_registry_riskiest_first(
    make_agency: MakeAgency, officer_mbdin: User, gujrat: Area
) -> None:
    licensed = make_agency("Synthetic Licensed Travels", licence="OEP-1/LHR")
    unlicensed = make_agency("Synthetic Backroom Visas")
    make_agency("Synthetic Gujrat Travels", district=gujrat)
    response = token_client(officer_mbdin).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [a["id"] for a in body["results"]] == [unlicensed.pk, licensed.pk]
    first = body["results"][0]
    assert first["district"] == "PK620"
    assert first["risk"] > 0
    assert first["risk_reasons"] == ["unregistered: no licence on record"]
    assert "licences" not in first


def test_filters_and_paging(make_agency: MakeAgency, officer_mbdin: User) -> None:
    make_agency("Synthetic Licensed Travels", licence="OEP-1/LHR")
    make_agency("Synthetic Backroom Visas")
    client = token_client(officer_mbdin)
    body = client.get(URL, {"status": "licensed"}).json()
    assert [a["name_en"] for a in body["results"]] == ["Synthetic Licensed Travels"]
    assert client.get(URL, {"district": "PK610"}).json()["count"] == 0
    page = client.get(URL, {"limit": "1", "offset": "1"}).json()
    assert page["count"] == 2
    assert len(page["results"]) == 1
    assert page["previous"] is not None
    assert len(client.get(URL, {"limit": "100000"}).json()["results"]) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"status": "open"},
        {"kind": ""},
        {"status": ["licensed", "closed"]},
        {"district": ""},
        {"district": "Gujrat"},
        {"limit": "0"},
        {"limit": "²"},
        {"offset": "-1"},
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    params: dict[str, Any], make_agency: MakeAgency, officer_mbdin: User
) -> None:
    response = token_client(officer_mbdin).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == list(params)


def test_detail_has_licences_and_is_audited(make_agency: MakeAgency, officer_mbdin: User) -> None:
    agency = make_agency("Synthetic Licensed Travels", licence="OEP-1/LHR")
    response = token_client(officer_mbdin).get(f"{URL}{agency.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["name_en"] == "Synthetic Licensed Travels"
    assert body["risk_reasons"] == []
    assert body["licences"][0]["number"] == "OEP-1/LHR"
    assert body["licences"][0]["holder_name"] == "Licence Holder Synthetic"
    assert AuditEvent.objects.filter(
        actor=officer_mbdin, object_id=str(agency.pk), reason="agency via API"
    ).exists()


def test_other_district_gets_404_and_the_refusal_is_audited(
    make_agency: MakeAgency, officer_gujrat: User
) -> None:
    agency = make_agency()
    client = token_client(officer_gujrat)
    assert client.get(URL).json()["count"] == 0
    response = client.get(f"{URL}{agency.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert AuditEvent.objects.filter(
        actor=officer_gujrat, outcome=AuditOutcome.REFUSED, object_id=str(agency.pk)
    ).exists()
    assert client.get(f"{URL}99999999999999999999/").status_code == 404


def test_fia_reads_the_registry(make_agency: MakeAgency, fia_liaison: User) -> None:
    make_agency()
    assert token_client(fia_liaison).get(URL).status_code == 200


@pytest.mark.parametrize("persona", ["labour_liaison", "provincial_monitor", "admin_user"])
def test_roles_without_the_registry_are_refused(
    persona: str, request: Any, make_agency: MakeAgency
) -> None:
    agency = make_agency()
    user = request.getfixturevalue(persona)
    client = token_client(user)
    for url in (URL, f"{URL}{agency.pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
        assert "Synthetic" not in response.content.decode()
    assert AuditEvent.objects.filter(actor=user, outcome=AuditOutcome.REFUSED).exists()


def test_anonymous_is_refused(make_agency: MakeAgency) -> None:
    response = APIClient().get(URL)
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "fields"}


def test_schema_documents_the_registry() -> None:
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    listing = schema["paths"]["/api/v1/agencies/"]["get"]
    detail = schema["paths"]["/api/v1/agencies/{id}/"]["get"]
    assert listing["description"]
    assert detail["description"]
    assert "404" in detail["responses"]
    assert {p["name"] for p in listing["parameters"]} >= {"district", "status", "kind", "limit"}
