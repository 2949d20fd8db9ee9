"""Fixtures for victim protection: providers in the service directory, their
staff, and protection records. Case fixtures come from the cases app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.cases.models import ConsentMethod
from ahtc.cases.tests.conftest import (  # noqa: F401
    case,
    flow,
    gujrat,
    io_mbdin,
    make_case,
    make_person,
    mbdin,
    prosecutor,
    station,
)
from ahtc.people.models import Person
from ahtc.victims import services as s
from ahtc.victims.models import ProtectionRecord, ProviderProfile, ServiceConsent, ServiceType

MakeRecord = Callable[..., ProtectionRecord]
GiveConsent = Callable[..., ServiceConsent]

CONSENT_DAY = dt.date(2025, 1, 10)


def provider(
    make_org: Callable[..., Organisation],
    kind: str,
    services: list[str],
    *,
    accepts_children: bool = True,
    area: str = "PK620",
) -> Organisation:
    org = make_org(kind=kind, area=area)
    ProviderProfile.objects.create(
        organisation=org,
        services=[str(x) for x in services],
        accepts_children=accepts_children,
        address="District headquarters",
        contact_person="Duty officer",
    )
    return org


@pytest.fixture
def health_org(make_org: Callable[..., Organisation]) -> Organisation:
    """The district hospital: health care and psychosocial care, children too."""
    return provider(
        make_org, OrganisationKind.HEALTH, [ServiceType.HEALTH, ServiceType.PSYCHOSOCIAL]
    )


@pytest.fixture
def ngo_org(make_org: Callable[..., Organisation]) -> Organisation:
    """An NGO for adults only: legal aid, psychosocial care, shelter."""
    return provider(
        make_org,
        OrganisationKind.NGO,
        [ServiceType.LEGAL, ServiceType.PSYCHOSOCIAL, ServiceType.SHELTER],
        accepts_children=False,
    )


@pytest.fixture
def cpb_org(make_org: Callable[..., Organisation]) -> Organisation:
    """The district Child Protection Bureau."""
    return provider(
        make_org,
        OrganisationKind.CHILD_PROTECTION,
        [ServiceType.SOCIAL_CARE, ServiceType.SHELTER],
    )


@pytest.fixture
def health_user(make_user: Callable[..., User], health_org: Organisation) -> User:
    user = make_user("dhq_mbdin", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.HEALTH)
    assert user.organisation_id == health_org.pk
    return user


@pytest.fixture
def ngo_user(make_user: Callable[..., User], ngo_org: Organisation) -> User:
    user = make_user("ngo_mbdin", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.NGO)
    assert user.organisation_id == ngo_org.pk
    return user


@pytest.fixture
def cpb_user(make_user: Callable[..., User], cpb_org: Organisation) -> User:
    user = make_user(
        "cpb_mbdin", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.CHILD_PROTECTION
    )
    assert user.organisation_id == cpb_org.pk
    return user


@pytest.fixture
def committee_member(make_user: Callable[..., User]) -> User:
    return make_user(
        "committee_mbdin", Role.COMMITTEE_MEMBER, "PK620", kind=OrganisationKind.ASSEMBLY
    )


@pytest.fixture
def make_record(
    officer_mbdin: User,
    make_person: Callable[..., Person],  # noqa: F811 - the fixture imported above
) -> MakeRecord:
    def make(
        person: Person | None = None, *, child: bool = False, **changes: Any
    ) -> ProtectionRecord:
        values: dict[str, Any] = {"by": officer_mbdin, "child": child}
        values.update(changes)
        return s.record_create(person=person or make_person("Victim Person"), **values)

    return make


@pytest.fixture
def record(make_record: MakeRecord) -> ProtectionRecord:
    """An adult victim in Mandi Bahauddin."""
    return make_record()


@pytest.fixture
def give_consent(officer_mbdin: User) -> GiveConsent:
    def give(
        record: ProtectionRecord,
        service: str,
        organisation: Organisation | None = None,
        *,
        identity: bool = False,
    ) -> ServiceConsent:
        return s.consent_record(
            record=record,
            by=officer_mbdin,
            service=service,
            method=ConsentMethod.THUMBPRINT,
            given_on=CONSENT_DAY,
            organisation=organisation,
            identity=identity,
        )

    return give
