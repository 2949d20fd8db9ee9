"""Setting a target on the targets page: who may, refusals that keep what was
typed and say why, bad input, audit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ahtc.accounts.models import User
from ahtc.accounts.roles import Role
from ahtc.core.models import AuditEvent
from ahtc.monitoring.models import Target

pytestmark = pytest.mark.django_db
LoginAs = Callable[[User], Client]
PAGE = reverse("cell:monitoring:targets")
SAVE = reverse("cell:monitoring:target_save")
TYPED = {
    "indicator": "victims_identified",
    "area": "PK620",
    "period": "FY2025-26",
    "value": "42",
    "baseline_value": "17",
    "baseline_date": "2025-06-30",
    "baseline_period": "FY2024-25",
    "note": "Agreed with the committee",
}


@pytest.fixture
def gujranwala_monitor(make_user: Callable[..., User]) -> User:
    """A provincial monitor holding the role over Gujranwala division only."""
    return make_user("monitor_gujranwala", Role.PROVINCIAL_MONITOR, "PK6DV02")


def refused_rows() -> Any:
    return AuditEvent.objects.filter(outcome="refused", object_type="monitoring.target")


def test_the_monitor_sees_the_form_and_sets_a_target(
    provincial_monitor: User, login_as: LoginAs
) -> None:
    client = login_as(provincial_monitor)
    page = client.get(PAGE, {"area": "PK620", "period": "FY2025-26"}).content.decode()
    assert "Set a target" in page
    assert 'for="id_baseline_date"' in page
    response = client.post(SAVE, TYPED)
    assert response.status_code == 302
    assert "area=PK620" in response["Location"]
    target = Target.objects.get(area__code="PK620", period="FY2025-26")
    assert target.indicator.code == "victims_identified"
    assert (target.value, target.baseline_value) == (Decimal(42), Decimal(17))
    assert str(target.baseline_date) == "2025-06-30"
    assert target.baseline_period == "FY2024-25"
    assert target.set_by == provincial_monitor
    assert AuditEvent.objects.filter(action="create", object_type="monitoring.target").exists()
    client.post(SAVE, {**TYPED, "value": "50"})
    target.refresh_from_db()
    assert target.value == Decimal(50)
    assert AuditEvent.objects.filter(action="update", object_type="monitoring.target").exists()


@pytest.fixture
def cell_head_mbdin(make_user: Callable[..., User]) -> User:
    return make_user("cell_head_mbdin", Role.CELL_HEAD, "PK620")


@pytest.fixture
def analyst_mbdin(make_user: Callable[..., User]) -> User:
    return make_user("analyst_mbdin", Role.ANALYST, "PK620")


@pytest.mark.parametrize(
    "persona", ["analyst_province", "officer_mbdin", "cell_head_mbdin", "analyst_mbdin"]
)
def test_roles_without_set_targets_are_refused_with_their_typing_kept(
    persona: str, request: pytest.FixtureRequest, login_as: LoginAs
) -> None:
    """They read the district's statistics but hold no *set targets* (roles.py)."""
    client = login_as(request.getfixturevalue(persona))
    assert "Set a target" not in client.get(PAGE, {"area": "PK620"}).content.decode()
    response = client.post(SAVE, TYPED)
    assert response.status_code == 403
    page = response.content.decode()
    assert "set by the provincial monitor or the district&#x27;s committee" in page
    assert 'value="42"' in page
    assert "Agreed with the committee" in page
    assert not Target.objects.exists()
    refusal = refused_rows().get(area_code="PK620")
    assert refusal.reason == "lacks permission set_targets"


def test_the_districts_committee_sets_its_own_districts_target(
    committee_mbdin: User, login_as: LoginAs
) -> None:
    client = login_as(committee_mbdin)
    assert "Set a target" in client.get(PAGE, {"area": "PK620"}).content.decode()
    response = client.post(SAVE, TYPED)
    assert response.status_code == 302
    assert Target.objects.get(area__code="PK620").set_by == committee_mbdin


def test_a_committee_cannot_set_the_divisions_target(
    committee_mbdin: User, login_as: LoginAs
) -> None:
    """Its statistics stop at its district: the division answers 404 (audited)."""
    response = login_as(committee_mbdin).post(SAVE, {**TYPED, "area": "PK6DV03"})
    assert response.status_code == 404
    assert not Target.objects.exists()


def test_set_targets_is_granted_as_data() -> None:
    from ahtc.accounts.roles import Perm, role_permissions

    holders = {role for role in Role if Perm.SET_TARGETS in role_permissions(role)}
    assert holders == {Role.PROVINCIAL_MONITOR, Role.COMMITTEE_MEMBER}


def test_a_monitor_of_another_division_is_refused(
    gujranwala_monitor: User, login_as: LoginAs
) -> None:
    """Mandi Bahauddin is in Gujrat division: outside this monitor's statistics (404)."""
    response = login_as(gujranwala_monitor).post(SAVE, TYPED)
    assert response.status_code == 404
    assert not Target.objects.exists()
    assert AuditEvent.objects.filter(outcome="refused", object_type="geography.area").exists()


def test_a_committee_cannot_set_another_districts_target(
    committee_mbdin: User, login_as: LoginAs
) -> None:
    response = login_as(committee_mbdin).post(SAVE, {**TYPED, "area": "PK610"})
    assert response.status_code == 404
    assert not Target.objects.exists()


def test_a_division_monitor_sets_targets_in_its_districts(
    gujranwala_monitor: User, login_as: LoginAs
) -> None:
    response = login_as(gujranwala_monitor).post(SAVE, {**TYPED, "area": "PK609"})
    assert response.status_code == 302
    assert Target.objects.filter(area__code="PK609").exists()


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("value", "-5", "greater than or equal to 0"),
        ("value", "many", "Enter a number"),
        ("period", "July 2025", "Write a period as a month"),
        ("baseline_date", "30/06/2025", "Enter a valid date"),
        ("baseline_period", "last year", "Write a period as a month"),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_the_typing_kept(
    provincial_monitor: User, login_as: LoginAs, field: str, typed: str, says: str
) -> None:
    response = login_as(provincial_monitor).post(SAVE, {**TYPED, field: typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page
    assert f'value="{typed}"' in page
    assert "Agreed with the committee" in page
    assert not Target.objects.exists()


def test_saving_needs_a_post(provincial_monitor: User, login_as: LoginAs) -> None:
    assert login_as(provincial_monitor).get(SAVE, TYPED).status_code == 405


def test_roles_without_statistics_are_refused(investigator: User, login_as: LoginAs) -> None:
    assert login_as(investigator).post(SAVE, TYPED).status_code == 403
    assert not Target.objects.exists()
