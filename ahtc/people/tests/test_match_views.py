"""The review pages and the hit / no-hit search (issue 15), up the ladder of
personas: a division cell head decides, a district officer sees "known in
<district>" only, others are refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.cases.models import Case
from ahtc.cases.tests.conftest import make_case, mbdin  # noqa: F401
from ahtc.core.models import AuditEvent
from ahtc.geography.models import Area
from ahtc.people.matches import candidate_decide, resolution_run
from ahtc.people.models import MatchCandidate, MatchStatus, PersonLink
from ahtc.people.services import person_create

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
LIST = "/cell/people/matches/"


@pytest.fixture
def division_head(make_user: Callable[..., User]) -> User:
    return make_user("head_gujrat_div", Role.CELL_HEAD, "PK6DV03")


@pytest.fixture
def candidate(officer_mbdin: User) -> MatchCandidate:
    for code, name, relative in [
        ("PK620", "Muhammad Aslam", "Bashir"),
        ("PK610", "Mohammad Asalam Ch.", "Basheer"),
    ]:
        person_create(
            source_district=Area.objects.get(code=code),
            by=officer_mbdin,
            name_latin=name,
            relative_name=relative,
            identifiers={"phone": "0300-7654321"},
        )
    resolution_run()
    return MatchCandidate.objects.get()


def decide(client: Client, candidate: MatchCandidate, **data: str) -> Any:
    return client.post(reverse("cell:people_match_decide", args=[candidate.pk]), data)


def test_anonymous_is_sent_to_sign_in(client: Client, candidate: MatchCandidate) -> None:
    assert client.get(LIST).status_code == 302


def test_head_of_both_districts_sees_both_and_the_evidence(
    candidate: MatchCandidate, division_head: User, login_as: LoginAs
) -> None:
    page = login_as(division_head).get(LIST).content.decode()
    assert "Muhammad Aslam" in page
    assert "Mohammad Asalam" in page
    assert "What agreed" in page
    assert "Save the decision" in page
    shown = AuditEvent.objects.filter(object_type="people.person", reason="match review")
    assert shown.count() == 2


def test_accept_and_undo_through_the_pages(
    candidate: MatchCandidate, division_head: User, login_as: LoginAs
) -> None:
    client = login_as(division_head)
    response = decide(client, candidate, status="accepted", note="same phone, same father")
    assert response.status_code == 302
    assert PersonLink.objects.filter(undone_at__isnull=True).count() == 1
    client.post(reverse("cell:people_match_undo", args=[candidate.pk]))
    candidate.refresh_from_db()
    assert candidate.status == MatchStatus.PENDING
    assert not PersonLink.objects.filter(undone_at__isnull=True).exists()


def test_a_bad_decision_keeps_what_was_typed_and_says_why(
    candidate: MatchCandidate, division_head: User, login_as: LoginAs
) -> None:
    response = decide(login_as(division_head), candidate, status="merge", note="my typed note")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "my typed note" in page
    assert not PersonLink.objects.exists()


def test_officer_of_one_district_sees_only_hit_no_hit_and_cannot_decide(
    candidate: MatchCandidate, officer_gujrat: User, login_as: LoginAs
) -> None:
    client = login_as(officer_gujrat)
    page = client.get(LIST).content.decode()
    assert "Mohammad Asalam" in page  # their own record
    assert "Muhammad Aslam" not in page
    assert "Bashir" not in page
    assert "Known in Mandi Bahauddin" in page
    assert "What agreed" not in page
    assert "Save the decision" not in page
    assert decide(client, candidate, status="accepted").status_code == 404
    assert not PersonLink.objects.exists()
    refused = AuditEvent.objects.filter(object_type="people.matchcandidate", outcome="refused")
    assert refused.exists()


@pytest.mark.parametrize("persona", ["fia_liaison", "provincial_monitor", "labour_liaison"])
def test_partners_and_monitors_are_refused(
    persona: str, candidate: MatchCandidate, login_as: LoginAs, request: Any
) -> None:
    client = login_as(request.getfixturevalue(persona))
    assert client.get(LIST).status_code == 403
    assert decide(client, candidate, status="accepted").status_code in (403, 404)
    assert not PersonLink.objects.exists()


def test_officer_of_a_third_district_sees_nothing(
    candidate: MatchCandidate, make_user: Callable[..., User], login_as: LoginAs
) -> None:
    sialkot = make_user("officer_sialkot", Role.CELL_OFFICER, "PK634")
    client = login_as(sialkot)
    page = client.get(LIST).content.decode()
    assert "No pairs in this list" in page
    assert decide(client, candidate, status="rejected").status_code == 404


def test_party_search_says_known_elsewhere_without_details(
    candidate: MatchCandidate,
    division_head: User,
    officer_mbdin: User,
    login_as: LoginAs,
    make_case: Callable[..., Case],  # noqa: F811
) -> None:
    url = reverse("cell:case_party", args=[make_case().reference])
    client = login_as(officer_mbdin)
    page = client.get(url, {"phone": "0300 7654321"}).content.decode()
    assert "Known in Gujrat — contact the Gujrat cell." in page
    assert "Asalam" not in page
    other_side = AuditEvent.objects.filter(area_code="PK610", reason__startswith="hit/no-hit")
    assert other_side.exists()
    assert AuditEvent.objects.filter(area_code="PK620", reason__startswith="hit/no-hit").exists()
    # Not linked yet: a name finds only the district's own record.
    assert "Known in" not in client.get(url, {"name": "Aslam"}).content.decode()
    # Accepted as one identity: the name alone now tells of the other district.
    candidate_decide(candidate=candidate, status=MatchStatus.ACCEPTED, by=division_head)
    page = client.get(url, {"name": "Aslam"}).content.decode()
    assert "Known in Gujrat" in page
    assert "Asalam" not in page


def test_no_hit_says_nothing_of_other_districts(
    candidate: MatchCandidate,
    officer_mbdin: User,
    login_as: LoginAs,
    make_case: Callable[..., Case],  # noqa: F811
) -> None:
    case = make_case()
    url = reverse("cell:case_party", args=[case.reference])
    page = login_as(officer_mbdin).get(url, {"phone": "0300 1111111"}).content.decode()
    assert "Known in" not in page
