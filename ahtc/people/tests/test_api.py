"""`GET /api/v1/people/search/`: the party page's search and hit / no-hit rule as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.api.services import api_token_create
from ahtc.cases import services
from ahtc.cases.models import Case, PartyRole
from ahtc.cases.tests.conftest import make_case, make_person, mbdin  # noqa: F401
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.people.matches import candidate_decide, resolution_run
from ahtc.people.models import MatchCandidate, MatchStatus, Person
from ahtc.people.services import person_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/people/search/"


def token_client(user: User) -> APIClient:
    client = APIClient()
    _token, key = api_token_create(user=user, name="tests", by=None)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def linked(officer_mbdin: User, make_user: Callable[..., User]) -> tuple[Person, Person]:
    """One identity recorded in Mandi Bahauddin and in Gujrat, linked by a decision."""
    people = [
        person_create(
            source_district=Area.objects.get(code=code),
            by=officer_mbdin,
            name_latin=name,
            relative_name="Bashir",
            identifiers={"phone": "0300-7654321"},
        )
        for code, name in [("PK620", "Muhammad Aslam"), ("PK610", "Mohammad Asalam Ch.")]
    ]
    resolution_run()
    head = make_user("head_gujrat_div", Role.CELL_HEAD, "PK6DV03")
    candidate_decide(candidate=MatchCandidate.objects.get(), status=MatchStatus.ACCEPTED, by=head)
    return people[0], people[1]


def test_finds_own_people_with_the_name_the_page_shows(
    make_person: Callable[..., Person],  # noqa: F811
    make_case: Callable[..., Case],  # noqa: F811
    officer_mbdin: User,
) -> None:
    person = make_person("Bilal Synthetic", age_years=17)
    case = make_case()
    services.party_add(case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=person)
    response = token_client(officer_mbdin).get(URL, {"q": "bil"})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "bil"
    assert body["truncated"] is False
    assert body["known_elsewhere"] == []
    [found] = body["results"]
    assert found["id"] == f"P-{person.pk}"
    assert found["name_latin"] == "Bilal Synthetic"
    assert found["age_years"] == 17
    assert found["cases"] == [{"case": case.reference, "role": "victim"}]
    assert AuditEvent.objects.filter(reason="search via API", area_code="PK620").exists()


def test_hit_in_another_district_says_only_where(
    linked: tuple[Person, Person], officer_mbdin: User
) -> None:
    response = token_client(officer_mbdin).get(URL, {"q": "Aslam"})
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body["results"]] == [f"P-{linked[0].pk}"]
    assert body["known_elsewhere"] == [
        {"district": "PK610", "district_name": "Gujrat", "contact": "the Gujrat cell"}
    ]
    assert "Asalam" not in response.content.decode()
    # Audited on both sides, as the page does.
    assert AuditEvent.objects.filter(area_code="PK610", reason__startswith="hit/no-hit").exists()
    assert AuditEvent.objects.filter(area_code="PK620", reason__startswith="hit/no-hit").exists()


def test_other_district_sees_neither_names_nor_hits_without_a_match(
    make_person: Callable[..., Person],  # noqa: F811
    officer_gujrat: User,
) -> None:
    make_person("Bilal Synthetic")  # recorded in Mandi Bahauddin, not linked
    response = token_client(officer_gujrat).get(URL, {"q": "bilal"})
    assert response.status_code == 200
    body = response.json()
    assert body == {"query": "bilal", "results": [], "truncated": False, "known_elsewhere": []}
    assert not AuditEvent.objects.filter(reason__startswith="hit/no-hit").exists()


def test_no_match_is_no_hit(linked: tuple[Person, Person], officer_mbdin: User) -> None:
    body = token_client(officer_mbdin).get(URL, {"q": "Zarmeena"}).json()
    assert body["results"] == []
    assert body["known_elsewhere"] == []


def test_results_are_capped_at_25(
    make_person: Callable[..., Person],  # noqa: F811
    officer_mbdin: User,
) -> None:
    for n in range(26):
        make_person(f"Kiran Synthetic{chr(97 + n)}")
    body = token_client(officer_mbdin).get(URL, {"q": "kiran", "limit": "500"}).json()
    assert len(body["results"]) == 25
    assert body["truncated"] is True


@pytest.mark.parametrize("persona", ["fia_liaison", "provincial_monitor", "labour_liaison"])
def test_roles_that_do_not_manage_cases_are_refused(
    persona: str, linked: tuple[Person, Person], request: Any
) -> None:
    response = token_client(request.getfixturevalue(persona)).get(URL, {"q": "Aslam"})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "permission_denied"
    assert "Aslam" not in response.content.decode()
    assert AuditEvent.objects.filter(outcome="refused", object_type="people.person").exists()


def test_anonymous_is_401() -> None:
    response = APIClient().get(URL, {"q": "Aslam"})
    assert response.status_code in (401, 403)
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    "params",
    [{}, {"q": ""}, {"q": "a"}, {"q": "  a  "}, {"q": "x" * 101}, {"q": ["ali", "bilal"]}],
)
def test_bad_query_is_a_400_naming_q(params: dict[str, Any], officer_mbdin: User) -> None:
    response = token_client(officer_mbdin).get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert list(body["fields"]) == ["q"]


def test_write_methods_are_405(officer_mbdin: User) -> None:
    response = token_client(officer_mbdin).post(URL, {"q": "Aslam"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_schema_documents_the_search(officer_mbdin: User) -> None:
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/v1/people/search/"]["get"]
    assert operation["description"]
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    assert operation["responses"]["200"]["content"]["application/json"]["examples"]
