"""A small world of cases for the link graph (synthetic names only).

Mandi Bahauddin, case A: victims Vic One and Vic Two, recruited by Rafiq
(recruiter) with broker Bilal, financier Farooq and transporter Tariq; a
recruitment, a payment and a transit through Quetta on 2025-03-01.
Mandi Bahauddin, case B: Rafiq again (another record, linked as one
identity) and Farooq as suspects, victim Vic Three who went through Quetta
the same day, and witness Waqas who shares Bilal's phone.
An agency in Mandi Bahauddin employs Sajid and Rafiq.
Gujrat, case G: Farooq's Gujrat record (linked to his Mandi Bahauddin one)
and Zahid, suspects; Mandi Bahauddin officers never see any of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ahtc.accounts.models import User
from ahtc.agencies.models import Agency, AgencyKind, AgencyStatus
from ahtc.agencies.services import agency_create, agency_person_link
from ahtc.cases import services as cs
from ahtc.cases.models import Case, EventKind, Origin, PartyRole
from ahtc.cases.tests.conftest import (  # noqa: F401
    gujrat,
    make_case,
    make_person,
    mbdin,
)
from ahtc.geography.models import Area
from ahtc.people.models import LinkKind, Person, PersonLink
from ahtc.people.services import person_create

R = PartyRole


@dataclass
class World:
    case_a: Case
    case_b: Case
    case_g: Case
    agency: Agency
    people: dict[str, Person]


def _link(a: Person, b: Person) -> None:
    x, y = sorted((a.pk, b.pk))
    PersonLink.objects.create(person_a_id=x, person_b_id=y, kind=LinkKind.REVIEWED)


@pytest.fixture
def world(
    officer_mbdin: User,
    officer_gujrat: User,
    make_case: Callable[..., Case],  # noqa: F811
    mbdin: Area,  # noqa: F811
    gujrat: Area,  # noqa: F811
) -> World:
    def person(name: str, district: Area = mbdin, by: User = officer_mbdin, **kw: Any) -> Person:
        return person_create(source_district=district, by=by, name_latin=name, **kw)

    p = {
        "vic1": person("Vic One"),
        "vic2": person("Vic Two"),
        "vic3": person("Vic Three"),
        "rafiq": person("Rafiq Recruiter"),
        "rafiq_b": person("Rafik Recruiter"),
        "bilal": person("Bilal Broker", identifiers={"phone": "0300-1112223"}),
        "farooq": person("Farooq Financier"),
        "tariq": person("Tariq Transporter"),
        "waqas": person("Waqas Witness", identifiers={"phone": "+92 300 1112223"}),
        "sajid": person("Sajid Staff"),
        "farooq_g": person("Farooq Financier G", gujrat, officer_gujrat),
        "zahid": person("Zahid Gujrat", gujrat, officer_gujrat),
    }
    _link(p["rafiq"], p["rafiq_b"])
    _link(p["farooq"], p["farooq_g"])
    a = make_case(title="Case A")
    for key, role in [
        ("vic1", R.VICTIM),
        ("vic2", R.SMUGGLED_MIGRANT),
        ("rafiq", R.RECRUITER),
        ("bilal", R.BROKER),
        ("farooq", R.FINANCIER),
        ("tariq", R.TRANSPORTER),
    ]:
        cs.party_add(case=a, by=officer_mbdin, role=role, person=p[key])
    for kind, day, place in [
        (EventKind.RECRUITMENT, dt.date(2025, 1, 10), "Phalia"),
        (EventKind.PAYMENT, dt.date(2025, 2, 1), ""),
        (EventKind.TRANSIT, dt.date(2025, 3, 1), "Quetta"),
    ]:
        cs.event_add(case=a, by=officer_mbdin, kind=kind, date=day, place=place)
    b = make_case(title="Case B", offence_date=dt.date(2025, 4, 2))
    for key, role in [
        ("rafiq_b", R.RECRUITER),
        ("farooq", R.FINANCIER),
        ("vic3", R.VICTIM),
        ("waqas", R.WITNESS),
    ]:
        cs.party_add(case=b, by=officer_mbdin, role=role, person=p[key])
    cs.event_add(
        case=b, by=officer_mbdin, kind=EventKind.TRANSIT, date=dt.date(2025, 3, 1), place="quetta "
    )
    g = make_case(
        title="Case G",
        district=gujrat,
        by=officer_gujrat,
        origin=Origin.WALK_IN,
        offence_date=dt.date(2025, 5, 5),
    )
    for key in ("farooq_g", "zahid"):
        cs.party_add(case=g, by=officer_gujrat, role=R.SMUGGLER, person=p[key])
    agency = agency_create(
        district=mbdin,
        by=officer_mbdin,
        name_en="Falcon Travels",
        kind=AgencyKind.TRAVEL_AGENT,
        status=AgencyStatus.LICENSED,
        status_since=dt.date(2024, 1, 1),
    )
    for key in ("sajid", "rafiq"):
        agency_person_link(agency=agency, person=p[key], role="staff", by=officer_mbdin)
    return World(case_a=a, case_b=b, case_g=g, agency=agency, people=p)
