"""Notifications tests reuse the cases and victims fixtures (personas, a
case factory, providers and protection records)."""

from __future__ import annotations

from typing import Any

import pytest

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
from ahtc.victims.tests.conftest import (  # noqa: F401
    committee_member,
    cpb_org,
    cpb_user,
    give_consent,
    health_org,
    health_user,
    make_record,
    record,
)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
