"""Public verification: right answers, fuzzy names, and nothing private, ever."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from ahtc.accounts.models import User
from ahtc.agencies import enforcement as e
from ahtc.agencies import links as li
from ahtc.agencies import services as s
from ahtc.agencies.models import Agency
from ahtc.agencies.tests.conftest import MakeAgency
from ahtc.agencies.verify import Verdict, verify
from ahtc.cases import services as cases
from ahtc.portal.models import Tip

TODAY = dt.date(2025, 6, 1)
STAFF_NAME = "Zarrar Qadeer Synthetic"
STAFF_PHONE = "0345-7654321"
STAFF_PHONE_E164 = "+923457654321"
OFFICE_PHONE = "0546-501234"


@pytest.fixture(autouse=True)
def _fresh_budgets(db: Any) -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def noor(make_agency: MakeAgency, officer_mbdin: User, mbdin: Any) -> Agency:
    """A licensed agency with a member of staff who is a suspect in a case and
    a complaint: none of that may reach the public."""
    agency = make_agency(
        "Al-Noor Travels",
        name_ur="النور ٹریولز",
        licence="OEP 4411/RWP",
        address="Rasool Road, Mandi Bahauddin",
        phones=[OFFICE_PHONE],
    )
    staff = s.agency_person_add(
        agency=agency, by=officer_mbdin, role="staff", name_latin=STAFF_NAME, phone=STAFF_PHONE
    )
    case = cases.case_open(
        district=mbdin, by=officer_mbdin, title="Synthetic visa fraud", origin="own_initiative"
    )
    party = cases.party_add(
        case=case, by=officer_mbdin, role="BrokerTravelAgent", person=staff.person
    )
    li.agency_party_link(agency=agency, party=party, by=officer_mbdin, staff=staff)
    tip = Tip.objects.create(
        idempotency_hash="x" * 64,
        receipt_hash="y" * 64,
        channel="web",
        category="fake_agent",
        district=mbdin,
        description="synthetic",
        child_involved="no",
    )
    li.agency_report_link(agency=agency, tip=tip, by=officer_mbdin)
    agency.case_reference = case.reference  # type: ignore[attr-defined]
    return agency


@pytest.mark.parametrize(
    "query",
    [
        "Al-Noor Travels",
        "al noor",
        "Al Nur Travles",
        "alnoor tours",
        "النور",
        "النور ٹریولز",
        "OEP-4411-RWP",
        "oep 4411/rwp",
        "Licence Holder Synthetic",
        "0546 501234",
        "+92 546 501234",
    ],
)
def test_finds_the_agency_however_it_is_typed(noor: Agency, query: str) -> None:
    found = verify(query, today=TODAY)
    assert [a.name_en for a in found] == ["Al-Noor Travels"]
    assert found[0].verdict == Verdict.VALID


@pytest.mark.parametrize("query", ["Travels", "Bilal Enterprises", "x", "", "12", "OEP 9999"])
def test_unrelated_or_generic_queries_find_nothing(noor: Agency, query: str) -> None:
    assert verify(query, today=TODAY) == []


def test_staff_name_and_phone_find_nothing(noor: Agency) -> None:
    assert verify(STAFF_NAME, today=TODAY) == []
    assert verify(STAFF_PHONE, today=TODAY) == []


def test_answers_for_each_status(make_agency: MakeAgency, officer_mbdin: User) -> None:
    make_agency("Madina Overseas", licence="OEP-1", valid_to=dt.date(2025, 1, 1))
    notice = make_agency("Shaheen Visa Consultants")
    e.notice_serve(
        agency=notice,
        by=officer_mbdin,
        kind="register_or_stop",
        served_on=dt.date(2025, 5, 1),
        deadline=dt.date(2025, 5, 31),
    )
    make_agency("Kashmir Travels")
    sealed = make_agency("Haram Tours", licence="OEP-2")
    s.agency_status_set(agency=sealed, by=officer_mbdin, to_status="sealed", on=dt.date(2025, 5, 2))
    answers = {
        q: verify(q, today=TODAY)[0].verdict for q in ("Madina", "Shaheen", "Kashmir", "Haram")
    }
    assert answers == {
        "Madina": Verdict.EXPIRED,
        "Shaheen": Verdict.NOTICE,
        "Kashmir": Verdict.NOT_LICENSED,
        "Haram": Verdict.NOT_LICENSED,
    }


def _private(noor: Agency) -> list[str]:
    return [STAFF_NAME, "Zarrar", STAFF_PHONE, STAFF_PHONE_E164, "3457654321", noor.case_reference]  # type: ignore[attr-defined]


QUERIES = ["Al-Noor", "OEP 4411/RWP", OFFICE_PHONE, "Licence Holder Synthetic", STAFF_NAME]


@pytest.mark.parametrize("query", QUERIES)
def test_public_page_never_shows_staff_phones_or_cases(
    noor: Agency, client: Client, query: str
) -> None:
    client.cookies["ahtc_lang"] = "en"
    page = client.get("/agencies/verify/", {"q": query}).content.decode()
    for secret in _private(noor):
        if secret not in query:  # what was typed comes back in the box, and only that
            assert secret not in page
    assert "complaint" not in page.lower()


@pytest.mark.parametrize("query", QUERIES)
def test_api_never_shows_staff_phones_or_cases(noor: Agency, client: Client, query: str) -> None:
    response = client.get("/api/v1/agencies/verify/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    for secret in _private(noor):
        if secret not in query:
            assert secret not in body
    assert set(json.loads(body)) == {"query", "results", "advice", "report_url"}


def test_page_answers_in_urdu_by_default_and_keeps_what_was_typed(
    noor: Agency, client: Client
) -> None:
    page = client.get("/agencies/verify/", {"q": "al nur"}).content.decode()
    assert 'lang="ur"' in page
    assert 'dir="rtl"' in page
    assert 'value="al nur"' in page
    assert "/report/" in page


def test_no_match_says_do_not_pay(client: Client, db: Any) -> None:
    client.cookies["ahtc_lang"] = "en"
    page = client.get("/agencies/verify/", {"q": "Nowhere Skyways"}).content.decode()
    assert "Do not pay an agent you cannot find here" in page


def test_one_sender_over_budget_is_slowed_but_another_is_not(
    noor: Agency, client: Client, settings: Any
) -> None:
    settings.AHTC_AGENCY_VERIFY_PER_MINUTE = 3
    client.cookies["ahtc_lang"] = "en"
    codes = [client.get("/agencies/verify/", {"q": "noor"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    busy = client.get("/agencies/verify/", {"q": "noor"})
    assert 'value="noor"' in busy.content.decode()
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.get("/agencies/verify/", {"q": "noor"}).status_code == 200
    assert client.get("/api/v1/agencies/verify/", {"q": "noor"}).status_code == 429


def test_api_refuses_an_empty_query(client: Client, db: Any) -> None:
    response = client.get("/api/v1/agencies/verify/", {"q": ""})
    assert response.status_code == 400


def test_home_links_to_the_check(client: Client, db: Any) -> None:
    assert "/agencies/verify/" in client.get("/").content.decode()
