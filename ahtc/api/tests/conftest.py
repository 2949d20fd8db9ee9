"""Fixtures for API tests: cases and victims fixtures, a token client, and a
small world holding every shape a response can take (nulls included)."""

# ruff: noqa: F401, F811 - fixtures are imported by name for pytest to find

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from ahtc.accounts.models import Organisation, User
from ahtc.api.services import api_token_create
from ahtc.cases import services as case_services
from ahtc.cases.models import Case, EventKind, PartyRole
from ahtc.cases.tests.conftest import (
    case,
    fia_org,
    flow,
    gujrat,
    io_mbdin,
    make_case,
    make_person,
    mbdin,
    prosecutor,
    station,
)
from ahtc.geography.models import Area
from ahtc.people.models import Person
from ahtc.victims import services as victim_services
from ahtc.victims.models import Referral, ServiceType
from ahtc.victims.tests.conftest import (
    GiveConsent,
    MakeRecord,
    give_consent,
    health_org,
    health_user,
    make_record,
    record,
)

TokenClient = Callable[[User], APIClient]


@pytest.fixture
def token_client(db: None) -> TokenClient:
    """A partner system's client; no language cookie, no Accept-Language."""

    def make(user: User) -> APIClient:
        client = APIClient()
        _token, key = api_token_create(user=user, name="tests", by=None)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@dataclass
class World:
    case: Case
    referral: Referral


@pytest.fixture
def world(
    make_case: Callable[..., Case],
    make_person: Callable[..., Person],
    officer_mbdin: User,
    make_record: MakeRecord,
    health_org: Organisation,
    give_consent: GiveConsent,
) -> World:
    """A case with a party and a route step abroad (no district), and a
    referral of a victim whose age is unknown."""
    case = make_case()
    case_services.party_add(
        case=case, by=officer_mbdin, role=PartyRole.VICTIM, person=make_person("Synthetic One")
    )
    case_services.event_add(
        case=case,
        by=officer_mbdin,
        kind=EventKind.EXPLOITATION,
        country="AE",
        date=dt.date(2024, 2, 1),
    )
    case_services.event_add(
        case=case,
        by=officer_mbdin,
        kind=EventKind.RECRUITMENT,
        area=Area.objects.get(code="PK620"),
        date=dt.date(2024, 1, 1),
    )
    record = make_record()
    give_consent(record, ServiceType.HEALTH)
    referral = victim_services.referral_create(
        record=record,
        by=officer_mbdin,
        provider=health_org,
        service=ServiceType.HEALTH,
        needs="Check-up",
    )
    return World(case=case, referral=referral)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
