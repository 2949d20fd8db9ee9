"""Fixtures for child-labour findings: a finding factory, the district's Child
Protection and education offices, and one user per role that is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ahtc.accounts.models import Organisation, OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.geography.models import Area
from ahtc.labour import services as s
from ahtc.labour.models import ChildLabourFinding

MakeFinding = Callable[..., ChildLabourFinding]
FOUND = dt.date(2025, 3, 4)


@pytest.fixture
def mbdin(db: Any) -> Area:
    return Area.objects.get(code="PK620")


@pytest.fixture
def cpb_mbdin(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org(kind=OrganisationKind.CHILD_PROTECTION, area="PK620")


@pytest.fixture
def edu_mbdin(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org(kind=OrganisationKind.EDUCATION, area="PK620")


@pytest.fixture
def school_mbdin(make_user: Callable[..., User], edu_mbdin: Organisation) -> User:
    return make_user("school_mbdin", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.EDUCATION)


@pytest.fixture
def make_finding(officer_mbdin: User, mbdin: Area) -> MakeFinding:
    def make(
        name: str = "Synthetic Child", *, by: User | None = None, **overrides: Any
    ) -> ChildLabourFinding:
        values: dict[str, Any] = {
            "district": mbdin,
            "by": by or officer_mbdin,
            "name_latin": name,
            "age_years": 11,
            "age_evidence": "documents",
            "place_kind": "brick_kiln",
            "place_description": "Kiln near the canal road (synthetic)",
            "hours_per_day": 9,
            "hazards": ["heat", "heavy_loads"],
            "schooling": "dropped_out",
            "found_on": FOUND,
        }
        values.update(overrides)
        return s.finding_create(**values)

    return make


@pytest.fixture
def referred(
    make_finding: MakeFinding, officer_mbdin: User, cpb_mbdin: Organisation, edu_mbdin: Organisation
) -> ChildLabourFinding:
    """Withdrawn and referred to Child Protection and the education authority."""
    finding = s.finding_withdraw(
        finding=make_finding(), by=officer_mbdin, withdrawn_on=FOUND + dt.timedelta(days=1)
    )
    return s.finding_refer(
        finding=finding,
        by=officer_mbdin,
        referred_on=FOUND + dt.timedelta(days=2),
        child_protection=cpb_mbdin,
        education=edu_mbdin,
    )


@pytest.fixture
def io_mbdin(make_user: Callable[..., User]) -> User:
    return make_user("io_mbdin", Role.INVESTIGATING_OFFICER, "PK620")


# --- the registry (issue 16) ---------------------------------------------------------------


@pytest.fixture
def kiln(officer_mbdin: User, mbdin: Area) -> Any:
    return s.kiln_create(
        district=mbdin,
        by=officer_mbdin,
        owner_name="Synthetic Owner",
        location="Canal road (synthetic)",
        season="dry_season",
        capacity=20000,
    )


@pytest.fixture
def make_worker(officer_mbdin: User, kiln: Any) -> Callable[..., Any]:
    def make(name: str = "Synthetic Worker", **overrides: Any) -> Any:
        values: dict[str, Any] = {
            "by": officer_mbdin,
            "name_latin": name,
            "recorded_on": dt.date(2025, 1, 5),
            "kiln": kiln,
        }
        values.update(overrides)
        return s.worker_add(**values)

    return make
