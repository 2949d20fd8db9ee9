"""Fixtures: the built-in instruments, a kiln export with repeats, and the
people who may and may not see survey rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ahtc.accounts.models import OrganisationKind, User
from ahtc.accounts.roles import Role
from ahtc.geography.models import Area
from ahtc.surveys.builtin import builtin_install
from ahtc.surveys.models import Instrument
from ahtc.surveys.tests.exports import Sub

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mbdin(db: Any) -> Area:
    return Area.objects.get(code="PK620")


@pytest.fixture
def builtin(db: Any) -> dict[str, Instrument]:
    return {result.instrument.form_id: result.instrument for result in builtin_install()}


@pytest.fixture
def kiln(builtin: dict[str, Instrument]) -> Instrument:
    return builtin["ahtc_brick_kiln"]


def kiln_sub(uuid: str, *, families: int = 2, tehsil: str = "Phalia", **fields: Any) -> Sub:
    return Sub(
        uuid=uuid,
        fields={
            "visit_date": "2025-03-01",
            "tehsil": tehsil,
            "kiln_name": "Kiln (synthetic)",
            "families": 12,
            "notified_rate": 1658,
            "wage_paid": 1300,
            "written_contract": "no",
            "eobi": "no",
            "children_working": 3,
            "movement_restricted": "yes",
            **fields,
        },
        repeats={
            "family": [
                {
                    "family/advance": 150000 + n,
                    "family/debt_bondage": "yes",
                    "family/literate": "no",
                    "family/knows_min_wage": "no",
                    "family/ilo": "debt movement",
                }
                for n in range(families)
            ]
        },
    )


@pytest.fixture
def kiln_subs() -> list[Sub]:
    return [kiln_sub(f"kiln-{n}", families=n + 1) for n in range(3)]


@pytest.fixture
def people(make_user: Callable[..., User]) -> dict[str, User]:
    """One user per role, in Mandi Bahauddin unless said otherwise."""
    return {
        "head": make_user("dpo_mbdin", Role.CELL_HEAD, "PK620"),
        "officer": make_user("officer_mbdin", Role.CELL_OFFICER, "PK620"),
        "officer_gujrat": make_user("officer_gujrat", Role.CELL_OFFICER, "PK610"),
        "io": make_user("io_mbdin", Role.INVESTIGATING_OFFICER, "PK620"),
        "analyst": make_user("analyst_mbdin", Role.ANALYST, "PK620"),
        "helpline": make_user("helpline_mbdin", Role.HELPLINE, "PK620"),
        "labour": make_user(
            "labour_liaison", Role.AGENCY_LIAISON, "PK620", kind=OrganisationKind.LABOUR
        ),
        "committee": make_user("committee_mbdin", Role.COMMITTEE_MEMBER, "PK620"),
        "monitor": make_user("provincial_monitor", Role.PROVINCIAL_MONITOR, "PK6"),
        "admin": make_user("admin", Role.ADMINISTRATOR, "PK6"),
    }
