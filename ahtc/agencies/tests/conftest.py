"""Fixtures for the agency registry: a maker of agencies (synthetic names only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from ahtc.accounts.models import User
from ahtc.agencies import services as s
from ahtc.agencies.models import Agency
from ahtc.geography.models import Area

MakeAgency = Callable[..., Agency]
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def mbdin(db: Any) -> Area:
    return Area.objects.get(code="PK620")


@pytest.fixture
def gujrat(db: Any) -> Area:
    return Area.objects.get(code="PK610")


@pytest.fixture
def make_agency(officer_mbdin: User, mbdin: Area) -> MakeAgency:
    def make(
        name: str = "Synthetic Skyways Travels",
        *,
        licence: str = "",
        valid_to: dt.date = dt.date(2030, 1, 1),
        by: User | None = None,
        **overrides: Any,
    ) -> Agency:
        values: dict[str, Any] = {
            "district": mbdin,
            "by": by or officer_mbdin,
            "name_en": name,
            "kind": "travel_agent",
            "status": "licensed" if licence else "unregistered",
            "status_since": dt.date(2024, 1, 1),
        }
        values.update(overrides)
        agency = s.agency_create(**values)
        if licence:
            s.licence_add(
                agency=agency,
                by=values["by"],
                number=licence,
                authority="beoe",
                holder_name="Licence Holder Synthetic",
                valid_from=dt.date(2023, 1, 1),
                valid_to=valid_to,
            )
        return agency

    return make
