"""The Overview tells each role what the safeguards leave waiting for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ahtc.accounts.models import User
from ahtc.portal.tests.test_intake import make_tip
from ahtc.victims import services as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(make_record: Any, officer_mbdin: User) -> None:
    record = make_record(identity_withheld=True)
    s.identity_release_request(record=record, by=officer_mbdin, reason="The court asked.")
    make_tip(held=True)


def overview(client: Client) -> str:
    client.cookies["ahtc_lang"] = "en"
    return client.get("/cell/").content.decode()


def test_cell_head_sees_the_release_waiting_for_a_decision(
    waiting: None, login_as: Callable[[User], Client], dpo_mbdin: User
) -> None:
    assert "1 request to lift a withheld identity waits for your decision" in overview(
        login_as(dpo_mbdin)
    )


def test_officer_sees_held_reports_but_not_decisions_that_are_not_theirs(
    waiting: None, login_as: Callable[[User], Client], officer_mbdin: User
) -> None:
    page = overview(login_as(officer_mbdin))
    assert "1 report held for review (sent without the spam check) waits to be checked" in page
    assert "withheld identity" not in page


def test_other_district_sees_neither(
    waiting: None, login_as: Callable[[User], Client], officer_gujrat: User
) -> None:
    page = overview(login_as(officer_gujrat))
    assert "held for review" not in page
    assert "withheld identity" not in page
